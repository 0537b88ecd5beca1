package vm

// -- The tracing JIT: hooks, trace cache, entering and leaving traces ---------
//
// Why here and not in package jit: the recorder must read the live
// interpreter state (slots, frames, tables, upvalues) at every bytecode to
// specialize the trace on what it sees, and those are the VM's private
// structures. So the bytecode recorder (jit_record.go) and the trace
// driver (this file) live in package vm; package demo-lang/jit supplies
// the configuration (command-line flags, -O parsing, stress mode) and the
// machine-code backend through the Backend interface, so package vm never
// depends on an architecture.
//
// The life of a loop:
//
//	back edge counter runs out -> hotLoop: no trace yet -> start recording
//	every bytecode while L.jrec: recordIns emits IR (irkit.Recorder)
//	execution returns to the loop start in the same frame -> CloseLoop,
//	    compile (Backend, else the IR interpreter), store in jit.traces
//	later back edges -> hotLoop finds the trace -> run it -> an exit
//	    restores the slots and the interpreter resumes at the exit's PC
//
// IR slot numbering: IR slot 0 is the function slot (base-1), so bytecode
// slot i is IR slot i+1; the trace specializes on the closure only when
// it reads an upvalue (a guard on slot 0).

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// JITOptions configure the tracing JIT of a State (see EnableJIT).
type JITOptions struct {
	// Verbose receives one line per trace event (start, stop, abort, exit
	// summary), like LuaJIT's -jv. Nil: silent.
	Verbose io.Writer
	// Dump receives, per compiled trace, its bytecodes, IR with snapshots
	// and (with a machine-code backend) its disassembly. Nil: none.
	Dump io.Writer
	// Opt are the LuaJIT-style flags and parameters (-O); the zero value
	// means guard.DefaultOptions().
	Opt guard.Options
	// Stress forces guards to exit (guard.Stress) to prove every exit.
	Stress guard.Stress
	// Backend compiles traces to machine code; nil, or a backend that
	// refuses a trace, runs the trace on irkit's IR interpreter.
	Backend Backend
	// VMState, if set, is kept current with what the VM is doing (VMInterp,
	// VMCompile, VMExit, VMGC, VMTrace+n) for a sampling profiler (-jp).
	VMState *uint32
	// Installed, if set, is called with each new trace, its number and
	// source location; c is nil for a trace on the IR interpreter (-jp,
	// -jperfmap).
	Installed func(id int, where string, c Compiled)
}

// Values of JITOptions.VMState. Recording counts as VMCompile.
const (
	VMInterp  uint32 = iota // the interpreter
	VMCompile               // recording, optimizing, compiling a trace
	VMExit                  // leaving a trace: restore, exit bookkeeping
	VMGC                    // the VM's collector
	VMTrace   = 16          // VMTrace+n: running trace n
)

// setVM stores s in the VM-state word, if there is one.
func (j *jitState) setVM(s uint32) {
	if j.opts.VMState != nil {
		atomic.StoreUint32(j.opts.VMState, s)
	}
}

// swapVM stores s in the VM-state word and returns the previous state.
func (j *jitState) swapVM(s uint32) uint32 {
	if j.opts.VMState == nil {
		return 0
	}
	return atomic.SwapUint32(j.opts.VMState, s)
}

// vmResume marks the return to the interpreter (recording or not).
func (L *State) vmResume() {
	if j := L.jit; j != nil && j.opts.VMState != nil {
		if L.jrec {
			j.setVM(VMCompile)
		} else {
			j.setVM(VMInterp)
		}
	}
}

// Backend compiles a recorded trace to machine code.
type Backend interface {
	// Name names the backend in -jv lines ("amd64").
	Name() string
	// Compile turns the loop-optimized trace t into runnable code; force
	// says which exits the stress mode forces (nil: none; a forced guard
	// computes its value, then exits). An error makes the VM run
	// the trace on the IR interpreter instead.
	Compile(t *irkit.Trace, force func(exit int) bool) (Compiled, error)
}

// Compiled is a trace in machine code.
type Compiled interface {
	// Run executes the trace with its slot 0 at stack[base] until an exit
	// (a failed guard, or the loop's back edge after an interrupt) and
	// restores the exit's slots. key describes the frame below the one
	// the run starts in, for links keyed by caller (LinkSpec.Caller); 0
	// describes nothing, and no keyed link is taken.
	Run(stack []uint64, base int, key uint64) (TraceExit, error)
	// Disasm returns the trace's disassembly for -jdump.
	Disasm() string
	// Free releases the code.
	Free()
}

