package vm

// -- The bytecode recorder ----------------------------------------------------
//
// recordIns runs before the interpreter executes each bytecode while a
// recording is active (L.jrec). It looks at the live operands, emits the
// IR of the bytecode specialized on their types through irkit.Recorder,
// and lets the interpreter execute it. The discipline is LuaJIT's: every
// guard of a bytecode comes before any slot it writes, so an exit resumes
// at that bytecode and the interpreter re-executes it.
//
// Values: slots are loaded as value words (TVal). A number is guarded with
// ISNUM and unboxed (UNBOXN); results stay unboxed TNum in the slot map,
// and a snapshot writes their bits back, which is exactly their boxed form
// (the VM never canonicalizes arithmetic NaNs, so neither do we: no BOXN).
// Booleans, nil, strings and functions are guarded by tag; tables by tag,
// then reached through State.tabs: the trace never bakes in a Go pointer
// it could not reload, except the globals table, which never changes.
//
// Memory reached by a trace (all loads are re-done on every run):
//
//	table value --UNBOXP--> index --AREF(State.tabs)--> *Table (tabAt)
//	*Table + offArr:  array data, length   (array part, bounds-guarded)
//	*Table + offNode: node data, length    (hash part: key-at-node guard)
//	*Table + offMt:   metatable (guarded 0 before stores and nil reads)

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// Layout of the VM objects traces read, for FLOAD/AREF offsets.
var (
	offArr    = uint16(unsafe.Offsetof(Table{}.arr))
	offNode   = uint16(unsafe.Offsetof(Table{}.node))
	offMt     = uint16(unsafe.Offsetof(Table{}.mt))
	offFlags  = uint16(unsafe.Offsetof(Table{}.flags))
	offUp     = uint16(unsafe.Offsetof(Closure{}.up))
	offProto  = uint16(unsafe.Offsetof(Closure{}.p))
	offUpV    = uint16(unsafe.Offsetof(Upval{}.v))
	offUpIdx  = uint16(unsafe.Offsetof(Upval{}.idx))
	nodeWords = int64(unsafe.Sizeof(node{}) / 8)
)

const (
	nodeNext = uint16(unsafe.Offsetof(node{}.next))
	nodeKey  = uint16(unsafe.Offsetof(node{}.key))
	nodeVal  = uint16(unsafe.Offsetof(node{}.val))
)

// Builtins the recorder inlines.
const (
	biNone = iota
	biFloor
	biCeil
	biAbs
	biSqrt
	biByte  // string.byte(s [, i]), one result
	biLen   // string.len(s)
	biToStr // tostring(x) of a string or a number
	biSub   // string.sub(s, i [, j])
	biIpairs
	biPairs
)

// errNYI is an abort whose message is the reason.
type errNYI string

func (e errNYI) Error() string { return string(e) }

// errReturn aborts a recording that returns from its base frame.
var errReturn error = errNYI("NYI: return from the loop's function")

// errLeave aborts a root trace whose recorded iteration left its loop
// (the loop's FORL or ITERL fell through, its while condition failed, a
// break): it cannot close. The start point is remembered as a short loop
// (jitState.left), which the root traces of enclosing loops may unroll.
var errLeave error = errNYI("leaving loop in root trace")

// errInner aborts a root trace at the back edge of a loop inside its own
// that it may not unroll: the inner loop gets its own trace, and its exits
// side traces.
var errInner error = errNYI("NYI: inner loop")

// errUnroll aborts a recording that would pass more back edges of other
// loops than the loopunroll parameter allows.
var errUnroll error = errNYI("loop unroll limit")

// jrecorder is the state of one recording.
type jrecorder struct {
	L       *State
	b       *irkit.Builder
	r       *irkit.Recorder
	p       *Proto // the running (innermost) function
	root    *Proto // the function of the loop
	ci      int
	base    int // absolute stack index of bytecode slot 0
	fn      uint32
	loopPC  int
	startPC int
	endPC   int // where the trace ends: the loop start
	// loopEnd, for a root loop trace, is the first pc past its loop: the
	// recording leaves the loop when it reaches it in the loop's frame.
	loopEnd int
	// unroll is how many more back edges of other loops the recording may
	// pass (the loopunroll parameter, see innerLoop).
	unroll  int
	parent  *jtrace   // side traces: the trace and exit they start from
	link    *jtrace   // side traces: the root trace the recording ended at
	delta   int       // side traces: link's slot 0 relative to the trace's
	startP  *Proto    // the function the trace starts in
	entry   []jcaller // side traces: the frames below the one it starts in
	entryD  int       // side traces: slot 0 relative to the parent's exit's
	upAlias []int     // slots (of the slot map) read through open upvalues
	upStore []int     // slots (of the slot map) stored to through open upvalues
	// known holds, for a side trace, the stack indices its parent's exit
	// writes a number to (knownNumbers); inherits says a slot was loaded
	// as a number on that knowledge alone.
	known    map[int]bool
	knownK   map[int]float64 // of known, those the exit writes a constant to, by value
	pin      Value           // the closure the trace guards by value (pinClosure), or 0
	inherits bool
	exit     int
	nbc      int
	loops    []int // inner LOOP pcs passed
	// trips holds, per inner numeric for loop entered (its FORL pc,
	// with the inlining depth above bit 24), the rounds it was entered
	// for, as its FORI saw them (see innerLoop).
	trips map[int]int
	pcs   []jpc // bytecodes recorded, for -jdump
	// iv is the int32 index of the root trace's own for loop, narrowed at
	// the trace's start (narrowLoop), whose slots start at ivA in the
	// frame at ivBase; NoRef if none.
	iv          irkit.Ref
	ivA, ivBase int
	t0          time.Time
	builtin     map[Value]int
	callers     []jcaller // inlined calls: the frames below the current one
	keep        []*Proto  // protos the trace guards by address (kept alive)
	// mres is the MULTRES the last recorded bytecode left, -1 if none:
	// a builtin called for all its results (CALL with B=0) leaves one,
	// in slot mresA, for the CALLM that follows (f(g(x))).
	mres, mresA, mresPC int
	mresAt              []jmres // the MULTRES each recorded CALLM consumed
	// Function trace trees (jit_recurse.go): upDelta is the slot distance
	// to the callee when the trace ends in a recursive call; retDelta the
	// distance from the caller's slot 0 to the returning frame's when it
	// ends returning below its base frame, at retPC of the caller.
	upDelta, retDelta, retPC int
	tailRec                  bool     // the trace ends in a tail call of its function (recTailCall)
	pushed                   bool     // the trace pushed frame records (pushRecords)
	tails                    []*Proto // functions tail-called in inlined frames (recTailCall)
	// retMres is the MULTRES a trace that ends returning leaves, for a
	// caller that wants all the results (-1: the caller wants a fixed
	// number).
	retMres int
	mresIn  int    // side traces: the MULTRES the first bytecode takes (-1: none)
	retP    *Proto // the caller the trace returns into (recRetDown)
	// real is the depth of the innermost frame with a record in
	// State.frames (a deep side trace's entry frame has its own): a
	// return from such a frame pops it (see recRet).
	real int
	// virt is the depth of the innermost entry frame of a side trace
	// that has no record: the frames its parent inlined, whose records
	// runTrace drops before the side trace runs (the link stub from the
	// parent's exit never had them pushed). They existed before the
	// trace ran, so a return from one guards that no upvalue is open in
	// it (recRet).
	virt int
}

// jmres is the MULTRES a trace's CALLM at pc of p consumed: an exit that
// resumes there must set the interpreter's to it.
type jmres struct {
	p       *Proto
	pc, res int
}

// jpc is a recorded bytecode.
type jpc struct {
	p     *Proto
	pc    int
	ref   irkit.Ref // the first IR instruction recorded for it
	depth int       // inlined calls around it
}

// jcaller is the recorder's view of a frame below an inlined call.
type jcaller struct {
	p      *Proto
	ci     int
	base   int
	fn     uint32
	callA  int // the CALL's slot A in that frame
	nres   int // results it wants
	callPC int // the CALL's pc
	// callee is the closure index (TI64) of the function the CALL
	// called, guarded while recording; NoRef for a side trace's entry
	// frames, whose records exist.
	callee irkit.Ref
}

// startRecording begins recording the loop whose back edge is at loopPC.
func (L *State) startRecording(p *Proto, loopPC int) {
	j := L.jit
	ci := len(L.frames) - 1
	fr := &L.frames[ci]
	if fr.kind == frGo {
		return
	}
	r := &j.rec
	if r.builtin == nil {
		r.builtin = L.jitBuiltins()
	}
	r.b = irkit.NewBuilder(irkit.NewTrace(256))
	r.b.T.Helpers = j.helpers
	r.b.NoFold = j.opts.Opt.Flags&guard.Fold == 0
	r.b.NoCSE = j.opts.Opt.Flags&guard.CSE == 0
	// The recorder's FLOAD/FSTORE address only fields of the VM's own
	// structures (Table, node, Closure, slice headers) at their fixed,
	// non-overlapping offsets, and no object is addressed at an offset
	// into another: a store to a node's value does not change a table's
	// node pointer (irkit.Builder.FieldsDisjoint). Each field is read
	// and written as one type (a node's key and value as value words, the
	// numbers stored there included; pointers, lengths, indices and
	// flags as theirs), so a store to a node's value does not change the
	// upvalue array pointer a closure has at the same offset
	// (irkit.Builder.FieldsTyped).
	r.b.FieldsDisjoint = true
	r.b.FieldsTyped = true
	// Slots are read and written only with SLOAD (the recorder emits no
	// SSTORE), except through an open upvalue into a frame the trace
	// holds, which upAliasOK confines: such a slot is never written by
	// the trace if it is read through the upvalue, and never loaded if it
	// is stored through it. So no memory store changes a slot the trace
	// loads, and an array store no longer reloads the loop's slots
	// (irkit.Builder.SlotsDisjoint).
	r.b.SlotsDisjoint = true
	r.r = irkit.NewRecorder(r.b)
	r.L, r.p, r.root, r.ci, r.base, r.fn = L, p, p, ci, int(fr.base), fr.fn
	r.loopPC, r.startPC, r.endPC, r.loopEnd = loopPC, 0, -1, -1
	if loopPC != funcPC(p) {
		r.startPC = loopStart(p, loopPC)
		r.endPC = r.startPC
		r.loopEnd = loopEnd(p, loopPC)
	}
	r.unroll = j.opts.Opt.LoopUnroll
	r.parent, r.exit = nil, 0
	r.upDelta, r.retDelta, r.retPC, r.real, r.retMres, r.mresIn, r.retP, r.tailRec = 0, 0, 0, 0, -1, -1, nil, false
	r.virt = 0
	r.tails, r.pushed = r.tails[:0], false
	r.startP, r.entry, r.entryD, r.link, r.delta = p, r.entry[:0], 0, nil, 0
	r.mres, r.mresAt = -1, nil
	r.upAlias, r.upStore = r.upAlias[:0], r.upStore[:0]
	clear(r.known)
	clear(r.knownK)
	r.pin = 0
	r.iv = irkit.NoRef
	r.inherits = false
	r.nbc = 0
	r.loops = r.loops[:0]
	if r.trips == nil {
		r.trips = map[int]int{}
	}
	clear(r.trips)
	r.pcs = r.pcs[:0]
	r.callers = r.callers[:0]
	r.keep = nil
	r.t0 = time.Now()
	r.r.Start(uint64(r.startPC))
	L.jrec = true
	L.vmResume()
	if loopPC < len(p.code) && p.code[loopPC].Op() == bytecode.FORL && j.opts.Opt.Flags&guard.Narrow != 0 {
		ins := p.code[loopPC]
		r.narrowLoop(ins.A())
	}
}

// -- Narrowing ------------------------------------------------------------------
//
// A numeric for loop whose start, stop and step are integers in int32
// range counts in int32 in the root trace of that loop: the index is
// converted once at the trace's entry (an FTOIX guard), FORL adds in
// int32 and compares integers, and array indexing uses the integer
// directly. The add cannot overflow: the index never passes stop, and a
// guard before the loop (ADDOV of stop and step) leaves the trace if
// stop+step would. The slots still receive doubles: the slot map holds
// ITOF(index), so snapshots, table stores and arithmetic see the number
// Lua computes, exactly (every int32 is a double). After loop peeling,
// fold turns FTOIX(ITOF(i)) back into i, so the loop body works on the
// integer.

// maxNarrow bounds the values a narrowed loop may start, stop or step at.
const maxNarrow = 1<<31 - 1

func narrowable(f float64) bool {
	return f == math.Trunc(f) && f >= -maxNarrow && f <= maxNarrow && !(f == 0 && math.Signbit(f))
}

// narrowLoop narrows the index of the for loop whose slots start at a, at
// the start of the root trace of that loop, if its live values allow.
func (r *jrecorder) narrowLoop(a int) {
	idx, stop, step := r.live(a), r.live(a+1), r.live(a+2)
	if !idx.IsNumber() || !stop.IsNumber() || !step.IsNumber() ||
		!narrowable(idx.Float()) || !narrowable(stop.Float()) || !narrowable(step.Float()) || step.Float() == 0 {
		return
	}
	f, _ := r.forNum(a)
	i := r.emit(irkit.FTOIX, irkit.TInt, f, irkit.NoRef)
	r.iv, r.ivA, r.ivBase = i, a, r.base
	n := r.emit(irkit.ITOF, irkit.TNum, i, irkit.NoRef)
	// At the loop body's start the visible copy equals the index.
	r.set(a, n)
	r.set(a+3, n)
}

// intOf returns x if ref is ITOF(x) of an int32 x (a narrowed number).
func (r *jrecorder) intOf(ref irkit.Ref) irkit.Ref {
	if !ref.IsIns() {
		return irkit.NoRef
	}
	if ins := r.b.T.Ins(ref); ins.Op == irkit.ITOF && r.typ(ins.Op1) == irkit.TInt {
		return ins.Op1
	}
	return irkit.NoRef
}

