package lowertest

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// Backend is a machine-code lowering: it compiles a trace allocated for
// its target into code that emit.Enter runs under emit's calling contract
// and the exit conventions of emit.Trace.
type Backend interface {
	Target() *regalloc.Target
	Compile(tr *irkit.Trace, res *regalloc.Result) (*emit.Trace, error)
}

// NoBackRecord is Backend with the allocation's exit record at a loop's
// back edge hidden, so the lowering must find the interrupt exit's
// locations itself (by simulation: emit.LoopSim).
type NoBackRecord struct{ Backend }

// Compile compiles tr without the back edge's exit record.
func (b NoBackRecord) Compile(tr *irkit.Trace, res *regalloc.Result) (*emit.Trace, error) {
	if n := len(res.Exits); tr.Loop != irkit.NoRef && n > 0 && res.Exits[n-1].Ref == tr.Next() {
		r := *res
		r.Exits = r.Exits[:n-1]
		return b.Backend.Compile(tr, &r)
	}
	return b.Backend.Compile(tr, res)
}

// -- The oracle ------------------------------------------------------------------------

// Want is what the IR interpreter says a run must produce.
type Want struct {
	Exit  int       // the snapshot the run exits through, -1 if none
	Guard irkit.Ref // the guard that exited, irkit.NoRef if none
	Iter  int       // loop iterations completed
	Err   error     // the interpreter's error (irkit.ErrMaxIter: not comparable)
	Slots []uint64  // the slots after the exit's snapshot was restored
	Mem   []uint64  // the arena after the run
}

// Expect runs tr on the interpreter from the inputs slots and mem (copied;
// the arena is set to mem first) and returns the outcome.
func Expect(tr *irkit.Trace, slots, mem []uint64, arena *Arena, maxIter int) Want {
	return ExpectForced(tr, slots, mem, arena, maxIter, nil)
}

// ExpectForced is Expect with the guards of the snapshots force names
// exiting although they hold (irkit.Interp.Force; nil forces none).
func ExpectForced(tr *irkit.Trace, slots, mem []uint64, arena *Arena, maxIter int, force func(snap int) bool) Want {
	var in irkit.Interp
	in.MaxIter = maxIter
	in.Force = force
	w := Want{Slots: append([]uint64(nil), slots...)}
	copy(arena.Words, mem)
	ex, err := in.Run(tr, w.Slots)
	w.Exit, w.Guard, w.Iter, w.Err = ex.Snap, ex.Guard, ex.Iter, err
	w.Mem = append([]uint64(nil), arena.Words...)
	return w
}

// -- Running generated code ------------------------------------------------------------------

// Machine is the memory a compiled trace runs against: the state block,
// the interpreter slots and the spill area, kept alive and unmoved while
// it runs.
type Machine struct {
	State emit.State
	Slots []uint64
	Spill []uint64
	// Calls counts the call-outs to Go (emit.StatusCall) Run has served
	// since Prepare.
	Calls int
	pin   runtime.Pinner
}

// Garbage is the word the spill area and State.Regs are filled with
// before a run, so a value read from a location nobody wrote is noticed.
const Garbage = 0xdeadbeefcafe1234

// Prepare sets the machine up for code: slots are copied in, the spill
// area sized and filled with Garbage, and State.Regs too.
func (m *Machine) Prepare(code *emit.Trace, slots []uint64) {
	m.pin.Unpin()
	m.Slots = append(m.Slots[:0], slots...)
	if len(m.Slots) == 0 {
		m.Slots = append(m.Slots, 0)
	}
	m.Spill = resize(m.Spill, max(code.NSpill, 1))
	for i := range m.Spill {
		m.Spill[i] = Garbage
	}
	m.State = emit.State{}
	m.Calls = 0
	for i := range m.State.Regs {
		m.State.Regs[i] = Garbage
	}
	m.pin.Pin(&m.Slots[0])
	m.pin.Pin(&m.Spill[0])
	m.State.Slots = uintptr(unsafe.Pointer(&m.Slots[0]))
	m.State.Spill = uintptr(unsafe.Pointer(&m.Spill[0]))
}

// Run enters code, serves its call-outs to Go (emit.Trace.Serve, counted
// in Calls) and returns its final status word. If timeout > 0, a timer sets
// State.Interrupt after it, so a trace that loops forever returns
// emit.StatusInterrupt (timedOut then reports it).
func (m *Machine) Run(code *emit.Trace, timeout time.Duration) (status uint64, timedOut bool) {
	var fired atomic.Bool
	var t *time.Timer
	if timeout > 0 {
		t = time.AfterFunc(timeout, func() {
			fired.Store(true)
			atomic.StoreUint32(&m.State.Interrupt, 1)
		})
	}
	entry := code.Entry
	for {
		status = emit.Enter(entry, uintptr(unsafe.Pointer(&m.State)))
		next, ok := code.Serve(&m.State, status)
		if !ok {
			break
		}
		m.Calls++
		entry = next
	}
	if t != nil {
		t.Stop()
	}
	runtime.KeepAlive(m)
	return status, fired.Load()
}