// TraceExit is where a run of compiled traces ended.
type TraceExit struct {
	Trace       Compiled // the trace that exited: the one entered, or one reached through links
	Snap        int      // its snapshot
	PC          uint64   // the bytecode PC the interpreter resumes at
	Base        int      // the stack index of that trace's slot 0
	Interrupted bool     // the backend's interrupt flag was set, or Go asked for the goroutine
}

// Linker is implemented by backends that can make an exit of one compiled
// trace continue in another without returning to Go: the exit's snapshot
// is written to the slots in machine code and the code jumps to the other
// trace's start. Link fails for exits it cannot serve that way; the VM
// then links them itself, through Run's return.
type Linker interface {
	// Link makes exit of from continue in to as spec says.
	Link(from Compiled, exit int, to Compiled, spec LinkSpec) error
}

// LinkSpec says how a link continues in the next trace.
type LinkSpec struct {
	// SlotsDelta is where the next trace's slot 0 is, in slots above
	// the exiting trace's.
	SlotsDelta int
	// Caller, if nonzero, makes the link conditional on the frames below:
	// it is taken only while the key the run was entered with (Run's key)
	// equals Caller. A side trace that returns into its caller and calls
	// the function again is keyed so; otherwise the exit returns to Go.
	Caller uint64
	// Drop says the run continues in a frame below the one it was
	// entered in, where the entry's key no longer describes the caller:
	// after this link no keyed link is taken until the run returns.
	Drop bool
}

// JITStats are counters of the JIT's activity (-jstats).
type JITStats struct {
	Traces      int            // traces compiled (root and side)
	SideTraces  int            // of which side traces
	Links       int            // exits linked in machine code (Linker)
	KeyedLinks  int            // of which keyed by caller (LinkSpec.Caller)
	Native      int            // of which to machine code
	Aborts      map[string]int // recording aborts by reason
	Blacklisted int            // start points given up
	Flushed     int            // traces dropped as unprofitable
	Entries     int64          // trace entries
	Exits       int64          // trace exits (guards and interrupts)
	RecordTime  time.Duration  // recording, optimization and compilation
}

// jtrace is one compiled trace.
type jtrace struct {
	id      int
	p       *Proto
	loopPC  int // the FORL/ITERL/LOOP whose counter started it
	startPC int // where the trace begins (the loop body)
	t       *irkit.Trace
	nslots  int // highest IR slot the trace touches + 1
	native  Compiled
	parent  *jtrace // side traces: the trace and exit they start from
	root    *jtrace // the root trace (itself for a root)
	exit    int     // side traces: the parent's exit
	link    *jtrace // the trace the end continues in: a side trace's root or loop, a function trace's own, a return's continuation
	delta   int     // side traces: link's slot 0 relative to this trace's
	depth   int     // frames from the trace's base frame up to the one it starts in
	deep    bool    // a side trace whose base frame is its parent's exit frame's caller
	// inherits: a side trace that loads slots as numbers because its
	// parent's exit wrote numbers there (knownNumbers); it is right only
	// after that exit.
	inherits bool
	caller   jcaller // deep side traces: that caller, as recorded
	pin      Value   // deep side traces: the caller's closure, kept alive for callerKey
	mres     []jmres // MULTRES of the CALLMs the trace runs (exits there restore it)
	// retDelta, if nonzero, says the trace ends returning below its base
	// frame (recRetDown): its last exit is in the caller, whose slot 0 is
	// retDelta slots below the trace's.
	retDelta int
	// retMres: a trace that ends returning all its results (to a CALL
	// with B=0, at slot retDelta-1 of the caller) leaves retMres as the
	// interpreter's MULTRES; -1 for a fixed number of results.
	retMres int
	retP    *Proto    // the caller's function, where the end resumes
	mresIn  int       // side traces: the MULTRES the first bytecode takes (-1: none)
	up      bool      // the trace ends in a recursive call (recUpCall)
	tail    bool      // the trace ends in a tail call of its function (recTailCall)
	sides   []*jtrace // per snapshot: the linked side trace
	keep    []*Proto  // prototypes of inlined calls, guarded by address
	pcs     []jpc     // bytecodes recorded (JITTraces)
	maxIter int       // IR interpreter: back edges per run (1<<16: a looping trace)
	entries int64
	exits   []int64 // per snapshot
	// profitability samples (see measure)
	samples  []time.Duration // sampled runs, until measured
	measured bool
	// IR interpreter: the exits the stress mode forces (nil: none)
	force func(exit int) bool
}