// jitBuiltins maps the library functions the recorder inlines to their
// kind, by their current values (a program that replaces math.floor gets
// a call, not the inlined floor).
func (L *State) jitBuiltins() map[Value]int {
	m := map[Value]int{}
	for lib, fns := range map[string]map[string]int{
		"math":   {"floor": biFloor, "ceil": biCeil, "abs": biAbs, "sqrt": biSqrt},
		"string": {"byte": biByte, "len": biLen, "sub": biSub},
	} {
		lv := L.G.getHash(L.String(lib))
		if lv.tag() != tagTab {
			continue
		}
		lt := L.tabs[lv.idx()]
		for name, k := range fns {
			if f := lt.getHash(L.String(name)); f.tag() == tagGFn {
				m[f] = k
			}
		}
	}
	for name, k := range map[string]int{"tostring": biToStr, "ipairs": biIpairs, "pairs": biPairs} {
		if f := L.G.getHash(L.String(name)); f.tag() == tagGFn {
			m[f] = k
		}
	}
	return m
}

// recordIns is the interpreter's hook: the bytecode at pc of the running
// frame is about to execute.
func (L *State) recordIns(pc int) {
	j := L.jit
	r := &j.rec
	// A bug in the recorder must cost a trace, never the program.
	defer func() {
		if e := recover(); e != nil {
			L.jrec = false
			r.abort(errNYI(fmt.Sprintf("internal error: %v", e)), -1)
		}
	}()
	ci := len(L.frames) - 1
	if fr := &L.frames[ci]; ci != r.ci || int(fr.base) != r.base || fr.fn != r.fn || fr.kind == frGo {
		r.abort(errNYI("NYI: leaving the frame"), -1)
		return
	}
	if r.nbc > 0 {
		if r.parent == nil && pc == r.endPC && len(r.callers) == 0 {
			r.finish(pc)
			return
		}
		// In a structured loop every way out (the loop instruction
		// falling through, a false while condition, a break) goes to or
		// past the loop's end; a return leaves the frame (above).
		if r.parent == nil && r.loopEnd >= 0 && pc >= r.loopEnd && len(r.callers) == 0 {
			r.abort(errLeave, pc)
			return
		}
		// A side trace that reaches the start of a loop with a trace (its
		// root's loop again, an inner loop entered again from its outer
		// loop's body, the next of two loops, the loop of a function
		// called again) ends there and links to it. The records of the
		// frames below are right (traces pop the records of the frames
		// they return from); those of frames the trace inlined are pushed
		// first (pushRecords), so that the linked trace runs with the
		// records ending with its base frame's.
		if r.parent != nil {
			t := j.findStart(r.p, pc)
			if t == nil && pc == r.endPC && r.p == r.root {
				t = r.parent.root // its root, even if flushed
			}
			if t != nil && r.pushRecords(pc, irkit.NoRef, 0, 0) == nil {
				r.link, r.delta = t, r.r.Base()
				r.finish(pc)
				return
			}
		}
	}
	r.nbc++
	if r.nbc > 2000 || r.b.T.Len() > j.maxIns {
		r.abort(errNYI("trace too long"), pc)
		return
	}
	r.pcs = append(r.pcs, jpc{r.p, pc, r.b.T.Next(), len(r.callers)})
	r.r.SetPC(uint64(pc))
	err := r.ins(pc)
	if err == nil {
		err = r.r.Err()
	}
	if err != nil {
		r.abort(err, pc)
	}
}

// abort ends the recording without a trace.
func (r *jrecorder) abort(err error, pc int) {
	L := r.L
	L.jrec = false
	L.vmResume()
	reason := err.Error()
	var ae *irkit.AbortError
	if errors.As(err, &ae) {
		reason = ae.Reason
	} else if errors.Is(err, irkit.ErrGuardFails) {
		reason = "guard always fails"
	}
	var at *Proto
	if pc >= 0 {
		at = r.p
	}
	if r.parent != nil {
		j := L.jit
		if err == errReturn && len(r.entry) == 0 {
			j.deepExit[[2]int{r.parent.id, r.exit}] = true
		}
		j.stats.Aborts[reason]++
		j.tracker.SideAborted(guard.TraceID(r.parent.id), r.exit)
		where := ""
		if at != nil {
			where = " at " + loc(at, pc)
		}
		j.verbosef("[TRACE --- (%d/%d) %s -- %s%s]\n", r.parent.id, r.exit, loc(r.startP, r.startPC), reason, where)
	} else {
		L.recordAborted(reason, pc, at)
	}
	r.p = r.root
}

// -- Helpers --------------------------------------------------------------------

func (r *jrecorder) live(i int) Value { return r.L.stack[r.base+i] }
func (r *jrecorder) slot(i int) irkit.Ref {
	if k, ok := r.knownK[r.base+i]; ok && !r.r.Mapped(i+1) {
		r.inherits = true
		return r.knum(k)
	}
	if r.known[r.base+i] {
		r.inherits = true
		return r.r.Slot(i+1, irkit.TNum)
	}
	return r.r.Slot(i+1, irkit.TVal)
}
func (r *jrecorder) set(i int, ref irkit.Ref) {
	if ref == irkit.NoRef {
		r.b.SetErr(errNYI("internal: no value"))
		return
	}
	r.r.SetSlot(i+1, ref)
}
func (r *jrecorder) typ(ref irkit.Ref) irkit.Type {
	if ref == irkit.NoRef {
		return irkit.TVoid
	}
	return r.b.T.Ins(ref).T.Base()
}
func (r *jrecorder) emit(op irkit.Op, ty irkit.Type, a, c irkit.Ref) irkit.Ref {
	return r.r.Emit(op, ty, a, c)
}
func (r *jrecorder) guard(op irkit.Op, a, c irkit.Ref) { r.r.Emit(op, irkit.TVoid, a, c) }

// guardRel guards that relation op holds (held true) or fails (false).
func (r *jrecorder) guardRel(op irkit.Op, a, c irkit.Ref, held bool) {
	if !held {
		n, ok := op.Negate(r.typ(a))
		if !ok {
			r.b.SetErr(errNYI("internal: no negation"))
			return
		}
		op = n
	}
	r.guard(op, a, c)
}

func (r *jrecorder) kval(v Value) irkit.Ref { return r.b.KVal(uint64(v)) }
func (r *jrecorder) knum(f float64) irkit.Ref {
	return r.b.K(irkit.TNum, uint64(nv(f)))
}
func (r *jrecorder) kptr(p unsafe.Pointer) irkit.Ref { return r.b.KPtr(uintptr(p)) }

// typeGuard guards that ref, holding the live value v, keeps v's type.
func (r *jrecorder) typeGuard(ref irkit.Ref, v Value) {
	if r.typ(ref) == irkit.TNum {
		return
	}
	if v.IsNumber() {
		r.guard(irkit.ISNUM, ref, irkit.NoRef)
	} else {
		r.guard(irkit.ISTAG, ref, irkit.Ref(v.tag()))
	}
}

// typed guards that ref, a value just loaded from memory or returned by
// a helper while it held v, keeps v's type, and returns what the slot it
// goes to should hold: for a number the unboxed number, else ref. A slot
// that holds a number then costs its users no further check, and its
// snapshots restore it from the number; on machines where the check and
// the unboxing read memory (regalloc.Target.FuseLoads), the boxed word
// is not loaded into a register at all.
func (r *jrecorder) typed(ref irkit.Ref, v Value) irkit.Ref {
	r.typeGuard(ref, v)
	if v.IsNumber() && r.typ(ref) != irkit.TNum {
		return r.emit(irkit.UNBOXN, irkit.TNum, ref, irkit.NoRef)
	}
	return ref
}

// num returns slot i as an unboxed number, guarding its type; ok is false
// if the live value is not a number.
func (r *jrecorder) num(i int) (irkit.Ref, bool) {
	ref := r.slot(i)
	if r.typ(ref) == irkit.TNum {
		return ref, true
	}
	if !r.live(i).IsNumber() {
		return irkit.NoRef, false
	}
	r.guard(irkit.ISNUM, ref, irkit.NoRef)
	return r.emit(irkit.UNBOXN, irkit.TNum, ref, irkit.NoRef), true
}

// tabPtr guards that slot i holds a table and returns its *Table address.
func (r *jrecorder) tabPtr(i int) (irkit.Ref, *Table, bool) {
	v := r.live(i)
	if v.tag() != tagTab {
		return irkit.NoRef, nil, false
	}
	ref := r.slot(i)
	r.guard(irkit.ISTAG, ref, irkit.Ref(tagTab))
	data := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&r.L.tabs)), 0)
	return r.tabAt(data, ref), r.L.tabs[v.idx()], true
}

// tabAt returns the *Table address of table value ref, which a guard has
// just proved a table, from data, State.tabs' array. The table's entry is
// data + 8*UNBOXP(ref). Under a layout whose tag check covers every bit
// above the payload (no bits between tag and prefix), the guard proved
// ref = BoxTag(0, tagTab) + payload, so the entry is also
// (data - 8*BoxTag(0, tagTab)) + 8*ref, mod 2^64: that base is loop
// invariant, and the value word itself indexes it (BCAST, which the
// address fusion reads through: regalloc.Target.FusedAddr), which saves
// the unboxing's copy and two shifts on every table access.
func (r *jrecorder) tabAt(data, ref irkit.Ref) irkit.Ref {
	var base, idx irkit.Ref
	if b := &r.b.T.Box; b.PrefixShift == b.TagShift+b.TagBits {
		bias := r.b.KI64(-int64(8 * b.BoxTag(0, uint64(tagTab))))
		base = r.emit(irkit.ADD, irkit.TPtr, data, bias)
		idx = r.emit(irkit.BCAST, irkit.TI64, ref, irkit.NoRef)
	} else {
		base = data
		idx = r.emit(irkit.UNBOXP, irkit.TI64, ref, irkit.NoRef)
	}
	return r.emit(irkit.ALOAD, irkit.TPtr, r.emit(irkit.AREF, irkit.TPtr, base, idx), irkit.NoRef)
}

// guardNoMeta guards that the table at tp has no metatable.
func (r *jrecorder) guardNoMeta(tp irkit.Ref) {
	mt := r.emit(irkit.FLOAD, irkit.TInt, tp, irkit.Ref(offMt))
	r.guard(irkit.EQ, mt, r.b.KInt(0))
}

// arrRef returns the address of array element i0 (0-based, TI64) of the
// table at tp, whose array part has alen elements now (-1: unknown), with
// a bounds guard: on i0, or on the largest index the loop can reach
// (loopBound).
func (r *jrecorder) arrRef(tp, i0 irkit.Ref, alen int) irkit.Ref {
	data := r.emit(irkit.FLOAD, irkit.TPtr, tp, irkit.Ref(offArr))
	n := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offArr+8))
	if hi := r.loopBound(i0, alen); hi != irkit.NoRef {
		r.guard(irkit.ULT, hi, n)
	} else {
		r.guard(irkit.ULT, i0, n)
	}
	return r.emit(irkit.AREF, irkit.TPtr, data, i0)
}

// loopBound returns, for an array index i0 that is the index of the root
// trace's own narrowed for loop plus a constant d, the highest index the
// loop reaches, stop+d, when one bounds guard on it proves every round's
// index in bounds; else NoRef. The loop's step is a positive constant
// and its start a constant with start+d >= 0 (forInitK): the index only
// grows from start and never passes stop, so start+d <= i0 <= stop+d,
// and stop+d < len proves 0 <= i0 < len. The guard is on values the loop
// does not change when the table's length is one (a table loaded before
// the loop and not resized in it): loop peeling then leaves one guard
// before the loop instead of one per round (LuaJIT's recorder hoists
// bounds checks on a for loop's index the same way). The bound is taken
// only when the array holds it now (alen): a guard sure to fail would
// send every entry out of the trace.
func (r *jrecorder) loopBound(i0 irkit.Ref, alen int) irkit.Ref {
	if r.iv == irkit.NoRef || r.parent != nil || len(r.callers) > 0 || r.p != r.root || r.base != r.ivBase || !i0.IsIns() {
		return irkit.NoRef
	}
	t := r.b.T
	var d int64
	x := i0
	if in := t.Ins(x); in.Op == irkit.ADD || in.Op == irkit.SUB {
		w, ok := t.KWord(in.Op2)
		if !ok || t.Ins(in.Op2).Op != irkit.KI64 {
			return irkit.NoRef
		}
		if d = int64(w); in.Op == irkit.SUB {
			d = -d
		}
		x = in.Op1
	}
	if !x.IsIns() {
		return irkit.NoRef
	}
	if in := t.Ins(x); in.Op != irkit.SEXT || in.Op1 != r.iv {
		return irkit.NoRef
	}
	a := r.ivA
	fori := r.root.code[r.loopPC].Target(r.loopPC) - 1
	start, ok1 := forInitK(r.root, fori, a, a)
	step, ok2 := stepK(r.root, fori, a)
	stop := r.live(a + 1)
	if !ok1 || !ok2 || step <= 0 || start+float64(d) < 0 || !stop.IsNumber() ||
		!(stop.Float()+float64(d) < float64(alen)) || d < -maxNarrow || d > maxNarrow {
		return irkit.NoRef
	}
	sref, ok := r.forNum(a + 1)
	if !ok {
		return irkit.NoRef
	}
	hi := r.emit(irkit.SEXT, irkit.TI64, r.emit(irkit.FTOIX, irkit.TInt, sref, irkit.NoRef), irkit.NoRef)
	if d != 0 {
		hi = r.emit(irkit.ADD, irkit.TI64, hi, r.b.KI64(d))
	}
	return hi
}