// Close unpins the machine's memory.
func (m *Machine) Close() { m.pin.Unpin() }

// -- Reading an exit back --------------------------------------------------------------

// Value returns the word of ref after exit n of code: read from the
// location code.Locs(n) gives (a register's word in State.Regs, a spill
// slot) or the constant, normalized by ref's type (irkit.Norm).
func (m *Machine) Value(tr *irkit.Trace, code *emit.Trace, target *regalloc.Target, n int, ref irkit.Ref) (uint64, error) {
	if ref.IsConst() {
		w, _ := tr.KWord(ref)
		return w, nil
	}
	for _, rl := range code.Locs(n) {
		if rl.Ref != ref {
			continue
		}
		w, ok := emit.Read(&m.State, m.Spill, target, rl.Loc)
		if !ok {
			return 0, fmt.Errorf("exit %d: %04d at %s cannot be read", n, ref-irkit.Bias, rl.Loc.Format(target))
		}
		return irkit.Norm(tr.Ins(ref).T, w), nil
	}
	return 0, fmt.Errorf("exit %d: no location for %04d", n, ref-irkit.Bias)
}

// Restore writes the entries of exit n's snapshot into m.Slots, reading
// each value back with Value, as a snapshot restorer would.
func (m *Machine) Restore(tr *irkit.Trace, code *emit.Trace, target *regalloc.Target, n int) error {
	if n < 0 || n >= len(tr.Snaps) {
		return nil
	}
	for _, e := range tr.Entries(n) {
		if e.Flags()&irkit.SnapNoRestore != 0 {
			continue
		}
		v, err := m.Value(tr, code, target, n, e.Ref())
		if err != nil {
			return err
		}
		if e.Slot() >= len(m.Slots) {
			return fmt.Errorf("exit %d: slot %d out of range", n, e.Slot())
		}
		m.Slots[e.Slot()] = v
	}
	return nil
}

// Compare checks a native run against want: the status must name want's
// exit, every value of that exit's snapshot read back must equal the slot
// the interpreter restored, and after restoring them the slots and the
// arena must equal the interpreter's, bit for bit.
func (m *Machine) Compare(tr *irkit.Trace, code *emit.Trace, target *regalloc.Target, status uint64, arena *Arena, want Want) error {
	if emit.StatusKind(status) != emit.StatusExit {
		return fmt.Errorf("status %#x: not an exit", status)
	}
	n := emit.StatusNum(status)
	wantN := want.Exit
	if wantN < 0 {
		wantN = int(emit.NoExit)
	}
	if n != wantN {
		return fmt.Errorf("exit %d, want %d", n, wantN)
	}
	if uint32(m.State.Exit) != uint32(wantN) {
		return fmt.Errorf("State.Exit = %d, want %d", m.State.Exit, wantN)
	}
	if want.Exit >= 0 {
		for _, e := range tr.Entries(want.Exit) {
			if e.Flags()&irkit.SnapNoRestore != 0 {
				continue
			}
			v, err := m.Value(tr, code, target, want.Exit, e.Ref())
			if err != nil {
				return err
			}
			if w := want.Slots[e.Slot()]; v != w {
				return fmt.Errorf("exit %d: slot %d (%04d %v) = %#x, want %#x", n, e.Slot(),
					e.Ref()-irkit.Bias, tr.Ins(e.Ref()).T.Base(), v, w)
			}
		}
		if err := m.Restore(tr, code, target, want.Exit); err != nil {
			return err
		}
	}
	for i := range want.Slots {
		if m.Slots[i] != want.Slots[i] {
			return fmt.Errorf("slot %d = %#x, want %#x", i, m.Slots[i], want.Slots[i])
		}
	}
	for i := range want.Mem {
		if arena.Words[i] != want.Mem[i] {
			return fmt.Errorf("arena word %d = %#x, want %#x", i, arena.Words[i], want.Mem[i])
		}
	}
	return nil
}

// -- One differential case ------------------------------------------------------------------

// Outcome classifies one differential case.
type Outcome uint8