// jitState is the JIT attached to a State.
type jitState struct {
	opts    JITOptions
	traces  map[*Proto][]*jtrace
	all     []*jtrace
	starts  *guard.Starts
	tracker *guard.Tracker
	interp  irkit.Interp
	rec     jrecorder
	stats   JITStats
	maxIns  int
	last    *jtrace // the last trace hotLoop found
	byCode  map[Compiled]*jtrace
	// lastCode and lastTrace cache the last byCode lookup.
	lastCode  Compiled
	lastTrace *jtrace
	// maxSlots is the most slots any trace reaches above its slot 0.
	maxSlots int
	// stackNeed is the room runTrace leaves above a trace's slot 0 at
	// entry, 2*maxSlots+2*MaxSlots slots; traces that push a frame guard
	// that the callee has as much (recUpCall).
	stackNeed int64
	// deepExit marks exits whose side trace must start in the caller's
	// frame: recording from the exit's own frame returned from it.
	deepExit map[[2]int]bool
	flushed  map[uint64]bool // start points whose trace did not pay
	// left counts, per start point, the recordings of its root trace
	// that left the loop (errLeave): a loop with a short trip count,
	// which enclosing loops' root traces may unroll (shortLoop).
	left map[uint64]uint8
	// retStarts are the side traces returns can continue in, by start
	// point (linkReturn).
	retStarts map[uint64]*jtrace
	// helpers are the Go functions traces may call (jit_helpers.go).
	helpers *irkit.Helpers
	hTabLen uint16
	hTGet   uint16
	hTSet   uint16
	hTNew   uint16
	hNext   uint16
	hToStr  uint16
	hCat    [irkit.MaxArgs + 1]uint16 // by operand count, from 2
	hSub    uint16
}

// EnableJIT attaches a tracing JIT to L: hot loops are recorded and run as
// traces from now on.
func (L *State) EnableJIT(o JITOptions) {
	if o.Opt.Flags == 0 && o.Opt.HotLoop == 0 {
		o.Opt = guard.DefaultOptions()
	}
	j := &jitState{opts: o, traces: map[*Proto][]*jtrace{}, starts: guard.NewStarts(1), stackNeed: 2 * bytecode.MaxSlots}
	j.interp.Box = SlotWord
	j.tracker = guard.NewTracker(&j.opts.Opt.Params)
	j.flushed = map[uint64]bool{}
	j.left = map[uint64]uint8{}
	j.retStarts = map[uint64]*jtrace{}
	j.byCode = map[Compiled]*jtrace{}
	j.deepExit = map[[2]int]bool{}
	j.stats.Aborts = map[string]int{}
	j.maxIns = o.Opt.MaxRecord
	if j.maxIns <= 0 || j.maxIns > 30000 {
		j.maxIns = 4000
	}
	j.registerHelpers(L)
	L.jit = j
	L.setHotLoop(o.Opt.HotLoop)
}

// DisableJIT detaches the JIT and frees its machine code.
func (L *State) DisableJIT() {
	if L.jit == nil {
		return
	}
	for _, t := range L.jit.all {
		if t.native != nil {
			t.native.Free()
		}
	}
	L.jit, L.jrec = nil, false
	L.setHotLoop(0)
}

// JITStats returns the JIT's counters (zero if no JIT is attached).
func (L *State) JITStats() JITStats {
	if L.jit == nil {
		return JITStats{}
	}
	s := L.jit.stats
	s.Aborts = map[string]int{}
	for k, v := range L.jit.stats.Aborts {
		s.Aborts[k] = v
	}
	return s
}

// Interrupter is implemented by backends whose running traces can be
// asked to return to Go at their next loop back edge.
type Interrupter interface {
	Interrupt()
}