// nodeRef returns the address of the hash node holding key k in t (at
// tp), guarded by the node array's length and the key at that node; ok
// is false if t has no such key.
func (r *jrecorder) nodeRef(tp irkit.Ref, t *Table, k Value) (irkit.Ref, int, bool) {
	if len(t.node) == 0 {
		return irkit.NoRef, 0, false
	}
	n := hashKey(k, t.lsize)
	for t.node[n].key != k {
		n = t.node[n].next
		if n < 0 {
			return irkit.NoRef, 0, false
		}
	}
	data := r.emit(irkit.FLOAD, irkit.TPtr, tp, irkit.Ref(offNode))
	ln := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offNode+8))
	r.guard(irkit.EQ, ln, r.b.KI64(int64(len(t.node))))
	nd := r.emit(irkit.AREF, irkit.TPtr, data, r.b.KI64(int64(n)*nodeWords))
	key := r.emit(irkit.FLOAD, irkit.TVal, nd, irkit.Ref(nodeKey))
	r.guard(irkit.EQ, key, r.kval(k))
	return nd, int(n), true
}

// index0 converts the number key in slot c to a 0-based array index.
func (r *jrecorder) index0(c int) (irkit.Ref, int, bool) {
	k, ok := r.num(c)
	if !ok {
		return irkit.NoRef, 0, false
	}
	f := r.live(c).Float()
	i := int(f)
	if float64(i) != f {
		return irkit.NoRef, 0, false
	}
	var ik irkit.Ref
	if x := r.intOf(k); x != irkit.NoRef {
		ik = r.emit(irkit.SEXT, irkit.TI64, x, irkit.NoRef)
	} else {
		ik = r.emit(irkit.FTOIX, irkit.TI64, k, irkit.NoRef)
	}
	return r.emit(irkit.SUB, irkit.TI64, ik, r.b.KI64(1)), i - 1, true
}

// getResult checks a table read's live result v for t and guards the
// metatable when v is nil (a nil read consults __index).
func (r *jrecorder) nilRead(tp irkit.Ref, t *Table, v Value) error {
	if v == Nil {
		if t.mt != 0 {
			return errNYI("NYI: __index")
		}
		r.guardNoMeta(tp)
	}
	return nil
}

// upAliasOK reports whether the trace keeps away from the slots it read
// or stored to through open upvalues (upRef), memory being right for
// them: no snapshot writes a slot of either kind (every write of a slot
// shows in the snapshots after it, the last one at the trace's end
// included), and no SLOAD loads a slot stored to (its value would be
// kept in a register past the store, or across the loop).
func (r *jrecorder) upAliasOK() bool {
	if len(r.upAlias)+len(r.upStore) == 0 {
		return true
	}
	t := r.b.T
	for _, e := range t.SnapEntries {
		if slices.Contains(r.upAlias, e.Slot()) || slices.Contains(r.upStore, e.Slot()) {
			return false
		}
	}
	if len(r.upStore) > 0 {
		for ref := irkit.First; ref < irkit.First+irkit.Ref(t.Len()); ref++ {
			if in := t.Ins(ref); in.Op == irkit.SLOAD && slices.Contains(r.upStore, int(in.Op1)) {
				return false
			}
		}
	}
	return true
}

// lowBase is the base of the lowest frame whose slots the trace holds:
// the first of the callers (inlined calls, a side trace's entry frames),
// or the running frame.
func (r *jrecorder) lowBase() int {
	if len(r.callers) > 0 {
		return r.callers[0].base
	}
	return r.base
}

// pinClosure reports whether the trace may specialize on closure cv (a
// Lua function value): its function is one of a main chunk's own
// functions (made when the chunk runs, usually once) and has made no
// other closure so far, and the trace pins no other closure (one per
// trace, jtrace.pin, which the collector marks; a deep side trace's
// holds its caller's). A function made by a function that runs more than
// once gets a new closure per run (queens' place per solve): traces
// recorded in the first run would fail their guard in every other, whose
// side traces fill the tree (maxside) and whose exits make the traces
// unprofitable (queens took twice as long). A main chunk's function that
// gets a second closure (made in a loop) fails the guard the same way,
// and its side traces do without.
func (r *jrecorder) pinClosure(cv Value) bool {
	p := r.L.fns[cv.idx()].p
	if r.entryD != 0 || !p.top || p.nclos != 1 || (r.pin != 0 && r.pin != cv) {
		return false
	}
	r.pin = cv
	return true
}

// upRef returns the address of upvalue d of the running closure, and
// whether it lives on the stack (open) or in the Upval (closed); store
// says it is for a USET.
func (r *jrecorder) upRef(d int, store bool) (irkit.Ref, error) {
	L := r.L
	cl := L.fns[r.fn]
	if d >= len(cl.up) {
		return irkit.NoRef, errNYI("NYI: bad upvalue")
	}
	u := cl.up[d]
	// The running frame's function slot holds its closure, a closure
	// of r.p, wherever the trace runs: no type guard.
	fv := r.r.Slot(0, irkit.TVal)
	var up irkit.Ref
	if cv := r.live(-1); r.pinClosure(cv) {
		// The only closure of its function: guard it and address its
		// upvalue directly (the trace keeps the closure alive, and a
		// closure's upvalues never change), instead of four dependent
		// loads from the function slot.
		r.guard(irkit.EQ, fv, r.kval(cv))
		up = r.kptr(unsafe.Pointer(u))
	} else {
		idx := r.emit(irkit.UNBOXP, irkit.TI64, fv, irkit.NoRef)
		fns := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&L.fns)), 0)
		clp := r.emit(irkit.ALOAD, irkit.TPtr, r.emit(irkit.AREF, irkit.TPtr, fns, idx), irkit.NoRef)
		ups := r.emit(irkit.FLOAD, irkit.TPtr, clp, irkit.Ref(offUp))
		up = r.emit(irkit.ALOAD, irkit.TPtr, r.emit(irkit.AREF, irkit.TPtr, ups, r.b.KI64(int64(d))), irkit.NoRef)
	}
	uidx := r.emit(irkit.FLOAD, irkit.TI64, up, irkit.Ref(offUpIdx))
	if u.idx >= 0 {
		// An open upvalue into a frame the trace holds slots of (the
		// callers of an inlined call included) aliases a slot of the slot
		// map, which the trace keeps in registers and writes back at exits
		// only. A store through it would be undone by the next exit if the
		// trace writes the slot too, and missed by the slot's loads; a
		// load is right only if the trace never writes the slot. finish
		// checks (upAliasOK), as the slot may be written or loaded after
		// the upvalue's access, or before it in the loop's next round.
		if u.idx >= r.lowBase()-1 {
			if u.idx >= r.base-1 {
				return irkit.NoRef, errNYI("NYI: upvalue in the trace's frame")
			}
			s := r.r.Base() + u.idx - (r.base - 1)
			if store {
				r.upStore = append(r.upStore, s)
			} else {
				r.upAlias = append(r.upAlias, s)
			}
		}
		r.guard(irkit.EQ, uidx, r.b.KI64(int64(u.idx)))
		st := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&L.stack)), 0)
		return r.emit(irkit.AREF, irkit.TPtr, st, r.b.KI64(int64(u.idx))), nil
	}
	r.guard(irkit.LT, uidx, r.b.KI64(0))
	return r.emit(irkit.FREF, irkit.TPtr, up, irkit.Ref(offUpV)), nil
}

// -- One bytecode ------------------------------------------------------------------