// Outcomes of Case.
const (
	Compared  Outcome = iota // run natively and matched the interpreter
	NotBuilt                 // fold proved the trace always exits; nothing to run
	NoCompare                // the interpreter hit its iteration limit
)

// Stats counts the differential cases run.
type Stats struct {
	Cases, Compared, NotBuilt, NoCompare int // by Outcome
	Loops, LoopRuns, Straight, Looping   int // LOOP traces, of which iterated; straight; restarting
	GuardExits, EndExits                 int // straight traces that ran off their end: EndExits
	Ins, Spills, Reloads                 int // IR instructions compiled, and the allocations' spills and reloads
	Interrupts                           int // interrupt exits resumed and matched
	Callouts                             int // call-outs to Go served (emit.StatusCall)
	Forced, ForcedValue                  int // compared exits of forced guards (Tester.Stress), of which value-producing ones
	// Fused memory operands in the allocations (regalloc.Target):
	// instructions with a fused address, of which with an index register,
	// of which read through a BCAST; comparisons with a fused second load.
	FusedAddrs, FusedIndex, FusedBcast, FusedLoad2 int
}

// Tester runs differential cases of one backend.
type Tester struct {
	Backend Backend
	Gen     *Gen
	Alloc   *regalloc.Allocator
	Res     regalloc.Result
	M       Machine
	Stats   Stats
	// Timeout bounds one native run (default 2 s) with a Go timer that
	// sets State.Interrupt. It is a best effort: a GC that starts while a
	// runaway trace runs waits for it, and stops the timer too.
	Timeout time.Duration
	// Free, if set, is called with each compiled trace after its run.
	Free func(*emit.Trace)
	// Interrupt sets State.Interrupt before each run: a loop then leaves at
	// its first back edge with emit.StatusInterrupt. The case restores the
	// exit's snapshot, resumes on the interpreter from there and must reach
	// the interpreter's own outcome, which checks the interrupt exit's
	// locations.
	Interrupt bool
	// Stress forces guards to exit although they hold, as guard.Stress
	// does in a JIT, with the case's seed as the trace number: the
	// interpreter forces them (irkit.Interp.Force) and the backend must
	// force the same ones, by asking Forced (emit/amd64, emit/arm64:
	// Lowerer.Force = tester.Forced). A forced exit is compared as any
	// other; a forced value-producing guard (ADDOV, FTOIX) must still
	// compute its value, in code that stays allocated as it was.
	Stress guard.Stress
	seed   int64
}

// Forced reports whether the case being run forces the guards of snapshot
// snap to exit (see Stress).
func (t *Tester) Forced(snap int) bool { return t.Stress.Force(guard.TraceID(t.seed), snap) }

// force is the interpreter's Force of the current case.
func (t *Tester) force() func(int) bool {
	if t.Stress.Mode == guard.StressOff {
		return nil
	}
	return t.Forced
}

// NewTester returns a tester of backend b on traces shaped by cfg.
func NewTester(b Backend, cfg Config) *Tester {
	return &Tester{Backend: b, Gen: NewGen(cfg), Alloc: regalloc.NewAllocator(b.Target()), Timeout: 2 * time.Second}
}

// Close releases the tester's memory.
func (t *Tester) Close() {
	t.Gen.Close()
	t.M.Close()
}