// InterruptJIT asks a running machine-code trace to exit at its next loop
// back edge (traces on the IR interpreter return to Go every 65536
// iterations anyway). It may be called from another goroutine. Machine
// code also returns by itself whenever the Go runtime asks the goroutine to
// stop (a GC, or the scheduler's time slice), through the preemption check
// at every back edge (emit.StackPreempt).
func (L *State) InterruptJIT() {
	if j := L.jit; j != nil {
		if in, ok := j.opts.Backend.(Interrupter); ok {
			in.Interrupt()
		}
	}
}

func (j *jitState) verbosef(format string, args ...any) {
	if j.opts.Verbose != nil {
		fmt.Fprintf(j.opts.Verbose, format, args...)
	}
}

func (j *jitState) find(p *Proto, loopPC int) *jtrace {
	if t := j.last; t != nil && t.p == p && t.loopPC == loopPC {
		return t
	}
	for _, t := range j.traces[p] {
		if t.loopPC == loopPC {
			j.last = t
			return t
		}
	}
	return nil
}

// traceOf returns the trace whose machine code is c (def if none).
func (j *jitState) traceOf(c Compiled, def *jtrace) *jtrace {
	if j.lastCode == c {
		return j.lastTrace
	}
	w := j.byCode[c]
	if w == nil {
		return def
	}
	j.lastCode, j.lastTrace = c, w
	return w
}

// findStart returns p's root loop trace that starts at pc, if any (a
// function trace is entered at calls only, with its frame just pushed).
func (j *jitState) findStart(p *Proto, pc int) *jtrace {
	for _, t := range j.traces[p] {
		if t.startPC == pc && t.loopPC != funcPC(p) {
			return t
		}
	}
	return nil
}

// startKey names a start point for guard.Starts.
func startKey(p *Proto, pc int) uint64 {
	return uint64(uintptr(unsafe.Pointer(p)))<<16 ^ uint64(pc)
}

// loc is "chunk:line" of pc in p.
func loc(p *Proto, pc int) string {
	return fmt.Sprintf("%s:%d", p.bp.Source, p.bp.Line(pc))
}

// hotLoop is called when the back edge at pc of p (a FORL, ITERL or LOOP)
// is hot. It runs the loop's trace if there is one (and reports true: the
// interpreter resumes at L.frames[top].pc), starts recording one if not.
func (L *State) hotLoop(p *Proto, pc int) bool {
	j := L.jit
	if j == nil || L.jrec {
		return false
	}
	if t := j.find(p, pc); t != nil {
		p.hot[pc] = 0 // come back at the next back edge
		return L.runTrace(t)
	}
	key := startKey(p, pc)
	if j.starts.Blacklisted(key) || j.flushed[key] {
		p.hot[pc] = math.MaxInt16
		return false
	}
	if len(j.all) >= j.opts.Opt.MaxTrace && j.opts.Opt.MaxTrace > 0 {
		return false
	}
	L.startRecording(p, pc)
	return false
}

// enterLoop is called at a FORI that enters its loop whose hot counter is
// 0, which it is while the loop has a trace: it runs the trace, as hotLoop
// does, and reports true. A counter that merely ran down to 0 starts no
// recording here: recordings start at back edges only (hotLoop), so that
// a loop that runs two rounds per entry is recorded in its last round and
// left (errLeave), as it is in LuaJIT, and not recorded from its first
// round into a trace of its own that every entry would leave at once.
func (L *State) enterLoop(p *Proto, pc int) bool {
	j := L.jit
	if j == nil || L.jrec {
		return false
	}
	if t := j.find(p, pc); t != nil {
		return L.runTrace(t)
	}
	return false
}

// loopLeft is called when the numeric for loop whose FORL is at pc of p
// gets hot as it ends (the FORL falls through). Recording from there would
// record the next round, which does not exist: the trace would leave the
// loop at once. So it counts as such a recording, aborted with errLeave,
// without recording anything: the loop is penalized, and noted as
// leaving (jitState.left). With the back edges that start a recording
// of a loop's last round, this is how a loop with one to three rounds per
// entry comes to be known short, whatever the phase of its counter.
func (L *State) loopLeft(p *Proto, pc int) {
	j := L.jit
	if L.jrec || j.find(p, pc) != nil {
		return
	}
	key := startKey(p, pc)
	if j.starts.Blacklisted(key) || j.flushed[key] {
		setHot(p, pc, math.MaxInt16)
		return
	}
	j.noteLeft(key)
	j.stats.Aborts[errLeave.Error()]++
	j.verbosef("[TRACE --- %s -- %s at %s]\n", loc(p, loopStart(p, pc)), errLeave, loc(p, pc))
	wait, black := j.starts.Abort(key)
	if black {
		j.stats.Blacklisted++
		wait = math.MaxInt32
	}
	setHot(p, pc, int64(wait))
}