func (r *jrecorder) ins(pc int) error {
	L := r.L
	p := r.p
	ins := p.code[pc]
	op := ins.Op()
	a := ins.A()
	mres := r.mres
	r.mres = -1
	switch op {
	case bytecode.ISLT, bytecode.ISGE, bytecode.ISLE, bytecode.ISGT:
		d := ins.D()
		x, ok1 := r.num(a)
		y, ok2 := r.num(d)
		if !ok1 || !ok2 {
			return errNYI("NYI: comparison of non-numbers")
		}
		xf, yf := r.live(a).Float(), r.live(d).Float()
		rel, c := irkit.LT, xf < yf
		if op == bytecode.ISLE || op == bytecode.ISGT {
			rel, c = irkit.LE, xf <= yf
		}
		r.guardRel(rel, x, y, c)

	case bytecode.ISEQV, bytecode.ISNEV:
		d := ins.D()
		xv, yv := r.live(a), r.live(d)
		if xv.IsNumber() && yv.IsNumber() {
			x, _ := r.num(a)
			y, _ := r.num(d)
			r.guardRel(irkit.EQ, x, y, xv.Float() == yv.Float())
			break
		}
		x, y := r.slot(a), r.slot(d)
		r.typeGuard(x, xv)
		r.typeGuard(y, yv)
		if xv.tag() != yv.tag() {
			break // different types: never equal
		}
		if xv.tag() == tagTab && xv != yv {
			return errNYI("NYI: __eq")
		}
		r.guardRel(irkit.EQ, x, y, xv == yv)

	case bytecode.ISEQS, bytecode.ISNES:
		v := r.live(a)
		x := r.slot(a)
		r.typeGuard(x, v)
		if v.tag() == tagStr {
			r.guardRel(irkit.EQ, x, r.kval(p.K[ins.D()]), v == p.K[ins.D()])
		}

	case bytecode.ISEQN, bytecode.ISNEN:
		v := r.live(a)
		if v.IsNumber() {
			x, _ := r.num(a)
			k := p.N[ins.D()]
			r.guardRel(irkit.EQ, x, r.knum(k.Float()), v.Float() == k.Float())
		} else {
			r.typeGuard(r.slot(a), v)
		}

	case bytecode.ISEQP, bytecode.ISNEP, bytecode.IST, bytecode.ISF:
		s := a
		if op == bytecode.IST || op == bytecode.ISF {
			s = ins.D()
		}
		r.typeGuard(r.slot(s), r.live(s))

	case bytecode.ISTC, bytecode.ISFC:
		d := ins.D()
		v := r.live(d)
		x := r.slot(d)
		r.typeGuard(x, v)
		if v.truthy() == (op == bytecode.ISTC) {
			r.set(a, x)
		}

	case bytecode.MOV:
		r.set(a, r.slot(ins.D()))
	case bytecode.NOT:
		d := ins.D()
		v := r.live(d)
		r.typeGuard(r.slot(d), v)
		r.set(a, r.kval(Bool(!v.truthy())))
	case bytecode.UNM:
		x, ok := r.num(ins.D())
		if !ok {
			return errNYI("NYI: UNM of a non-number")
		}
		r.set(a, r.emit(irkit.NEG, irkit.TNum, x, irkit.NoRef))
	case bytecode.LEN:
		return r.recLen(a, ins.D())

	case bytecode.ADDVN, bytecode.SUBVN, bytecode.MULVN, bytecode.DIVVN, bytecode.MODVN,
		bytecode.ADDNV, bytecode.SUBNV, bytecode.MULNV, bytecode.DIVNV, bytecode.MODNV,
		bytecode.ADDVV, bytecode.SUBVV, bytecode.MULVV, bytecode.DIVVV, bytecode.MODVV, bytecode.POW:
		b, c := ins.B(), ins.C()
		x, ok := r.num(b)
		if !ok {
			return errNYI("NYI: arithmetic on a non-number")
		}
		var y irkit.Ref
		var arith int
		switch {
		case op == bytecode.POW:
			y, ok = r.num(c)
		case op >= bytecode.ADDVV:
			arith = int(op - bytecode.ADDVV)
			y, ok = r.num(c)
		case op >= bytecode.ADDNV:
			arith = int(op - bytecode.ADDNV)
			x, y = r.knum(p.N[c].Float()), x
		default:
			arith = int(op - bytecode.ADDVN)
			y = r.knum(p.N[c].Float())
		}
		if !ok {
			return errNYI("NYI: arithmetic on a non-number")
		}
		var res irkit.Ref
		if op == bytecode.POW {
			res = r.emit(irkit.POW, irkit.TNum, x, y)
		} else {
			switch arith {
			case bytecode.ArithAdd:
				res = r.emit(irkit.ADD, irkit.TNum, x, y)
			case bytecode.ArithSub:
				res = r.emit(irkit.SUB, irkit.TNum, x, y)
			case bytecode.ArithMul:
				res = r.emit(irkit.MUL, irkit.TNum, x, y)
			case bytecode.ArithDiv:
				res = r.emit(irkit.DIV, irkit.TNum, x, y)
			case bytecode.ArithMod: // a - floor(a/b)*b, as luaMod
				q := r.emit(irkit.FLOOR, irkit.TNum, r.emit(irkit.DIV, irkit.TNum, x, y), irkit.NoRef)
				res = r.emit(irkit.SUB, irkit.TNum, x, r.emit(irkit.MUL, irkit.TNum, q, y))
			}
		}
		r.set(a, res)

	case bytecode.KSTR:
		r.set(a, r.kval(p.K[ins.D()]))
	case bytecode.KSHORT:
		r.set(a, r.knum(float64(ins.SD())))
	case bytecode.KNUM:
		r.set(a, r.knum(p.N[ins.D()].Float()))
	case bytecode.KPRI:
		r.set(a, r.kval(priValue(uint32(ins.D()))))
	case bytecode.KNIL:
		for i := a; i <= ins.D(); i++ {
			r.set(i, r.kval(Nil))
		}

	case bytecode.UGET:
		ar, err := r.upRef(ins.D(), false)
		if err != nil {
			return err
		}
		r.set(a, r.emit(irkit.ALOAD, irkit.TVal, ar, irkit.NoRef))
	case bytecode.USETV, bytecode.USETS, bytecode.USETN, bytecode.USETP:
		ar, err := r.upRef(a, true)
		if err != nil {
			return err
		}
		var v irkit.Ref
		switch op {
		case bytecode.USETV:
			v = r.slot(ins.D())
		case bytecode.USETS:
			v = r.kval(p.K[ins.D()])
		case bytecode.USETN:
			v = r.knum(p.N[ins.D()].Float())
		default:
			v = r.kval(priValue(uint32(ins.D())))
		}
		r.emit(irkit.ASTORE, irkit.TVoid, ar, v)
	case bytecode.UCLO:
		if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= r.base+a {
			return errNYI("NYI: UCLO")
		}

	case bytecode.GGET, bytecode.GSET:
		k := p.K[ins.D()]
		g := L.G
		tp := r.kptr(unsafe.Pointer(g))
		if op == bytecode.GSET && g.mt != 0 {
			return errNYI("NYI: __newindex on _G")
		}
		nd, n, ok := r.nodeRef(tp, g, k)
		if !ok {
			return errNYI("NYI: undefined global")
		}
		if op == bytecode.GGET {
			if err := r.nilRead(tp, g, g.node[n].val); err != nil {
				return err
			}
			val := r.emit(irkit.FLOAD, irkit.TVal, nd, irkit.Ref(nodeVal))
			r.set(a, r.typed(val, g.node[n].val))
		} else {
			r.guardNoMeta(tp)
			r.emit(irkit.FSTORE, irkit.TVoid, r.emit(irkit.FREF, irkit.TPtr, nd, irkit.Ref(nodeVal)), r.slot(a))
		}

	case bytecode.TGETS:
		if r.live(ins.B()).tag() == tagStr { // s:method(...)
			v, err := r.recStrIndex(ins.B(), p.K[ins.C()])
			if err != nil {
				return err
			}
			r.set(a, v)
			break
		}
		tp, t, ok := r.tabPtr(ins.B())
		if !ok {
			return errNYI("NYI: indexing a non-table")
		}
		v, err := r.getStr(tp, t, p.K[ins.C()])
		if err != nil {
			return err
		}
		r.set(a, v)
	case bytecode.TSETS:
		tp, t, ok := r.tabPtr(ins.B())
		if !ok {
			return errNYI("NYI: indexing a non-table")
		}
		k := p.K[ins.C()]
		if t.mt != 0 {
			return errNYI("NYI: __newindex")
		}
		nd, _, ok := r.nodeRef(tp, t, k)
		if !ok {
			// A new key: the interpreter's raw set adds it.
			return r.recTableCall(true, a, ins.B(), r.kval(k), k, tp, t)
		}
		r.guardNoMeta(tp)
		r.emit(irkit.FSTORE, irkit.TVoid, r.emit(irkit.FREF, irkit.TPtr, nd, irkit.Ref(nodeVal)), r.slot(a))
		// The table's flags cache the absence of metamethods, should it
		// be a metatable: only a store to a metamethod's name can change
		// that (the interpreter clears them on any string key, which is
		// cheaper there than the test; both are right).
		if r.L.isTMName(k) {
			r.emit(irkit.FSTORE, irkit.TVoid, r.emit(irkit.FREF, irkit.TPtr, tp, irkit.Ref(offFlags)), r.b.KInt(0))
		}

	case bytecode.TGETV, bytecode.TGETB, bytecode.TSETV, bytecode.TSETB:
		tp, t, ok := r.tabPtr(ins.B())
		if !ok {
			return errNYI("NYI: indexing a non-table")
		}
		var i0 irkit.Ref
		var li int
		set := op == bytecode.TSETV || op == bytecode.TSETB
		if op == bytecode.TGETV || op == bytecode.TSETV {
			if !r.live(ins.C()).IsNumber() {
				return r.recTableSlow(set, a, ins.B(), ins.C(), tp, t)
			}
			if i0, li, ok = r.index0(ins.C()); !ok {
				return errNYI("NYI: non-integer key")
			}
		} else {
			li = ins.C() - 1
			i0 = r.b.KI64(int64(li))
		}
		if li < 0 || li >= len(t.arr) {
			if !set && t.mt == 0 && len(t.node) == 0 {
				// Outside the array part of a table with no hash part and
				// no metatable (binarytrees' leaf {}): nil, with no call.
				r.guardNoMeta(tp)
				r.guard(irkit.EQ, r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offNode+8)), r.b.KI64(0))
				r.guard(irkit.UGE, i0, r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offArr+8)))
				r.set(a, r.kval(Nil))
				return nil
			}
			k := ins.C() // the key's slot, or for TGETB/TSETB the literal key
			if op == bytecode.TGETB || op == bytecode.TSETB {
				k = -1 - k
			} else if r.recHashNum(set, a, k, i0, tp, t) {
				return nil
			}
			return r.recTableSlow(set, a, ins.B(), k, tp, t)
		}
		if set && t.mt != 0 {
			return errNYI("NYI: __newindex")
		}
		ar := r.arrRef(tp, i0, len(t.arr))
		if set {
			r.guardNoMeta(tp)
			r.emit(irkit.ASTORE, irkit.TVoid, ar, r.slot(a))
		} else {
			if err := r.nilRead(tp, t, t.arr[li]); err != nil {
				return err
			}
			val := r.emit(irkit.ALOAD, irkit.TVal, ar, irkit.NoRef)
			r.set(a, r.typed(val, t.arr[li]))
		}

	case bytecode.TSETM:
		return r.recSetMulti(a, ins.D(), mres, pc)
	case bytecode.CAT:
		return r.recCat(a, ins.B(), ins.C())
	case bytecode.ITERC:
		return r.recIterNext(a, ins.B()-1)
	case bytecode.ITERL:
		// if slot A ~= nil then slot A-1 = slot A (and loop)
		v := r.slot(a)
		if r.live(a) == Nil {
			r.guard(irkit.EQ, v, r.kval(Nil))
			break
		}
		if r.typ(v) != irkit.TNum { // an unboxed number is never nil (ipairs)
			r.guard(irkit.NE, v, r.kval(Nil))
		}
		if ins.Target(pc) != r.endPC || len(r.callers) > 0 {
			// Another iterator loop goes round again. Root traces have
			// always unrolled these (ipairs over a short table, pairs
			// over a small record), so they need not be known short;
			// they count against the bound.
			if err := r.innerLoop(pc|len(r.callers)<<24, false); err != nil {
				return err
			}
		}
		r.set(a-1, v)
	case bytecode.TNEW:
		// The interpreter's allocation, called (jit_helpers.go).
		d := ins.D()
		nh := d >> 11
		if nh > 0 {
			nh = 1 << (nh - 1)
		}
		r.gcRoom()
		r.set(a, r.b.Call(r.L.jit.hTNew, r.b.KI64(int64(d&0x7ff)), r.b.KI64(int64(nh))))
	case bytecode.CALL:
		return r.recCall(ins, a, pc)
	case bytecode.CALLM:
		// A builtin's arguments end with the one result of the builtin
		// called just before (f(g(x))). An exit here resumes at CALLM,
		// which needs the interpreter's MULTRES: the trace records it
		// (jtrace.mres) and runTrace hands it back (State.exitMres).
		// So do a Lua function's (f(g(x)) with g a Lua function that
		// returned all its results, or a builtin).
		fv := r.live(a)
		kind := r.builtin[fv]
		if mres < 0 || r.mresA != a+ins.C()+1 || kind == biNone && fv.tag() != tagLFn {
			return errNYI("NYI: call with a variable number of arguments")
		}
		r.mresAt = append(r.mresAt, jmres{p, pc, mres})
		if kind == biNone {
			if r.isUpCall(fv) {
				return r.recUpCall(fv, a, pc, ins.C()+mres, ins.B()-1)
			}
			return r.recLuaCall(fv, a, pc, ins.C()+mres, ins.B()-1)
		}
		return r.recBuiltin(fv, kind, a, ins.C()+mres, ins.B()-1, pc)
	case bytecode.RET0, bytecode.RET1, bytecode.RET:
		return r.recRet(ins, a)
	case bytecode.CALLT:
		return r.recTailCall(a, ins.D()-1)

	case bytecode.FORI:
		idx, ok1 := r.num(a)
		stop, ok2 := r.num(a + 1)
		step, ok3 := r.forStepRef(pc, a, false)
		if !ok1 || !ok2 || !ok3 {
			return errNYI("NYI: for loop over non-numbers")
		}
		fi, fs, fst := r.live(a).Float(), r.live(a+1).Float(), r.live(a+2).Float()
		if !r.forCond(idx, stop, step, fi, fs, fst) {
			break
		}
		r.set(a+3, idx)
		// The rounds this entry runs, for innerLoop.
		if fst != 0 {
			n := math.Floor((fs-fi)/fst) + 1
			r.trips[ins.Target(pc)-1|len(r.callers)<<24] = int(min(n, 1<<20))
		}
	case bytecode.FORL:
		idx, ok1 := r.forNum(a)
		stop, ok2 := r.forNum(a + 1)
		step, ok3 := r.forStepRef(ins.Target(pc)-1, a, true)
		if !ok1 || !ok2 || !ok3 {
			return errNYI("NYI: for loop over non-numbers")
		}
		sf := r.live(a + 2).Float()
		var nidx, next irkit.Ref
		if x := r.intOf(idx); x != irkit.NoRef && len(r.callers) == 0 && ins.Target(pc) == r.endPC {
			stop = r.emit(irkit.FTOIX, irkit.TInt, stop, irkit.NoRef)
			step = r.emit(irkit.FTOIX, irkit.TInt, step, irkit.NoRef)
			r.guard(irkit.NE, step, r.b.KInt(0))
			if r.parent == nil {
				// The index never passes stop (the loop goes on only
				// while it does not, and the trace is entered only in
				// the body), so once stop+step is known to fit in int32,
				// index+step does: the add needs no overflow guard. The
				// guard on stop+step is invariant and stays before the
				// loop; the loop body adds in place (LuaJIT's narrowed
				// FORL does the same). A side trace passes the FORL once
				// and keeps the one guarded add.
				r.emit(irkit.ADDOV, irkit.TInt, stop, step)
				nidx = r.emit(irkit.ADD, irkit.TInt, x, step)
			} else {
				nidx = r.emit(irkit.ADDOV, irkit.TInt, x, step)
			}
			next = r.emit(irkit.ITOF, irkit.TNum, nidx, irkit.NoRef)
		} else {
			nidx = r.emit(irkit.ADD, irkit.TNum, idx, step)
			next = nidx
		}
		fi, fs := r.live(a).Float()+sf, r.live(a+1).Float()
		if !r.forStep(step, sf) {
			return nil
		}
		goesOn := sf >= 0 && fi <= fs || sf < 0 && fi >= fs
		own := r.parent == nil && len(r.callers) == 0 && ins.Target(pc) == r.endPC
		if own && goesOn {
			// A root trace's own loop going round (a recording that
			// leaves it aborts): the condition's guard exits past the
			// loop, whose slots are then dead, with the new index
			// written. So the old index is dead after the add, which
			// the allocator does in place, and an exit at the loop's
			// end does not run the FORL again in the interpreter. The
			// step's sign is guarded above, where the interpreter would
			// redo the FORL. The snapshot is right only when the
			// compare fails: the stress mode must not force it.
			r.set(a, next)
			r.set(a+3, next)
			r.r.SetPC(uint64(pc + 1))
			ref0 := r.b.T.Next()
			r.forCmp(nidx, stop, sf, true)
			// The compare's snapshot is the last one, taken for it at
			// ref0 or later. It may have replaced an earlier snapshot
			// that covered no instruction (a guard before it folded or
			// was CSE'd away), so the number of snapshots says nothing.
			if n := len(r.b.T.Snaps); n > 0 {
				if sn := &r.b.T.Snaps[n-1]; sn.Ref >= ref0 && sn.PC == uint64(pc+1) {
					sn.Flags |= irkit.SnapExitOnly
				}
			}
			r.r.SetPC(uint64(pc))
			r.set(a, next) // the next guard takes a snapshot of its own
			break
		}
		r.forCmp(nidx, stop, sf, goesOn)
		if goesOn {
			if ins.Target(pc) != r.endPC || len(r.callers) > 0 {
				// Another loop goes round again: unrolled, if it may
				// be. Every unrolled FORL guards its condition both
				// ways (forCmp), so other trip counts exit there.
				if err := r.innerLoop(pc|len(r.callers)<<24, true); err != nil {
					return err
				}
			}
			r.set(a, next)
			r.set(a+3, next)
		}
	case bytecode.LOOP:
		// LOOP heads every round of a while or repeat loop, the first
		// one included, which any trace may pass once (a loop entered
		// for one round); the rounds after it are unrolled.
		if pc != r.loopPC || len(r.callers) > 0 {
			if r.passed(pc | len(r.callers)<<24) {
				if err := r.innerLoop(pc|len(r.callers)<<24, true); err != nil {
					return err
				}
			}
		}
	case bytecode.JMP:
		// Control flow is followed, not recorded.
	default:
		return errNYI("NYI: " + op.String())
	}
	return nil
}