// Case builds, allocates (and checks the allocation with regalloc.Check),
// interprets, compiles, runs and compares the trace of seed. The error
// describes the first difference, with the trace and its allocation.
func (t *Tester) Case(seed int64) (Outcome, error) {
	g := t.Gen
	t.seed = seed
	t.Stats.Cases++
	if err := g.Build(seed); err != nil {
		if errors.Is(err, irkit.ErrGuardFails) {
			t.Stats.NotBuilt++
			return NotBuilt, nil
		}
		return 0, fmt.Errorf("build: %v\n%s", err, g.B.T)
	}
	tr := g.B.T
	if err := t.Alloc.Alloc(tr, &t.Res); err != nil {
		return 0, fmt.Errorf("alloc: %v\n%s", err, tr)
	}
	res := &t.Res
	if err := regalloc.Check(tr, res); err != nil {
		return 0, fmt.Errorf("regalloc.Check: %v\n%s", err, res.Format(tr))
	}
	t.countFused(tr, res.Target)
	want := ExpectForced(tr, g.Slots, g.Mem, g.Arena, g.Cfg.MaxIter, t.force())
	if want.Err != nil {
		if errors.Is(want.Err, irkit.ErrMaxIter) {
			t.Stats.NoCompare++
			return NoCompare, nil
		}
		return 0, fmt.Errorf("interpreter: %v\n%s", want.Err, tr)
	}
	code, err := t.Backend.Compile(tr, res)
	if err != nil {
		return 0, fmt.Errorf("compile: %v\n%s", err, res.Format(tr))
	}
	if t.Free != nil {
		defer t.Free(code)
	}
	copy(g.Arena.Words, g.Mem)
	t.M.Prepare(code, g.Slots)
	if t.Interrupt {
		t.M.State.Interrupt = 1
	}
	status, timedOut := t.M.Run(code, t.Timeout)
	t.Stats.Callouts += t.M.Calls
	if timedOut {
		return 0, fmt.Errorf("native run did not finish in %v (status %#x)\n%s", t.Timeout, status, res.Format(tr))
	}
	// An interrupt exit comes from State.Interrupt (t.Interrupt) or from
	// the Go runtime's own preemption request, which a loop honours at its
	// back edge (emit.StackPreempt): either way the case resumes on the
	// interpreter from the exit's snapshot and must reach the same end.
	if emit.StatusKind(status) == emit.StatusInterrupt {
		n := emit.StatusNum(status)
		if uint32(n) != t.M.State.Exit || n != len(tr.Snaps)-1 {
			return 0, fmt.Errorf("seed %d: interrupt through exit %d (State.Exit %d), want the last snapshot %d", seed, n, t.M.State.Exit, len(tr.Snaps)-1)
		}
		if err := t.M.Restore(tr, code, t.Backend.Target(), n); err != nil {
			return 0, fmt.Errorf("seed %d: interrupt: %v\n%s", seed, err, res.Format(tr))
		}
		t.Stats.Interrupts++
		mem := append([]uint64(nil), g.Arena.Words...)
		// The resumed run starts at the loop header, so it exits through
		// the peeled copy of the guard's snapshot: compare PCs.
		rest := ExpectForced(tr, t.M.Slots, mem, g.Arena, g.Cfg.MaxIter, t.force())
		if rest.Err != nil || !samePC(tr, rest.Exit, want.Exit) || !equal(rest.Slots, want.Slots) || !equal(rest.Mem, want.Mem) {
			return 0, fmt.Errorf("seed %d: resuming after the interrupt: exit %d err %v slots %x mem %x\nwant exit %d slots %x mem %x\n%s",
				seed, rest.Exit, rest.Err, rest.Slots, rest.Mem, want.Exit, want.Slots, want.Mem, res.Format(tr))
		}
		t.Stats.Compared++
		return Compared, nil
	}
	if err := t.M.Compare(tr, code, t.Backend.Target(), status, g.Arena, want); err != nil {
		return 0, fmt.Errorf("seed %d: %v\ninterpreter: exit %d after %d iterations\n%s", seed, err, want.Exit, want.Iter, res.Format(tr))
	}
	s := &t.Stats
	s.Compared++
	s.Ins += tr.Len()
	s.Spills += res.Stats.Spills
	s.Reloads += res.Stats.Reloads
	switch {
	case tr.Loop != irkit.NoRef:
		s.Loops++
		if want.Iter > 0 {
			s.LoopRuns++
		}
	case tr.Looping:
		s.Looping++
	default:
		s.Straight++
	}
	if want.Guard != irkit.NoRef && t.Stress.Mode != guard.StressOff && t.Forced(want.Exit) {
		s.Forced++
		if tr.Ins(want.Guard).Op.HasValue() {
			s.ForcedValue++
		}
	}
	if want.Exit >= 0 && len(tr.Snaps) > 0 && want.Exit == len(tr.Snaps)-1 && tr.Loop == irkit.NoRef && !tr.Looping {
		s.EndExits++
	} else {
		s.GuardExits++
	}
	return Compared, nil
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// samePC reports whether exits a and b resume at the same PC.
func samePC(tr *irkit.Trace, a, b int) bool {
	if a < 0 || b < 0 {
		return a == b
	}
	return tr.Snaps[a].PC == tr.Snaps[b].PC
}

// countFused adds tr's fused memory operands under target to the Stats.
func (t *Tester) countFused(tr *irkit.Trace, target *regalloc.Target) {
	for r := irkit.First; r < tr.Next(); r++ {
		if _, ok := target.FusedLoad2(tr, r); ok {
			t.Stats.FusedLoad2++
		}
		addr, ok := target.FusedAddr(tr, r)
		if !ok {
			continue
		}
		t.Stats.FusedAddrs++
		if ai := tr.Ins(addr); ai.Op == irkit.AREF && !ai.Op2.IsConst() {
			t.Stats.FusedIndex++
			if tr.Ins(ai.Op2).Op == irkit.BCAST {
				t.Stats.FusedBcast++
			}
		}
	}
}