// noteLeft counts a recording from start point key that left its loop.
func (j *jitState) noteLeft(key uint64) {
	if j.left[key] < math.MaxUint8 {
		j.left[key]++
	}
}

// loopEnd is the first pc after the loop whose back edge is at pc: a
// LOOP's jump target, the pc after a FORL or ITERL.
func loopEnd(p *Proto, pc int) int {
	ins := p.code[pc]
	if ins.Op() == bytecode.LOOP {
		return ins.Target(pc)
	}
	return pc + 1
}

// loopStart is the first pc of the loop body whose back edge is at pc.
func loopStart(p *Proto, pc int) int {
	ins := p.code[pc]
	if ins.Op() == bytecode.LOOP {
		return pc + 1
	}
	return ins.Target(pc)
}

// recordAborted is called when a recording failed: the start point is
// penalized, and blacklisted after repeated failures.
func (L *State) recordAborted(reason string, atPC int, atProto *Proto) {
	j := L.jit
	r := &j.rec
	j.stats.Aborts[reason]++
	where := ""
	if atProto != nil {
		where = " at " + loc(atProto, atPC)
	}
	j.verbosef("[TRACE --- %s -- %s%s]\n", loc(r.root, r.startPC), reason, where)
	key := startKey(r.root, r.loopPC)
	if reason == errLeave.Error() {
		j.noteLeft(key)
	}
	wait, black := j.starts.Abort(key)
	if black {
		j.stats.Blacklisted++
		wait = math.MaxInt32
	}
	setHot(r.root, r.loopPC, int64(wait))
}