// innerLoop is called when the recording goes round a loop other than
// its own again (the back edge at key's pc of the running function is
// taken; key has the inlining depth above bit 24, as for passed), and
// returns the error that aborts the recording, if any. The recording
// unrolls that loop: the next round is recorded like the rest of the
// trace. That is bounded by the loopunroll parameter per trace, and only
// loops known to be short (shortLoop), or seen to be (a numeric for loop
// entered in this recording for at most loopunroll+1 rounds) are unrolled,
// unless short is false (iterator loops, which root traces have always
// unrolled). Any other inner loop is better off with a trace of its own,
// and its exits with side traces: the root trace aborts (errInner).
//
// Side traces keep the one pass round another numeric for loop they have
// always made (from an inner loop's exit round the outer loop to a loop
// start they link to); beyond it they unroll as root traces do. LuaJIT's
// side traces unroll any loop up to the bound; measured on fannkuch
// (default size, 3 runs each: 0.46-0.47 s against 0.51-0.53 s user time)
// unrolling only short loops made fewer, better side traces.
//
// An unrolled loop has no back edge in the machine code, so no preemption
// check: the bound keeps it finite.
func (r *jrecorder) innerLoop(key int, short bool) error {
	pc := key & (1<<24 - 1)
	// A numeric for loop entered in this recording for more rounds than
	// the whole trace may unroll would only reach the bound (the side
	// traces' case too: they used to abort at its second round).
	n, seen := r.trips[key]
	if seen && n-1 > r.L.jit.opts.Opt.LoopUnroll {
		return errInner
	}
	if r.parent != nil && r.op(pc) == bytecode.FORL && !r.passed(key) {
		// A side trace from an inner loop's exit goes round the
		// outer loop once on its way to a loop start it links to:
		// that is no unrolling.
		return nil
	}
	// Else a loop known short, or seen short (entered here for no more
	// rounds than that) is unrolled.
	if short && !seen && !r.shortLoop(r.p, pc) {
		return errInner
	}
	if r.unroll--; r.unroll < 0 {
		return errUnroll
	}
	return nil
}

func (r *jrecorder) op(pc int) bytecode.Op { return r.p.code[pc].Op() }

// shortLoop reports whether the loop whose back edge is at loopPC of p is
// known to run short: its root trace's recording left the loop twice
// (LuaJIT's innerloopleft: two aborts, so that one recording that started
// in the last round of a long loop does not make it short) and it has no
// root trace of its own, which would be the better place for its rounds.
func (r *jrecorder) shortLoop(p *Proto, loopPC int) bool {
	j := r.L.jit
	if j.left[startKey(p, loopPC)] < 2 {
		return false
	}
	for _, t := range j.traces[p] {
		if t.loopPC == loopPC {
			return false
		}
	}
	return true
}

// passed records that the recording went through the back edge at key
// (a pc, with the inlining depth above bit 24) and reports whether it had
// already: a second pass unrolls the loop, which innerLoop decides on.
func (r *jrecorder) passed(key int) bool {
	for _, l := range r.loops {
		if l == key {
			return true
		}
	}
	r.loops = append(r.loops, key)
	return false
}

// forCond guards a numeric for loop's condition as observed (idx, stop and
// step are the live values) and reports whether the loop goes on.
func (r *jrecorder) forCond(idx, stop, step irkit.Ref, fi, fs, fst float64) bool {
	if !r.forStep(step, fst) {
		return false
	}
	c := fst >= 0 && fi <= fs || fst < 0 && fi >= fs
	r.forCmp(idx, stop, fst, c)
	return c
}

// forStepRef returns the step of the numeric for loop whose slots start
// at a and whose FORI is at fori: the constant it is, when stepK proves
// it, else the slot's number (guarded at the FORI, forNum in the loop's
// body, inBody).
func (r *jrecorder) forStepRef(fori, a int, inBody bool) (irkit.Ref, bool) {
	if k, ok := stepK(r.p, fori, a); ok && math.Float64bits(k) == math.Float64bits(r.live(a+2).Float()) && r.live(a+2).IsNumber() {
		return r.knum(k), true
	}
	if inBody {
		return r.forNum(a + 2)
	}
	return r.num(a + 2)
}

// forNum is num for a control slot (index, stop, step) of a numeric for
// loop, read in the loop's body or at its FORL: there the slot holds a
// number, whoever runs the code, since the FORI coerced it (or raised an
// error) and nothing but the FORL writes it (the interpreter's FORL reads
// the three as numbers without a check). A slot the trace has not set is
// loaded as a number, with no type guard.
func (r *jrecorder) forNum(i int) (irkit.Ref, bool) {
	if !r.live(i).IsNumber() {
		return irkit.NoRef, false
	}
	ref := r.r.Slot(i+1, irkit.TNum)
	if r.typ(ref) == irkit.TNum {
		return ref, true
	}
	return r.num(i)
}

// stepK returns the constant the step slot (a+2) of the numeric for loop
// whose FORI is at fori holds, if the code proves it (forInitK). The slot
// is the hidden local "(for step)": nothing but the loop's set-up writes
// it, so it holds the constant for every round. Loading it needs no type
// guard and the step's sign and zero tests fold.
func stepK(p *Proto, fori, a int) (float64, bool) {
	return forInitK(p, fori, a, a+2)
}

// forInitK returns the constant that the for loop whose slots start at a
// and whose FORI is at fori finds in control slot s (a: its start, a+2:
// its step) when it starts, if the code proves it: walking back from the
// FORI, the last instruction to write s loads a constant (KSHORT, KNUM),
// and no jump, compare or test lands anywhere after it up to the FORI,
// so every entry of the loop comes through that load, straight on
// (LuaJIT's recorder finds constant FORI initializers the same way).
func forInitK(p *Proto, fori, a, s int) (float64, bool) {
	code := p.code
	if fori < 1 || fori >= len(code) || code[fori].Op() != bytecode.FORI || code[fori].A() != a {
		return 0, false
	}
	jumped := p.jumpTargets()
	for pc := fori - 1; pc >= 0; pc-- {
		// Nothing but the instruction before pc+1 leads there: no jump
		// lands on it, and no compare or test two before skips to it.
		if jumped[pc+1] || pc >= 1 && code[pc-1].Op().IsCmp() {
			return 0, false
		}
		ins := code[pc]
		op := ins.Op()
		if op >= bytecode.NumOps {
			return 0, false
		}
		switch info := &bytecode.Ops[op]; {
		case (info.A == bytecode.MBase || info.A == bytecode.MRBase) && ins.A() <= s:
			return 0, false // a range that may reach s (a call's results)
		case info.A != bytecode.MDst || ins.A() != s:
			continue
		}
		switch op {
		case bytecode.KSHORT:
			return float64(ins.SD()), true
		case bytecode.KNUM:
			if int(ins.D()) < len(p.N) && p.N[ins.D()].IsNumber() {
				return p.N[ins.D()].Float(), true
			}
		}
		return 0, false
	}
	return 0, false
}

// jumpTargets returns, per pc of p, whether a jump lands there (built on
// first need).
func (p *Proto) jumpTargets() []bool {
	if p.jumpedTo == nil {
		code := p.code
		p.jumpedTo = make([]bool, len(code)+1)
		for pc, ins := range code {
			if op := ins.Op(); op < bytecode.NumOps && bytecode.Ops[op].CD == bytecode.MJump {
				if t := ins.Target(pc); t >= 0 && t < len(code) {
					p.jumpedTo[t] = true
				}
			}
		}
	}
	return p.jumpedTo
}

// forStep guards the sign of a for loop's step (fst is its live value);
// false for a NaN step, which aborts the recording.
func (r *jrecorder) forStep(step irkit.Ref, fst float64) bool {
	zero := r.knum(0)
	if r.typ(step) == irkit.TInt {
		zero = r.b.KInt(0)
	}
	switch {
	case fst >= 0:
		r.guard(irkit.GE, step, zero)
	case fst < 0:
		r.guard(irkit.LT, step, zero)
	default:
		r.b.SetErr(errNYI("NYI: NaN for loop step"))
		return false
	}
	return true
}

// forCmp guards that the loop condition idx <= stop (idx >= stop for a
// negative step) is c, as observed.
func (r *jrecorder) forCmp(idx, stop irkit.Ref, fst float64, c bool) {
	if fst >= 0 {
		r.guardRel(irkit.LE, idx, stop, c)
	} else {
		r.guardRel(irkit.GE, idx, stop, c)
	}
}

// recLen records #t for a table with a full array part and no hash part,
// and #s for strings is left to the interpreter (abort).
func (r *jrecorder) recLen(a, d int) error {
	if r.live(d).tag() == tagStr {
		_, n, _, _ := r.strRef(d)
		r.set(a, r.emit(irkit.ITOF, irkit.TNum, n, irkit.NoRef))
		return nil
	}
	tp, t, ok := r.tabPtr(d)
	if !ok {
		return errNYI("NYI: LEN of a non-table")
	}
	if na := len(t.arr); na > 0 && t.arr[na-1] == Nil {
		// The border is in the array part, found by a binary search:
		// the trace guards the last slot nil and calls the
		// interpreter's own search (Table.length) in Go.
		n := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offArr+8))
		r.guard(irkit.NE, n, r.b.KI64(0))
		data := r.emit(irkit.FLOAD, irkit.TPtr, tp, irkit.Ref(offArr))
		last := r.emit(irkit.ALOAD, irkit.TVal, r.emit(irkit.AREF, irkit.TPtr, data, r.emit(irkit.SUB, irkit.TI64, n, r.b.KI64(1))), irkit.NoRef)
		r.guard(irkit.EQ, last, r.kval(Nil))
		idx := r.emit(irkit.UNBOXP, irkit.TI64, r.slot(d), irkit.NoRef)
		border := r.b.Call(r.L.jit.hTabLen, idx)
		r.set(a, r.emit(irkit.ITOF, irkit.TNum, border, irkit.NoRef))
		return nil
	}
	if len(t.node) != 0 {
		return errNYI("NYI: LEN with a hash part")
	}
	ln := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offNode+8))
	r.guard(irkit.EQ, ln, r.b.KI64(0))
	n := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offArr+8))
	if len(t.arr) == 0 {
		r.guard(irkit.EQ, n, r.b.KI64(0))
		r.set(a, r.knum(0))
		return nil
	}
	r.guard(irkit.NE, n, r.b.KI64(0))
	data := r.emit(irkit.FLOAD, irkit.TPtr, tp, irkit.Ref(offArr))
	last := r.emit(irkit.ALOAD, irkit.TVal, r.emit(irkit.AREF, irkit.TPtr, data, r.emit(irkit.SUB, irkit.TI64, n, r.b.KI64(1))), irkit.NoRef)
	r.guard(irkit.NE, last, r.kval(Nil))
	r.set(a, r.emit(irkit.ITOF, irkit.TNum, n, irkit.NoRef))
	return nil
}

// recCall inlines calls of the math builtins; other calls abort.
func (r *jrecorder) recCall(ins bytecode.Ins, a, pc int) error {
	fv := r.live(a)
	kind := r.builtin[fv]
	nargs, nres := ins.C()-1, ins.B()-1
	if r.isUpCall(fv) {
		return r.recUpCall(fv, a, pc, nargs, nres)
	}
	if fv.tag() == tagLFn {
		return r.recLuaCall(fv, a, pc, nargs, nres)
	}
	if kind == biNone {
		return errNYI("NYI: call")
	}
	return r.recBuiltin(fv, kind, a, nargs, nres, pc)
}

// recBuiltin inlines a call of builtin fv (of the kind) at slot a with
// nargs arguments, for nres results (-1: all, leaving MULTRES 1).
func (r *jrecorder) recBuiltin(fv Value, kind, a, nargs, nres, pc int) error {
	if nargs < 1 || nres < -1 {
		return errNYI("NYI: builtin call form")
	}
	switch kind {
	case biIpairs, biPairs:
		return r.recPairsCall(fv, kind, a, nres)
	}
	if nres < 0 {
		// All results: there is exactly one, and MULTRES says so to
		// the CALLM that follows.
		if err := r.recBuiltin(fv, kind, a, nargs, 1, pc); err != nil {
			return err
		}
		r.mres, r.mresA, r.mresPC = 1, a, pc
		return nil
	}
	if kind == biByte || kind == biLen {
		return r.recStrCall(kind, fv, a, nargs, nres)
	}
	if kind == biToStr {
		return r.recToString(fv, a, nres)
	}
	if kind == biSub {
		return r.recStrSub(fv, a, nargs, nres)
	}
	x, ok := r.num(a + 1)
	if !ok {
		return errNYI("NYI: builtin on a non-number")
	}
	r.guard(irkit.EQ, r.slot(a), r.kval(fv))
	var res irkit.Ref
	switch kind {
	case biFloor:
		res = r.emit(irkit.FLOOR, irkit.TNum, x, irkit.NoRef)
	case biCeil:
		res = r.emit(irkit.CEIL, irkit.TNum, x, irkit.NoRef)
	case biAbs:
		res = r.emit(irkit.ABS, irkit.TNum, x, irkit.NoRef)
	case biSqrt:
		res = r.emit(irkit.SQRT, irkit.TNum, x, irkit.NoRef)
	}
	r.setResults(a, nres, res)
	return nil
}

// setResults puts the results res of a call at slot a, for a caller that
// wants nres of them: missing ones are nil, extra ones are dropped.
func (r *jrecorder) setResults(a, nres int, res ...irkit.Ref) {
	for i := 0; i < nres; i++ {
		if i < len(res) {
			r.set(a+i, res[i])
		} else {
			r.set(a+i, r.kval(Nil))
		}
	}
}

// gcRoom guards that the heap is below the collector's trigger, before a
// helper that may allocate: over it, the trace exits and the interpreter
// executes the instruction and collects (see jit_helpers.go).
func (r *jrecorder) gcRoom() {
	mb := r.emit(irkit.XLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&r.L.memBytes)), 0)
	gn := r.emit(irkit.XLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&r.L.gcNext)), 0)
	r.guard(irkit.LT, mb, gn)
}

// word returns slot i as a value word for a helper, guarding its type as
// the live value's: numbers are checked and passed as their bits (NaN
// too, unless nonNaN), other values by tag. ok is false for nil.
func (r *jrecorder) word(i int, nonNaN bool) (irkit.Ref, bool) {
	v := r.live(i)
	if v.IsNumber() {
		x, _ := r.num(i)
		if nonNaN {
			r.guard(irkit.EQ, x, x)
		}
		return r.emit(irkit.BCAST, irkit.TVal, x, irkit.NoRef), true
	}
	if v == Nil {
		return irkit.NoRef, false
	}
	ref := r.slot(i)
	r.guard(irkit.ISTAG, ref, irkit.Ref(v.tag()))
	return ref, true
}

// maxWalk bounds the hash chain a trace walks for a number key
// (recHashNum); a longer one is left to the interpreter's get.
const maxWalk = 4

// recHashNum records t[k] (or t[k] = slot a) for the number key in slot
// c, i0 its array index, which is outside t's array part, when t has no
// metatable: the trace walks the key's hash chain as getHash does, in its
// own code instead of a call-out to the interpreter's get or set. It
// computes the main position as hashKey does (for the node count it
// guards), and follows the chain the lookup takes now: a guard per node
// that it does not hold the key and has a next one, then that the last
// holds the key (its value is read or written) or ends the chain (a read
// is nil, once the key is guarded not to be -0, which getHash would find
// as 0, and outside the array part). Any other chain at run time (a
// collision, a key added or moved, a table resized) fails a guard into a
// side trace, which records the lookup it then sees. It reports false,
// having emitted nothing, for a key it leaves to recTableSlow: a new key
// to store (the interpreter's set inserts it), a longer chain, a 0 key.
func (r *jrecorder) recHashNum(set bool, a, c int, i0 irkit.Ref, tp irkit.Ref, t *Table) bool {
	k := r.live(c)
	if t.mt != 0 || len(t.node) == 0 || !k.IsNumber() || k.Float() == 0 {
		return false
	}
	var path [maxWalk]int32
	np := 0
	found := false
	for n := hashKey(k, t.lsize); ; {
		if np == maxWalk {
			return false
		}
		path[np] = n
		np++
		if t.node[n].key == k {
			found = true
			break
		}
		if n = t.node[n].next; n < 0 {
			break
		}
	}
	if set && !found {
		return false
	}
	x, ok := r.num(c)
	if !ok {
		return false
	}
	r.guardNoMeta(tp)
	data := r.emit(irkit.FLOAD, irkit.TPtr, tp, irkit.Ref(offNode))
	ln := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offNode+8))
	r.guard(irkit.EQ, ln, r.b.KI64(int64(len(t.node))))
	idx := r.b.KI64(0)
	if t.lsize > 0 {
		h := r.emit(irkit.BCAST, irkit.TI64, x, irkit.NoRef)
		h = r.emit(irkit.BXOR, irkit.TI64, h, r.emit(irkit.BSHR, irkit.TI64, h, r.b.KI64(32)))
		h = r.emit(irkit.MUL, irkit.TI64, h, r.b.KI64(-0x61C8864680B583EB)) // 0x9E3779B97F4A7C15
		idx = r.emit(irkit.BSHR, irkit.TI64, h, r.b.KI64(int64(64-t.lsize)))
	}
	kv := r.emit(irkit.BCAST, irkit.TVal, x, irkit.NoRef)
	var nd irkit.Ref
	for i := 0; i < np; i++ {
		nd = r.emit(irkit.AREF, irkit.TPtr, data, r.emit(irkit.MUL, irkit.TI64, idx, r.b.KI64(nodeWords)))
		key := r.emit(irkit.FLOAD, irkit.TVal, nd, irkit.Ref(nodeKey))
		if found && i == np-1 {
			r.guard(irkit.EQ, key, kv)
			break
		}
		r.guard(irkit.NE, key, kv)
		next := r.emit(irkit.FLOAD, irkit.TInt, nd, irkit.Ref(nodeNext))
		if i == np-1 {
			r.guard(irkit.LT, next, r.b.KInt(0))
			break
		}
		r.guard(irkit.GE, next, r.b.KInt(0))
		idx = r.emit(irkit.SEXT, irkit.TI64, next, irkit.NoRef)
	}
	if !found {
		// Absent: nil, as long as the key is no -0 (a 0 key's bits in
		// the table are +0's) and not in the array part (get looks
		// there first).
		r.guard(irkit.NE, x, r.b.KNum(0))
		r.guard(irkit.UGE, i0, r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offArr+8)))
		r.set(a, r.kval(Nil))
		return true
	}
	if set {
		r.emit(irkit.FSTORE, irkit.TVoid, r.emit(irkit.FREF, irkit.TPtr, nd, irkit.Ref(nodeVal)), r.slot(a))
		return true
	}
	val := r.emit(irkit.FLOAD, irkit.TVal, nd, irkit.Ref(nodeVal))
	r.set(a, r.typed(val, t.node[path[np-1]].val))
	return true
}

// recTableSlow records t[k] (or t[k] = slot a) for a key the array part
// does not hold, by calling the interpreter's raw get or set: key is
// slot c, or the literal -1-c of TGETB/TSETB when c < 0. The table has
// no metatable (guarded), so no metamethod runs.
func (r *jrecorder) recTableSlow(set bool, a, b, c int, tp irkit.Ref, t *Table) error {
	if t.mt != 0 {
		if set {
			return errNYI("NYI: __newindex")
		}
		return errNYI("NYI: __index on a key outside the array part")
	}
	if c < 0 {
		live := nv(float64(-1 - c))
		return r.recTableCall(set, a, b, r.kval(live), live, tp, t)
	}
	key, ok := r.word(c, true)
	if !ok {
		return errNYI("NYI: nil key")
	}
	return r.recTableCall(set, a, b, key, r.live(c), tp, t)
}

// recTableCall records t[key] (or t[key] = slot a), the table in slot b
// at tp, live the key's value now, by calling the interpreter's raw get
// or set. t has no metatable; the trace guards that.
func (r *jrecorder) recTableCall(set bool, a, b int, key irkit.Ref, live Value, tp irkit.Ref, t *Table) error {
	r.guardNoMeta(tp)
	idx := r.emit(irkit.UNBOXP, irkit.TI64, r.slot(b), irkit.NoRef)
	j := r.L.jit
	if !set {
		val := r.b.Call(j.hTGet, idx, key)
		r.set(a, r.typed(val, t.get(live)))
		return nil
	}
	v, ok := r.word(a, false)
	if !ok {
		v = r.kval(Nil)
	}
	r.gcRoom()
	r.b.Call(j.hTSet, idx, key, v)
	return nil
}

// recIterNext records ITERC for pairs: slots a, a+1, a+2 get the
// generator, state and control, and the call of next(state, control)
// puts nres results (key, value, nil...) from a. The trace calls the
// interpreter's own next (jit_helpers.go), which leaves the value in
// State.iterVal. ipairs is recIpairsNext's (jit_record_lib.go); any
// other generator is NYI.
func (r *jrecorder) recIterNext(a, nres int) error {
	L := r.L
	if r.live(a-3) == L.ipairsAux && nres >= 1 {
		return r.recIpairsNext(a, nres)
	}
	if r.live(a-3) != L.nextFn || nres < 1 {
		return errNYI("NYI: ITERC")
	}
	tp, t, ok := r.tabPtr(a - 2)
	if !ok {
		return errNYI("NYI: ITERC over a non-table")
	}
	_ = tp
	r.guard(irkit.EQ, r.slot(a-3), r.kval(L.nextFn))
	ctl := r.kval(Nil)
	if r.live(a-1) == Nil {
		r.guard(irkit.EQ, r.slot(a-1), ctl)
	} else if ctl, ok = r.word(a-1, false); !ok {
		return errNYI("NYI: ITERC")
	}
	nk, nv, ok := t.next(r.live(a - 1))
	if !ok {
		return errNYI("NYI: ITERC with an invalid key")
	}
	idx := r.emit(irkit.UNBOXP, irkit.TI64, r.slot(a-2), irkit.NoRef)
	k := r.b.Call(L.jit.hNext, idx, ctl)
	r.guard(irkit.NE, k, r.kval(iterBad))
	v := r.emit(irkit.XLOAD, irkit.TVal, r.kptr(unsafe.Pointer(&L.iterVal)), 0)
	r.typeGuard(k, nk)
	if nk == Nil {
		v = r.kval(Nil) // next returned one result; the rest is padding
	} else if nres >= 2 {
		r.typeGuard(v, nv)
	}
	r.set(a+2, r.slot(a-1))
	r.set(a+1, r.slot(a-2))
	r.setResults(a, nres, k, v) // ITERC: nres >= 1
	return nil
}

// recCat records slot a = slot b .. ... .. slot c of strings and numbers
// by a call of the interpreter's concatenation.
func (r *jrecorder) recCat(a, b, c int) error {
	n := c - b + 1
	if n < 2 || n > irkit.MaxArgs {
		return errNYI("NYI: CAT of more than 8 operands")
	}
	var args [irkit.MaxArgs]irkit.Ref
	for i := b; i <= c; i++ {
		if v := r.live(i); !v.IsNumber() && v.tag() != tagStr {
			return errNYI("NYI: CAT of a " + v.TypeName())
		}
		args[i-b], _ = r.word(i, false)
	}
	r.gcRoom()
	res := r.b.Call(r.L.jit.hCat[n], args[:n]...)
	// Nil: too long; the interpreter raises the error.
	r.guard(irkit.NE, res, r.kval(Nil))
	r.set(a, res)
	return nil
}

// recToString records tostring(x) of a string (x itself) or a number (the
// interpreter's formatting, called).
func (r *jrecorder) recToString(fv Value, a, nres int) error {
	v := r.live(a + 1)
	if !v.IsNumber() && v.tag() != tagStr {
		return errNYI("NYI: tostring of a " + v.TypeName())
	}
	r.guard(irkit.EQ, r.slot(a), r.kval(fv))
	x, _ := r.word(a+1, false)
	res := x
	if v.IsNumber() {
		r.gcRoom()
		res = r.b.Call(r.L.jit.hToStr, x)
	}
	r.setResults(a, nres, res)
	return nil
}

// strRef guards that slot i holds a string and returns the address of
// its bytes (TPtr) and its length (TI64), read through State.strs (the
// Go string header of string number idx is two words at 16*idx).
func (r *jrecorder) strRef(i int) (data, n irkit.Ref, s string, ok bool) {
	v := r.live(i)
	if v.tag() != tagStr {
		return irkit.NoRef, irkit.NoRef, "", false
	}
	ref := r.slot(i)
	r.guard(irkit.ISTAG, ref, irkit.Ref(tagStr))
	idx := r.emit(irkit.UNBOXP, irkit.TI64, ref, irkit.NoRef)
	hdrs := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&r.L.strs)), 0)
	two := r.emit(irkit.ADD, irkit.TI64, idx, idx)
	data = r.emit(irkit.ALOAD, irkit.TPtr, r.emit(irkit.AREF, irkit.TPtr, hdrs, two), irkit.NoRef)
	n = r.emit(irkit.ALOAD, irkit.TI64, r.emit(irkit.AREF, irkit.TPtr, hdrs, r.emit(irkit.ADD, irkit.TI64, two, r.b.KI64(1))), irkit.NoRef)
	return data, n, r.L.strs[v.idx()], true
}

// recStrCall inlines string.len(s) and string.byte(s [, i]) with one
// result. The byte is read from the aligned 8-byte word that holds it: a
// word-aligned load never crosses a page, so it stays in mapped memory
// whatever follows the string, and the trace needs no byte-sized load.
// A position outside the string (negative positions included, which
// count from the end) leaves the trace: the interpreter returns nothing.
func (r *jrecorder) recStrCall(kind int, fv Value, a, nargs, nres int) error {
	if kind == biByte && nargs > 2 {
		return errNYI("NYI: string.byte of a range")
	}
	if kind == biByte && nres == 0 {
		return errNYI("NYI: builtin call form")
	}
	r.guard(irkit.EQ, r.slot(a), r.kval(fv))
	data, n, s, ok := r.strRef(a + 1)
	if !ok {
		return errNYI("NYI: string function on a non-string")
	}
	var res irkit.Ref
	if kind == biLen {
		res = r.emit(irkit.ITOF, irkit.TNum, n, irkit.NoRef)
	} else {
		pos, live := r.b.KI64(1), 1.0
		if nargs == 2 {
			x, ok := r.num(a + 2)
			if !ok {
				return errNYI("NYI: string.byte at a non-number")
			}
			live = r.live(a + 2).Float()
			pos = r.emit(irkit.SEXT, irkit.TI64, r.emit(irkit.FTOIX, irkit.TInt, x, irkit.NoRef), irkit.NoRef)
		}
		if live < 1 || live > float64(len(s)) || live != math.Trunc(live) {
			return errNYI("NYI: string.byte outside the string")
		}
		i0 := r.emit(irkit.SUB, irkit.TI64, pos, r.b.KI64(1))
		r.guard(irkit.ULT, i0, n)
		addr := r.emit(irkit.BCAST, irkit.TI64, r.emit(irkit.ADD, irkit.TPtr, data, i0), irkit.NoRef)
		word := r.emit(irkit.XLOAD, irkit.TI64, r.emit(irkit.BCAST, irkit.TPtr, r.emit(irkit.BAND, irkit.TI64, addr, r.b.KI64(-8)), irkit.NoRef), 0)
		shift := r.emit(irkit.BSHL, irkit.TI64, r.emit(irkit.BAND, irkit.TI64, addr, r.b.KI64(7)), r.b.KI64(3))
		b := r.emit(irkit.BAND, irkit.TI64, r.emit(irkit.BSHR, irkit.TI64, word, shift), r.b.KI64(255))
		res = r.emit(irkit.ITOF, irkit.TNum, b, irkit.NoRef)
	}
	r.setResults(a, nres, res)
	return nil
}