// runTrace enters root trace t at its start with the running frame and
// reports true: the interpreter must reload the frame, whose pc is the
// exit's. The backend may link exits to other traces in machine code
// (Linker); exits it returns are linked here, in Go, at the cost of a
// return and an Enter per link.
//
// A trace's slot 0 is the slot below its base frame's first slot. A root
// trace's base frame is the frame it loops in; a side trace's may be a
// caller of the frame it starts in (jtrace.depth frames down), and a run
// moves from base to base as links go down into callers and up into
// callees. After an exit, the frames above the exiting trace's base frame
// are the trace's to rebuild from the exit's snapshot.
func (L *State) runTrace(t *jtrace) bool {
	j := L.jit
	top := len(L.frames) - 1
	base := int(L.frames[top].base) - 1
	// Twice the room traces need (stackNeed): recursive calls in machine
	// code then find the stack big enough until they are that deep.
	if need := base + 2*int(j.stackNeed); need > len(L.stack) {
		L.ensureStack(need)
	}
	stack := unsafe.Slice((*uint64)(unsafe.Pointer(&L.stack[0])), len(L.stack))
	var t0 time.Time
	// Under stress every run exits early by design: no trace is flushed.
	sample := t.entries&63 == 0 && t.native != nil && !t.measured && j.opts.Stress.Mode == guard.StressOff
	if sample {
		t0 = time.Now()
	}
	defer func() {
		L.vmResume()
		if sample {
			j.measure(t, time.Since(t0))
		}
	}()
	for cur := t; ; {
		j.stats.Entries++
		cur.entries++
		L.steps--
		var pc uint64
		snap := -1
		interrupted := false
		j.setVM(VMTrace + uint32(cur.id))
		if cur.native != nil {
			var key uint64
			if j.stats.KeyedLinks > 0 { // else no link looks at it
				key = L.callerKey()
			}
			ex, err := cur.native.Run(stack, base, key)
			if err != nil {
				L.rtError("jit: " + err.Error())
			}
			if ex.Trace != cur.native {
				// Linked exits took the run into other traces.
				cur = j.traceOf(ex.Trace, cur)
			}
			snap, pc, base = ex.Snap, ex.PC, ex.Base
			if ex.Interrupted {
				// Let checkLimits look at the clock; Steps does not
				// count the forfeit.
				L.stepsLost += L.steps
				L.steps = 0
				interrupted = true
			}
		} else {
			j.interp.MaxIter, j.interp.Force = cur.maxIter, cur.force
			ex, err := j.interp.Run(cur.t, stack[base:])
			switch {
			case err == irkit.ErrMaxIter:
				// Back at the loop start with the loop snapshot restored.
				pc = uint64(cur.startPC)
				L.steps -= int64(ex.Iter)
			case err != nil:
				L.rtError("jit: " + err.Error())
			default:
				snap, pc = ex.Snap, ex.PC
				L.steps -= int64(ex.Iter)
			}
		}
		j.setVM(VMExit)
		// The end of a trace that returned into its caller (recRetDown).
		retEnd := cur.retDelta != 0 && snap == len(cur.exits)-1
		if retEnd {
			base -= cur.retDelta
		}
		var frs []irkit.Frame
		if snap >= 0 && snap < len(cur.exits) {
			frs = cur.t.Frames(snap)
		}
		L.rebuildFrames(base, frs, pc)
		if retEnd && cur.link == nil {
			j.linkReturn(cur, L.fns[L.frames[len(L.frames)-1].fn].p, int(pc))
		}
		L.exitMres = -1 // only the last exit of the run counts
		if len(cur.mres) > 0 {
			L.exitMultres(cur)
		}
		if retEnd && cur.retMres >= 0 {
			L.exitMres = cur.retMres
		}
		if snap < 0 || snap >= len(cur.exits) {
			break
		}
		next := cur.sides[snap]
		if cur.link != nil && snap == len(cur.exits)-1 && int(pc) == cur.link.startPC {
			// A side trace ran to its end: go round its loop again, or
			// into the loop it links to.
			next = cur.link
		} else {
			cur.exits[snap]++
			j.stats.Exits++
		}
		if next != nil && next.deep && !L.sameCaller(next.caller) {
			// A side trace recorded from the caller's frame runs only
			// under a caller like the one it was recorded with.
			break
		}
		if next != nil && L.steps > 0 {
			cur = next
			top := len(L.frames) - 1
			base = int(L.frames[top-cur.depth].base) - 1
			if !cur.deep {
				// The side trace runs the frames its parent inlined
				// without their records, as it does after a link in
				// machine code (jrecorder.virt).
				L.frames = L.frames[:top-cur.depth+1]
			}
			continue
		}
		// An exit taken because the collector is due (the guard before
		// an allocating call, recordIns's gcRoom) is no hot path: a side
		// trace from it would copy the rest of the trace, and the next
		// run passes once the interpreter has collected. Nor is an exit
		// the stress mode forces, or one Go or the VM asked for (the back
		// edge of a loop that was preempted): none gets a side trace.
		if L.memBytes >= L.gcNext {
			interrupted = true
		}
		if next == nil && !interrupted && j.tracker.Exit(guard.TraceID(cur.id), snap) == guard.RecordSide && !j.opts.Stress.Force(guard.TraceID(cur.id), snap) {
			L.startSide(cur, snap, int(pc), len(frs)-1)
		}
		break
	}
	if L.steps <= 0 {
		L.checkLimits()
	}
	return true
}

// Profitability: a root trace whose runs (entry, code, exit and restore,
// with the side traces and loops it links to) take less than minRun
// (first quartile of the sampled runs) saves nothing over the
// interpreter: its loop runs a few iterations per entry and the fixed
// cost of entering and restoring dominates. After runSamples sampled runs
// such a trace is flushed and its loop left to the interpreter for good.
//
// Runs are sampled while the root's tree stands still: a new side trace
// in it drops the samples taken so far, which measured runs that
// returned to Go where the tree now goes on. Without that, queens' loop
// trace and function trace were flushed in about half the runs at
// N=10, from samples of their first few thousand runs, while their
// trees still grew towards runs that call, return and loop in machine
// code for the rest of the program (0.40 s with both flushed, 0.28-0.32
// s without).
//
// The threshold is measured, on the two bench programs whose root traces
// are entered from Go often enough to be sampled (4 runs each, a loaded
// 2-core machine): queens' loop, which returns to Go at every recursive
// call and runs 0.95 s as traces against 0.55 s interpreted, has a first
// quartile of 241-391 ns (median 561-862 ns); fannkuch's permutation loop,
// 3.9x faster as traces, 511-751 ns (median 641 ns to 2.3 us). The
// medians overlap; the quartiles do not.
const (
	runSamples = 32
	minRun     = 450 * time.Nanosecond
)

func (j *jitState) measure(t *jtrace, d time.Duration) {
	t.samples = append(t.samples, d)
	if len(t.samples) < runSamples {
		return
	}
	t.measured = true
	// The first quartile, not the mean or the median: a sample that a
	// preemption, a GC or another process stretched says nothing about
	// the trace, and on a loaded machine a quarter or more of them are.
	slices.Sort(t.samples)
	q1 := t.samples[len(t.samples)/4]
	t.samples = nil
	if q1 >= minRun {
		return
	}
	list := j.traces[t.p]
	for i, x := range list {
		if x == t {
			j.traces[t.p] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	j.last = nil
	j.flushed[startKey(t.p, t.loopPC)] = true
	setHot(t.p, t.loopPC, math.MaxInt32)
	j.stats.Flushed++
	j.verbosef("[TRACE %3d flushed: %v per run (first quartile) does not pay for entering it]\n", t.id, q1)
}

// rebuildFrames makes the frame records agree with a trace's exit: the
// frame whose slot 0 is base+1 is the trace's base frame; the records
// above it are dropped (a trace may have returned from them) and those of
// the exit's inlined calls are pushed, frs being the exit snapshot's
// frames, outermost (the base frame) first. Without frames, pc is where the
// base frame resumes.
func (L *State) rebuildFrames(base int, frs []irkit.Frame, pc uint64) {
	bfi := len(L.frames) - 1
	for bfi >= 0 && int(L.frames[bfi].base)-1 != base {
		bfi--
	}
	if bfi < 0 || L.frames[bfi].kind == frGo {
		L.rtError("jit: a trace exited into a frame the VM does not have")
	}
	L.frames = L.frames[:bfi+1]
	if len(frs) == 0 {
		L.frames[bfi].pc = int32(pc)
		return
	}
	L.frames[bfi].pc = int32(frs[0].PC)
	p := L.fns[L.frames[bfi].fn].p
	for d := 1; d < len(frs); d++ {
		callPC := int(frs[d-1].PC) - 1
		nres := p.code[callPC].B() - 1
		fslot := base + int(frs[d].Base)
		fv := L.stack[fslot]
		n := len(L.frames)
		if n == cap(L.frames) {
			L.growFrames()
		}
		L.frames = L.frames[:n+1]
		f := &L.frames[n]
		f.fn, f.base, f.fslot, f.pc, f.nres, f.nvar, f.kind = fv.idx(), int32(fslot+1), int32(fslot), int32(frs[d].PC), int32(nres), 0, frLua
		p = L.fns[fv.idx()].p
	}
}

// SlotWord returns the slot word (a Value's bits) for an exit's value of
// IR type ty: an int32 becomes the double it counts (irkit's SinkITOF
// leaves narrowed loop indexes to the restore), a boolean the Lua
// boolean, anything else is the word itself. Snapshot restorers of a
// machine-code backend must box the same way.
func SlotWord(ty irkit.Type, bits uint64) uint64 {
	switch ty.Base() {
	case irkit.TInt:
		return uint64(Number(float64(int32(bits))))
	case irkit.TBool:
		return uint64(Bool(bits != 0))
	}
	return bits
}

// exitMultres sets State.exitMres when the frame an exit of t resumes is
// at a CALLM the trace ran: the interpreter takes its MULTRES from there
// (execute) instead of from its own, which the trace left stale.
func (L *State) exitMultres(t *jtrace) {
	fr := &L.frames[len(L.frames)-1]
	if fr.kind == frGo {
		return
	}
	p := L.fns[fr.fn].p
	for _, m := range t.mres {
		if m.p == p && m.pc == int(fr.pc) {
			L.exitMres = m.res
			return
		}
	}
}

// takeMultres returns the MULTRES a trace exit left for the interpreter
// (exitMultres), or m if it left none.
func (L *State) takeMultres(m int) int {
	if L.exitMres >= 0 {
		m, L.exitMres = L.exitMres, -1
	}
	return m
}