// finish closes the loop, or for a side trace stops at pc (the start of
// r.link): the trace is optimized, compiled and installed.
func (r *jrecorder) finish(pc int) {
	L := r.L
	j := L.jit
	L.jrec = false
	defer L.vmResume()
	var err error
	looping := r.parent == nil && r.upDelta == 0 && r.retDelta == 0 && !r.tailRec && r.link == nil
	if looping {
		err = r.r.CloseLoop()
	} else {
		err = r.r.Stop(uint64(pc))
	}
	if err != nil {
		r.abort(err, -1)
		return
	}
	t := r.b.T
	if !r.upAliasOK() {
		r.abort(errNYI("NYI: upvalue in the trace's frame, which the trace uses"), -1)
		return
	}
	t.DCE()
	if err := t.Verify(); err != nil {
		r.abort(errNYI("verify: "+err.Error()), -1)
		return
	}
	tr := &jtrace{p: r.startP, keep: r.keep, loopPC: r.loopPC, startPC: r.startPC, t: t, maxIter: 1 << 16,
		parent: r.parent, exit: r.exit, link: r.link, delta: r.delta, depth: len(r.entry), deep: r.entryD != 0,
		pcs: append([]jpc(nil), r.pcs...), mres: r.mresAt, retDelta: r.retDelta, retMres: r.retMres, retP: r.retP, mresIn: r.mresIn, up: r.upDelta != 0, tail: r.tailRec,
		inherits: r.inherits}
	if r.parent == nil && (r.upDelta != 0 || r.tailRec) {
		// Up-recursion: round again, one frame up; tail recursion: in
		// the same frame.
		tr.link, tr.delta = tr, r.upDelta
	}
	if tr.deep {
		tr.caller = r.entry[0]
		tr.pin = box(tagLFn, tr.caller.fn)
	} else {
		tr.pin = r.pin
	}
	tr.root = tr
	if r.parent != nil {
		tr.root = r.parent.root
	}
	for _, e := range t.SnapEntries {
		if s := e.Slot() + 1; s > tr.nslots {
			tr.nslots = s
		}
	}
	for _, s := range t.Snaps {
		if int(s.NSlots) > tr.nslots {
			tr.nslots = int(s.NSlots)
		}
	}
	j.maxSlots = max(j.maxSlots, tr.nslots+max(tr.delta, 0))
	j.stackNeed = int64(2*j.maxSlots + 2*bytecode.MaxSlots)
	be := j.opts.Backend
	if be != nil && looping && j.opts.Opt.Flags&guard.Loop != 0 {
		if err := r.b.LoopOpt(); err == nil {
			t.DCE()
		}
	}
	// A narrowed index whose double only the slots need is converted at
	// exits (SlotWord, the restorers), not on every iteration.
	if t.SinkITOF() > 0 {
		t.DCE()
	}
	var id guard.TraceID
	if r.parent == nil {
		id = j.tracker.NewTrace(len(t.Snaps))
	} else if id, err = j.tracker.NewSide(guard.TraceID(r.parent.id), r.exit, len(t.Snaps)); err != nil {
		r.abort(errNYI(err.Error()), -1)
		return
	}
	tr.id = int(id)
	path := "interp"
	if be != nil {
		if c, err := safeCompile(be, t, j.forcer(id, t)); err == nil {
			tr.native = c
			path = be.Name()
			j.stats.Native++
		} else {
			j.verbosef("[TRACE %d backend %s refused: %v]\n", tr.id, be.Name(), err)
		}
	}
	if tr.native == nil {
		if t.Loop != irkit.NoRef {
			// A loop-optimized trace cannot stop at an iteration
			// boundary in the IR interpreter: it runs without
			// interrupts (only when the backend refused it).
			tr.maxIter = 1 << 62
		}
		tr.force = j.forcer(id, t)
	}
	tr.exits = make([]int64, len(t.Snaps))
	tr.sides = make([]*jtrace, len(t.Snaps))
	j.all = append(j.all, tr)
	if tr.native != nil {
		j.byCode[tr.native] = tr
	}
	if j.opts.Installed != nil {
		j.opts.Installed(tr.id, loc(r.startP, r.startPC), tr.native)
	}
	j.stats.Traces++
	j.stats.RecordTime += time.Since(r.t0)
	if r.parent == nil {
		j.traces[r.root] = append(j.traces[r.root], tr)
		j.starts.Success(startKey(r.root, r.loopPC))
		setHot(r.root, r.loopPC, 0)
		if tr.link != nil {
			// Machine code pushed a frame: a keyed link further on
			// would compare the wrong caller.
			j.link(tr, len(t.Snaps)-1, tr.link, LinkSpec{SlotsDelta: tr.delta, Drop: true})
		}
		j.verbosef("[TRACE %3d %s %s (%s, %d IR, %d snapshots)]\n", tr.id, loc(r.startP, r.startPC), tr.kind(), path, t.Len(), len(t.Snaps))
	} else {
		r.parent.sides[r.exit] = tr
		// The tree grew: runs sampled before measured a tree that
		// went back to Go where it now goes on (see measure).
		tr.root.samples = tr.root.samples[:0]
		j.tracker.Link(guard.TraceID(r.parent.id), r.exit, id, nil)
		// A parent's exit with inlined frames is left to Go, which
		// materializes their records before the side trace runs. An
		// exit below the frame its trace started in drops the caller
		// key (see callerKey); a deep side trace is linked keyed by its
		// caller, from an exit in the frame its parent started in.
		if nf := len(r.parent.t.Frames(r.exit)); nf == 1 || !tr.deep {
			spec := LinkSpec{SlotsDelta: r.entryD, Drop: r.parent.depth > 0 || nf > 1}
			if r.parent.retDelta != 0 && r.exit == len(r.parent.t.Snaps)-1 {
				// The parent's end returned into the caller.
				spec.SlotsDelta -= r.parent.retDelta
				spec.Drop = true
			}
			if tr.deep {
				spec.Caller = tr.caller.key()
			}
			if !tr.deep || (spec.Caller != 0 && !spec.Drop) {
				j.link(r.parent, r.exit, tr, spec)
			}
		}
		j.noteStart(tr)
		if tr.retDelta != 0 {
			j.linkReturn(tr, L.fns[L.frames[r.ci-1].fn].p, r.retPC)
		} else if tr.link != nil {
			end := len(t.Snaps) - 1
			j.link(tr, end, tr.link, LinkSpec{SlotsDelta: tr.delta, Drop: len(t.Frames(end))-1 < tr.depth || r.pushed || r.tailRec})
		}
		j.stats.SideTraces++
		deep := ""
		if tr.deep {
			deep = ", from the caller's frame"
		}
		j.verbosef("[TRACE %3d (%d/%d) %s -> %s (%s, %d IR, %d snapshots%s)]\n", tr.id, r.parent.id, r.exit,
			loc(r.startP, r.startPC), tr.kind(), path, t.Len(), len(t.Snaps), deep)
	}
	if j.opts.Dump != nil {
		r.dump(tr)
	}
}

// link asks the backend to make exit of from continue in to in machine
// code. Failing is fine: runTrace links in Go then.
func (j *jitState) link(from *jtrace, exit int, to *jtrace, spec LinkSpec) {
	lk, ok := j.opts.Backend.(Linker)
	if !ok || from.native == nil || to.native == nil {
		return
	}
	if err := lk.Link(from.native, exit, to.native, spec); err != nil {
		j.verbosef("[TRACE %d exit %d -> %d not linked in machine code: %v]\n", from.id, exit, to.id, err)
		return
	}
	if spec.Caller != 0 {
		j.stats.KeyedLinks++
	}
	j.stats.Links++
}

// Caller keys. A deep side trace is right only under the caller it was
// recorded with (sameCaller). When its parent's exit is linked to it in
// machine code, the link stub checks that with one compare: runTrace
// describes the running frame's caller in a word (callerKey), and the
// link is taken only if the word equals the trace's (jcaller.key). The
// key packs the caller's closure index, the pc it resumes at (the CALL's
// plus one) and the distance from its slot 0 to the callee's, which
// sameCaller compares too; a closure index names one prototype as long
// as the closure lives, so the trace keeps it alive (jtrace.pin).
//
// The key describes the caller of the frame the run started in: a link
// that continues below that frame, or after machine code pushed frame
// records (pushRecords ends its trace, whose link drops the key), drops
// it (LinkSpec.Drop), and a keyed link is made only from an exit in the
// frame its trace started in.
//
// Since loop trees return into their callers (recRetDown), a deep side
// trace is recorded only after a recording from its exit failed to
// return into the caller (errReturn), and for such a caller (a Go frame,
// a vararg function) startSide cannot record one either: the machinery
// stays, unused by the bench programs.

// key returns c's caller key, 0 if it has none.
func (c jcaller) key() uint64 {
	return packCallerKey(c.fn, c.callPC+1, c.callA+1)
}

// packCallerKey packs a caller's closure index, resume pc and slot
// distance to its callee; 0 if they do not fit.
func packCallerKey(fn uint32, pc, dist int) uint64 {
	if pc < 1 || pc >= 1<<24 || dist < 1 || dist > 255 {
		return 0
	}
	return uint64(fn+1)<<32 | uint64(pc)<<8 | uint64(dist)
}

// callerKey returns the key of the running frame's caller: what
// jcaller.key gives for the caller callSite would find, or 0.
func (L *State) callerKey() uint64 {
	n := len(L.frames)
	if n < 2 {
		return 0
	}
	f, g := &L.frames[n-2], &L.frames[n-1]
	if f.kind == frGo || g.kind != frLua || g.nvar != 0 {
		return 0
	}
	return packCallerKey(f.fn, int(f.pc), int(g.base-f.base))
}

// forcer says which exits of trace id (IR t) the stress mode forces: all
// it picks, but those of snapshots that are right only when their guard
// fails (irkit.SnapExitOnly), which must not be taken while it holds.
func (j *jitState) forcer(id guard.TraceID, t *irkit.Trace) func(exit int) bool {
	f := j.opts.Stress.Forcer(id)
	if f == nil {
		return nil
	}
	return func(exit int) bool {
		if exit >= 0 && exit < len(t.Snaps) && t.Snaps[exit].Flags&irkit.SnapExitOnly != 0 {
			return false
		}
		return f(exit)
	}
}

// safeCompile runs the backend, turning a panic into an error: the trace
// then runs on the IR interpreter.
func safeCompile(be Backend, t *irkit.Trace, force func(int) bool) (c Compiled, err error) {
	defer func() {
		if e := recover(); e != nil {
			c, err = nil, fmt.Errorf("backend panic: %v", e)
		}
	}()
	return be.Compile(t, force)
}

// startSide starts recording a side trace from exit of parent, which was
// just taken: the interpreter is at pc with the exit's state restored and
// its frames rebuilt; depth is how many of them the exit's snapshot has
// above the parent's base frame.
//
// The side trace's base frame is the parent's; the frames above it, which
// the parent inlined, are inlined frames to it (jrecorder.virt). Or, when
// the exit is in that frame, it was called from a Lua function, and an
// earlier recording from this exit failed to return from it, the
// caller's (see the caller keys above): the side trace may then
// return into the caller and call the function again, as a loop nest in
// a function called from a loop does (the outer loop ends, the caller's
// loop calls the function, the inner loop's trace takes over). Such a
// deep side trace depends on its caller, which its IR cannot check: it is
// entered from Go only (runTrace), after sameCaller.
func (L *State) startSide(parent *jtrace, exit, pc, depth int) {
	if L.jrec || depth < 0 {
		return
	}
	// A bug in the recorder must cost a trace, never the program.
	defer func() {
		if e := recover(); e != nil {
			if L.jrec {
				L.jit.rec.abort(errNYI(fmt.Sprintf("internal error: %v", e)), -1)
			}
			L.jrec = false
		}
	}()
	top := len(L.frames) - 1
	bfi := top - depth
	if bfi < 0 {
		return
	}
	if depth == 0 && bfi > 0 && L.jit.deepExit[[2]int{parent.id, exit}] {
		if _, ok := L.callSite(bfi - 1); ok {
			bfi--
		}
	}
	L.startRecording(parent.root.p, parent.root.loopPC)
	if !L.jrec {
		return
	}
	r := &L.jit.rec
	r.parent, r.exit, r.startPC = parent, exit, pc
	r.entryD = int(L.frames[bfi].base) - (int(L.frames[top-depth].base))
	r.r.Start(uint64(L.frames[bfi].pc))
	r.callers = r.callers[:0]
	for d := bfi; d < top; d++ {
		c, ok := L.callSite(d)
		if !ok {
			r.abort(errNYI("NYI: side trace below a frame the recorder cannot rebuild"), -1)
			return
		}
		if bfi == top-depth {
			// A frame the parent inlined: its closure index, for
			// pushRecords, is its function slot's (the parent guarded
			// its prototype at the call).
			c.callee = r.emit(irkit.UNBOXP, irkit.TI64, r.r.Slot(c.callA+1, irkit.TVal), irkit.NoRef)
		}
		r.callers = append(r.callers, c)
		if err := r.r.Call(c.callA+1, uint64(L.frames[d].pc)); err != nil {
			r.abort(err, -1)
			return
		}
	}
	r.entry = append(r.entry[:0], r.callers...)
	if bfi == top-depth {
		r.virt = len(r.callers)
	} else {
		r.real = len(r.callers) // a deep side trace's entry frame
	}
	fr := &L.frames[top]
	r.p, r.ci, r.base, r.fn = L.fns[fr.fn].p, top, int(fr.base), fr.fn
	r.startP = r.p
	r.r.SetPC(uint64(pc))
	r.knownNumbers(parent, exit, int(L.frames[top-depth].base), pc)
	if parent.retMres >= 0 && exit == len(parent.exits)-1 {
		// The parent returned its results to a CALL that wants them
		// all: the bytecode here takes MULTRES, which is the number of
		// values the parent's RET had, on every path into this exit.
		r.mres, r.mresA = parent.retMres, parent.retDelta-1
		r.mresIn = r.mres
		return
	}
	for _, m := range parent.mres {
		// An exit at a CALLM or TSETM the parent ran: MULTRES is what
		// the parent consumed there (exitMultres).
		if m.p == r.p && m.pc == pc {
			ins := r.p.code[pc]
			r.mres, r.mresA = m.res, ins.A()
			if ins.Op() == bytecode.CALLM {
				r.mresA = ins.A() + ins.C() + 1
			}
			r.mresIn = r.mres
			return
		}
	}
}

// knownNumbers notes the slots a side trace may load as numbers without
// a type guard: those its parent's exit writes a number to (an entry of
// type TNum, or TInt, which the exit converts to a number). The side
// trace runs only after that exit, from its link stub or from Go after
// the same restore, and nothing else writes the interpreter's slots
// while a trace runs, so a slot the trace has not set still holds that
// number whenever the trace reads it. pbase is the stack index of the
// parent's slot 1.
//
// A slot the exit writes a constant number to holds that number: the
// trace uses the constant and loads nothing (fib's leaf compares n with
// the 2 its parent put in a slot before the exit).
//
// A side trace starting right after a CALL may become a continuation
// that other traces' returns link to (noteStart), with other values in
// the slots: such a trace keeps its guards.
func (r *jrecorder) knownNumbers(parent *jtrace, exit, pbase, pc int) {
	if pc > 0 {
		if op := r.p.code[pc-1].Op(); op == bytecode.CALL || op == bytecode.CALLM {
			return
		}
	}
	if r.known == nil {
		r.known = map[int]bool{}
		r.knownK = map[int]float64{}
	}
	pt := parent.t
	for _, e := range pt.Entries(exit) {
		if e.Flags()&^irkit.SnapConst != 0 || e.Slot() < 1 {
			continue
		}
		s := pbase + e.Slot() - 1
		switch ty := pt.Ins(e.Ref()).T.Base(); ty {
		case irkit.TNum, irkit.TInt:
			r.known[s] = true
			if e.Flags()&irkit.SnapConst == 0 {
				break
			}
			w, _ := pt.KWord(e.Ref())
			if ty == irkit.TNum {
				r.knownK[s] = math.Float64frombits(w)
			} else {
				r.knownK[s] = float64(int32(w))
			}
		}
	}
}

// sameCaller reports whether the caller of the running frame is c: the
// same closure stopped at the same CALL.
func (L *State) sameCaller(c jcaller) bool {
	got, ok := L.callSite(len(L.frames) - 2)
	return ok && got.p == c.p && got.fn == c.fn && got.callPC == c.callPC
}

// callSite describes frame d as the caller of frame d+1: Lua frames (d may
// be entered from Go, d+1 is called from d), d stopped at a CALL or CALLM
// with a fixed number of results whose callee is frame d+1, a function
// without varargs.
func (L *State) callSite(d int) (jcaller, bool) {
	c, ok := L.callSiteAny(d)
	return c, ok && c.nres >= 0
}

// callSiteAny is callSite, also for a CALL that wants all the results
// (nres -1).
func (L *State) callSiteAny(d int) (jcaller, bool) {
	if d < 0 || d+1 >= len(L.frames) {
		return jcaller{}, false
	}
	f, g := &L.frames[d], &L.frames[d+1]
	if f.kind == frGo || g.kind != frLua || g.nvar != 0 {
		return jcaller{}, false
	}
	p := L.fns[f.fn].p
	callPC := int(f.pc) - 1
	if callPC < 0 || callPC >= len(p.code) {
		return jcaller{}, false
	}
	ins := p.code[callPC]
	if op := ins.Op(); op != bytecode.CALL && op != bytecode.CALLM || int(g.base) != int(f.base)+ins.A()+1 || L.fns[g.fn].p.vararg {
		return jcaller{}, false
	}
	return jcaller{p: p, ci: d, base: int(f.base), fn: f.fn, callA: ins.A(), nres: ins.B() - 1, callPC: callPC}, true
}

func guardID(id int) guard.TraceID { return guard.TraceID(id) }

// dump writes a trace's bytecodes and IR for -jdump.
func (r *jrecorder) dump(tr *jtrace) {
	w := r.L.jit.opts.Dump
	fmt.Fprintf(w, "---- TRACE %d start %s\n", tr.id, loc(tr.p, tr.startPC))
	fmt.Fprintf(w, "---- TRACE %d bytecode\n", tr.id)
	for _, x := range r.pcs {
		fmt.Fprintf(w, "%-12s %04d  %s\n", x.p.bp.Name, x.pc, bytecode.FormatIns(x.p.bp, x.pc, x.p.code[x.pc], true))
	}
	fmt.Fprintf(w, "---- TRACE %d IR\n", tr.id)
	tr.t.Dump(w)
	if tr.native != nil {
		fmt.Fprintf(w, "---- TRACE %d mcode\n", tr.id)
		fmt.Fprint(w, tr.native.Disasm())
	}
	fmt.Fprintf(w, "---- TRACE %d stop -> %s\n\n", tr.id, tr.kind())
}

// recLuaCall inlines a call of a Lua function: the trace guards the
// callee's prototype, and the callee's frame continues the slot map (its
// slot 0 is the caller's slot a+1, as in the interpreter). Exits inside it
// rebuild its frame record (see rebuildFrames).
func (r *jrecorder) recLuaCall(fv Value, a, pc, nargs, nres int) error {
	L := r.L
	np := L.fns[fv.idx()].p
	if np.vararg {
		return errNYI("NYI: vararg call")
	}
	if ft := L.jit.find(np, funcPC(np)); ft != nil && (nres < 0 || len(r.callers) >= 8 || r.recursive(np)) {
		// Inlining would unroll a recursion or stop at the depth limit:
		// end here, in the callee's function trace, having pushed the
		// records of the frames the trace inlined and the callee's
		// (pushRecords), and link to it in machine code.
		idx := r.guardProto(a, np)
		if err := r.pushRecords(pc+1, idx, a, nres); err != nil {
			return err
		}
		if err := r.enterCall(fv, np, idx, a, pc, nargs, nres); err != nil {
			return err
		}
		r.link, r.delta = ft, r.r.Base()
		r.finish(0)
		return nil
	}
	if nres < 0 {
		return errNYI("NYI: call with multiple results")
	}
	if len(r.callers) >= 8 {
		return errNYI("NYI: call depth")
	}
	return r.enterCall(fv, np, r.guardProto(a, np), a, pc, nargs, nres)
}

// recursive reports whether np runs in the trace's frames already, so
// that inlining a call of it would unroll a recursion.
func (r *jrecorder) recursive(np *Proto) bool {
	if r.p == np {
		return true
	}
	for _, c := range r.callers {
		if c.p == np {
			return true
		}
	}
	return false
}

// enterCall continues the recording in the callee of the CALL at pc, slot
// a, as an inlined frame (the caller's record of it is r.callers' top);
// idx is the callee's closure index; parameters without an argument are
// nil.
func (r *jrecorder) enterCall(fv Value, np *Proto, idx irkit.Ref, a, pc, nargs, nres int) error {
	if err := r.r.Call(a+1, uint64(pc+1)); err != nil {
		return err
	}
	r.callers = append(r.callers, jcaller{p: r.p, ci: r.ci, base: r.base, fn: r.fn, callA: a, nres: nres, callPC: pc, callee: idx})
	r.p, r.ci, r.base, r.fn = np, r.ci+1, r.base+a+1, fv.idx()
	for i := nargs; i < np.nparams; i++ {
		r.set(i, r.kval(Nil))
	}
	return nil
}

// recRet records the return of an inlined call: the results move to the
// caller's slots, padded with nil, and the callee's slots leave the map.
func (r *jrecorder) recRet(ins bytecode.Ins, a int) error {
	if len(r.callers) == 0 {
		if r.fnTree() || r.parent != nil {
			return r.recRetDown(ins, a)
		}
		return errReturn
	}
	if n := len(r.L.openUpvals); n > 0 && r.L.openUpvals[n-1].idx >= r.base {
		return errNYI("NYI: return closing upvalues")
	}
	rn := retCount(ins)
	c := r.callers[len(r.callers)-1]
	var res [8]irkit.Ref
	if c.nres > len(res) {
		return errNYI("NYI: many results")
	}
	for i := 0; i < c.nres && i < rn; i++ {
		res[i] = r.slot(a + i)
	}
	// A frame that existed before the trace ran (the side trace started
	// in it or above it) may have open upvalues the recording did not
	// see, made by the interpreter before the trace ran: the
	// interpreter's RET would close them, so the trace guards there are
	// none. A frame with a record has the top one (traces pop the
	// records of the frames they return from); an entry frame without
	// one is above the trace's base frame, which has the top record.
	real := len(r.callers) <= r.real
	var n irkit.Ref
	if real || len(r.callers) <= r.virt {
		var data irkit.Ref
		data, n = r.frameTop()
		cbase := r.emit(irkit.FLOAD, irkit.TInt, r.frameAt(data, n, -1), irkit.Ref(offFrBase))
		if !real {
			cbase = r.emit(irkit.ADD, irkit.TInt, cbase, r.b.KInt(int32(r.base-r.callers[0].base)))
		}
		up := r.emit(irkit.XLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&r.L.upTop)), 0)
		r.guard(irkit.LT, up, r.emit(irkit.SEXT, irkit.TI64, cbase, irkit.NoRef))
		if real {
			r.real = len(r.callers) - 1
		} else {
			r.virt = len(r.callers) - 1
		}
	}
	if err := r.r.Return(); err != nil {
		return err
	}
	if real {
		// Pop it, so that the records always end with the running
		// frame's.
		r.store(r.kptr(unsafe.Pointer(&r.L.frames)), 8, r.emit(irkit.ADD, irkit.TI64, n, r.b.KI64(-1)))
	}
	r.callers = r.callers[:len(r.callers)-1]
	r.p, r.ci, r.base, r.fn = c.p, c.ci, c.base, c.fn
	for i := 0; i < c.nres; i++ {
		if i < rn {
			r.set(c.callA+i, res[i])
		} else {
			r.set(c.callA+i, r.kval(Nil))
		}
	}
	return nil
}

// guardAbsent guards that string key k is not in the hash part of t (at
// tp): the node array keeps its length, and every node of k's chain keeps
// its link and holds another key, so a lookup walks the same chain and
// fails as it did while recording.
func (r *jrecorder) guardAbsent(tp irkit.Ref, t *Table, k Value) error {
	ln := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offNode+8))
	r.guard(irkit.EQ, ln, r.b.KI64(int64(len(t.node))))
	if len(t.node) == 0 {
		return nil
	}
	data := r.emit(irkit.FLOAD, irkit.TPtr, tp, irkit.Ref(offNode))
	n := hashKey(k, t.lsize)
	for steps := 0; ; steps++ {
		if steps > 8 {
			return errNYI("NYI: long hash chain")
		}
		nd := r.emit(irkit.AREF, irkit.TPtr, data, r.b.KI64(int64(n)*nodeWords))
		key := r.emit(irkit.FLOAD, irkit.TVal, nd, irkit.Ref(nodeKey))
		r.guard(irkit.NE, key, r.kval(k))
		next := r.emit(irkit.FLOAD, irkit.TInt, nd, irkit.Ref(nodeNext))
		r.guard(irkit.EQ, next, r.b.KInt(t.node[n].next))
		if n = t.node[n].next; n < 0 {
			return nil
		}
	}
}

// getStr records t[k] for a string key, following __index tables as the
// interpreter does (a key absent or nil in a table with a metatable whose
// __index is a table continues there).
func (r *jrecorder) getStr(tp irkit.Ref, t *Table, k Value) (irkit.Ref, error) {
	for depth := 0; depth < 4; depth++ {
		nd, n, ok := r.nodeRef(tp, t, k)
		if ok {
			val := r.emit(irkit.FLOAD, irkit.TVal, nd, irkit.Ref(nodeVal))
			if v := t.node[n].val; v != Nil || t.mt == 0 {
				// The type is guarded here, at the load: a nil in a
				// table with a metatable must exit to this bytecode.
				typed := r.typed(val, v)
				if v == Nil {
					r.guardNoMeta(tp)
				}
				return typed, nil
			}
			r.guard(irkit.ISTAG, val, irkit.Ref(tagNil))
		} else {
			if err := r.guardAbsent(tp, t, k); err != nil {
				return irkit.NoRef, err
			}
			if t.mt == 0 {
				r.guardNoMeta(tp)
				return r.kval(Nil), nil
			}
		}
		// The metatable, by index; its __index is found by content.
		mti := r.emit(irkit.FLOAD, irkit.TInt, tp, irkit.Ref(offMt))
		r.guard(irkit.EQ, mti, r.b.KInt(int32(t.mt)))
		var err error
		if tp, t, err = r.indexTable(int(t.mt-1), "NYI: metatable without __index"); err != nil {
			return irkit.NoRef, err
		}
	}
	return irkit.NoRef, errNYI("NYI: long __index chain")
}

// indexTable guards the __index of metatable number mi (an index into
// State.tabs) to be the table it is now, and returns that table's address
// and the table; absent is the abort reason when there is no __index.
func (r *jrecorder) indexTable(mi int, absent string) (irkit.Ref, *Table, error) {
	L := r.L
	mt := L.tabs[mi]
	data := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&L.tabs)), 0)
	mtp := r.emit(irkit.ALOAD, irkit.TPtr, r.emit(irkit.AREF, irkit.TPtr, data, r.b.KI64(int64(mi))), irkit.NoRef)
	hnd, hn, ok := r.nodeRef(mtp, mt, L.tmName[tmIndex])
	if !ok {
		return irkit.NoRef, nil, errNYI(absent)
	}
	h := mt.node[hn].val
	if h.tag() != tagTab {
		return irkit.NoRef, nil, errNYI("NYI: __index function")
	}
	href := r.emit(irkit.FLOAD, irkit.TVal, hnd, irkit.Ref(nodeVal))
	r.guard(irkit.ISTAG, href, irkit.Ref(tagTab))
	return r.tabAt(data, href), L.tabs[h.idx()], nil
}
