package arm64

// -- Lowering: allocated irkit traces to arm64 machine code --------------------
//
// Compile walks a trace from its last instruction to its first, as the
// allocator did, and emits for each instruction its After moves, the
// instruction, its Before moves (regalloc's documented order), then the
// Entry moves and the prologue. Exit stubs and the shared exit handler are
// emitted first, so they sit after the trace body in memory and every guard
// is a forward branch to a label that is already bound.
//
// Register conventions inside a trace (beyond emit's calling contract and
// regalloc.ARM64):
//
//   - X0 holds the state pointer (emit.State) for the whole trace.
//   - X17 holds State.Spill, the base of the spill area, loaded by the
//     prologue; every reload and spill addresses [x17, #8*slot]. A lowering
//     that needs a second scratch register may use X17 and reloads it.
//     Exit stubs reload it before they read a spill slot.
//   - X16 is the scratch register of every instruction and move.
//   - A TInt value lives in the low 32 bits of its register (the upper half
//     is undefined, as W instructions leave it); a TBool value is 0 or 1 in
//     the whole register; everything else is a full 64-bit word. A TInt is
//     sign-extended when it is stored as a whole value word (SSTORE, the
//     restart of a looping trace), as irkit's interpreter holds it.

import (
	"errors"
	"fmt"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// Registers of the lowering's conventions.
const (
	StateReg   = X0  // the state pointer (emit.State)
	SpillReg   = X17 // the spill area's base, State.Spill
	ScratchReg = X16 // the scratch register (regalloc.ARM64.Scratch)
)

// ErrRefused reports a trace the arm64 lowering cannot compile (a helper
// without machine code while call-outs are off, a malformed allocation);
// the trace stays interpreted. Errors wrap it.
var ErrRefused = errors.New("arm64: trace refused")

func lowerErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrRefused}, args...)...)
}

// Lowerer compiles allocated irkit traces into arm64 machine code in
// executable memory. It reuses its buffer, assembler and scratch slices:
// compiling a trace allocates little beyond the returned description. A
// Lowerer is not safe for concurrent use.
type Lowerer struct {
	Mem *emit.Mem
	// FPow is the machine-code address of a helper computing math.Pow bit
	// for bit (arguments D0, D1, result D0, clobbering only
	// regalloc.ARM64.CallerSaved). While it is 0, float POW is a call-out
	// if Callouts is set and refused otherwise.
	FPow uintptr
	// Callouts lets traces return to Go (emit.StatusCall) for float POW
	// without FPow and for helpers without machine code; such traces must
	// be run with Code.Run, which serves the call-outs. Off by default, so
	// every compiled trace runs under plain emit.Enter, as on amd64.
	Callouts bool
	// Force, if set, names the snapshots whose guards must exit although
	// they hold (a stress mode, guard.Stress): such a guard computes its
	// value as usual (ADDOV, FTOIX), then branches to its exit stub
	// unconditionally. It is read by Assemble (and Compile).
	Force func(snap int) bool

	a       *Asm
	helpers emit.Block
	ready   bool    // the last Assemble succeeded: Install may run
	nspill  int     // spill slots the last trace touches
	ipow32  uintptr // integer POW on TInt (sign-extends, then ipow64)
	ipow64  uintptr // integer POW on TI64
	fmod    uintptr // float MOD, math.Mod bit for bit

	tr  *irkit.Trace
	res *regalloc.Result
	err error

	// Per compile.
	exits    []exitSrc         // exit sources: guards, the trace end, the interrupt
	canon    []int32           // per snapshot: the exit source whose locations are canonical, -1 if none
	tails    []Label           // per snapshot: the linkable tail (0 if none)
	handlers []Label           // per snapshot: the handler the jump slot points to at first
	sites    []Label           // per snapshot: the br of the tail (the patchable site)
	lits     []Label           // per snapshot: the literal holding &jump[n]
	callouts []Callout         // call-outs, by number
	resumes  []Label           // the resume label of each call-out
	common   Label             // the shared exit handler
	intExit  int32             // the interrupt exit source, -1 if none
	exitIdx  int               // walking backwards: the next exit record to match
	stubSize int               // bytes of exit code (stubs, tails, handler)
	locBuf   []regalloc.RefLoc // locations of the interrupt exit
	seq      []xmove           // an exit stub's moves, in program order
	pend     []xmove
	sim      emit.LoopSim // where the loop snapshot's values are at the back edge
	parks    []parking    // invariants parked for the interrupt exit
	argRefs  [irkit.MaxArgs]irkit.Ref
}

// NewLowerer returns a Lowerer that installs code in mem. It assembles its
// machine-code helpers (integer POW, float MOD) into mem once.
func NewLowerer(mem *emit.Mem) (*Lowerer, error) {
	if mem == nil {
		return nil, lowerErr("no executable memory")
	}
	l := &Lowerer{Mem: mem, a: New(emit.NewBuf(4096))}
	if err := l.buildHelpers(); err != nil {
		return nil, err
	}
	return l, nil
}

// Target is the register allocation target this lowering implements.
func (l *Lowerer) Target() *regalloc.Target { return regalloc.ARM64 }

// Close frees the helpers' code. Traces compiled by l must not run after.
func (l *Lowerer) Close() error {
	if l.helpers.Size == 0 {
		return nil
	}
	err := l.Mem.Free(l.helpers)
	l.helpers = emit.Block{}
	return err
}

// HelperAddrs returns the addresses of the integer POW helpers (TInt and
// TI64) and the float MOD helper.
func (l *Lowerer) HelperAddrs() (ipow32, ipow64, fmod uintptr) { return l.ipow32, l.ipow64, l.fmod }

// Code returns the code Assemble produced, before linking (aliasing the
// Lowerer's buffer until the next Assemble).
func (l *Lowerer) Code() []byte { return l.a.Buf.Bytes() }

// Compile assembles tr, allocated as res, and installs it in executable
// memory. The trace is entered with emit.Enter(t.Entry, &state) (or
// Code.Run, if it makes call-outs).
func (l *Lowerer) Compile(tr *irkit.Trace, res *regalloc.Result) (*emit.Trace, error) {
	code, err := l.CompileCode(tr, res)
	if err != nil {
		return nil, err
	}
	return &code.Trace, nil
}

// CompileCode is Compile returning the arm64 description: the emit.Trace
// plus the exits' jump table (Code.Link) and the call-outs (Code.Run).
func (l *Lowerer) CompileCode(tr *irkit.Trace, res *regalloc.Result) (*Code, error) {
	if err := l.Assemble(tr, res); err != nil {
		return nil, err
	}
	return l.Install()
}

// Assemble lowers tr, allocated as res by regalloc on regalloc.ARM64,
// into the Lowerer's buffer without installing it.
func (l *Lowerer) Assemble(tr *irkit.Trace, res *regalloc.Result) error {
	if tr == nil || res == nil || res.Target != regalloc.ARM64 {
		return lowerErr("need a trace allocated for regalloc.ARM64")
	}
	if tr.Len() != len(res.Ins) || res.First != irkit.First {
		return lowerErr("allocation does not match the trace (%d instructions, %d allocated)", tr.Len(), len(res.Ins))
	}
	l.ready = false
	nspill, err := checkResult(tr, res)
	if err != nil {
		return err
	}
	l.nspill = nspill
	l.tr, l.res, l.err = tr, res, nil
	l.a.Reset()
	l.callouts, l.resumes = l.callouts[:0], l.resumes[:0]
	if err := l.planExits(); err != nil {
		return err
	}
	l.emitExits()
	l.stubSize = l.a.Buf.Len()
	l.body()
	if l.err != nil {
		return l.err
	}
	if err := l.a.Finish(); err != nil {
		return err
	}
	l.ready = true
	return nil
}

// checkResult checks every index and register of res against the arrays
// and register file they name, so a corrupted allocation is refused with
// an error, never a panic. It returns the spill slots the code touches:
// at least res.NSlots, more if a move names a higher slot (regalloc can
// leave NSlots short of the slots its moves use, see the report in
// lower_test.go's TestLowerSpillArea).
func checkResult(tr *irkit.Trace, res *regalloc.Result) (nspill int, err error) {
	nspill = res.NSlots
	nm := uint64(len(res.Moves))
	over := func(off, n, lim uint64) bool { return off+n > lim }
	reg := func(r regalloc.Reg) bool { return r == regalloc.NoReg || r < regalloc.MaxRegs }
	loc := func(l regalloc.Loc) bool {
		switch {
		case l.IsReg():
			return l.Reg() < regalloc.MaxRegs
		case l.IsSlot():
			nspill = max(nspill, l.Slot()+1)
			return l.Slot() < 1<<20
		case l.IsConst():
			return tr.Valid(l.Const()) && l.Const().IsConst()
		}
		return false
	}
	for i := range res.Ins {
		ir := &res.Ins[i]
		if over(uint64(ir.Off), uint64(ir.Before)+uint64(ir.After), nm) ||
			!reg(ir.Dest) || !reg(ir.Op1) || !reg(ir.Op2) || !reg(ir.Tmp) {
			return 0, lowerErr("allocation of %04d out of range", i+1)
		}
	}
	if over(uint64(res.Entry.Off), uint64(res.Entry.N), nm) || over(uint64(res.Tail.Off), uint64(res.Tail.N), nm) {
		return 0, lowerErr("entry or tail moves out of range")
	}
	for _, m := range res.Moves {
		if !loc(m.Dst) || !loc(m.Src) || m.Dst.IsConst() || m.Dst.IsSlot() && !m.Src.IsReg() {
			return 0, lowerErr("move %s out of range", m.Format(res.Target))
		}
	}
	for i, e := range res.Exits {
		if over(uint64(e.Off), uint64(e.N), uint64(len(res.Locs))) || int(e.Snap) >= len(tr.Snaps) ||
			e.Ref < irkit.First || e.Ref > tr.Next() || i > 0 && e.Ref <= res.Exits[i-1].Ref {
			return 0, lowerErr("exit record at %04d out of range", int(e.Ref)-int(irkit.Bias))
		}
		for _, rl := range res.Locs[e.Off : e.Off+e.N] {
			if !loc(rl.Loc) || rl.Loc.IsConst() || !tr.Valid(rl.Ref) {
				return 0, lowerErr("exit location at %04d out of range", int(e.Ref)-int(irkit.Bias))
			}
		}
	}
	for _, rl := range res.Top {
		if !loc(rl.Loc) {
			return 0, lowerErr("loop top location out of range")
		}
	}
	return nspill, nil
}

func (l *Lowerer) fail(format string, args ...any) {
	if l.err == nil {
		l.err = lowerErr(format, args...)
	}
}

// -- The body, backwards -----------------------------------------------------

func (l *Lowerer) body() {
	a, tr, res := l.a, l.tr, l.res
	start := a.NewLabel()
	var loop Label
	last := tr.Next()
	switch {
	case tr.Loop != irkit.NoRef:
		loop = a.NewLabel()
		a.B(loop)
		l.moves(res.SpanMoves(res.Tail))
		l.interruptCheck()
	case tr.Looping:
		a.B(start)
		l.restartStores()
		l.interruptCheck()
	default:
		// Run off the end: exit through the end record.
		i := l.exitFor(last)
		if i < 0 {
			l.fail("no exit record at the trace end")
			return
		}
		a.B(l.exits[i].label)
	}
	for r := last - 1; r >= irkit.First; r-- {
		if l.err != nil {
			return
		}
		l.moves(res.AfterMoves(r))
		if r == tr.Loop {
			a.Bind(loop)
			l.parkStores()
		}
		if l.Force != nil && tr.Ins(r).T.IsGuard() {
			if i := l.exitFor(r); i >= 0 && l.exits[i].snap >= 0 && l.Force(int(l.exits[i].snap)) {
				a.B(l.exits[i].label) // forced: taken after the guard's own code
			}
		}
		l.ins(r)
		l.moves(res.BeforeMoves(r))
	}
	l.moves(res.SpanMoves(res.Entry))
	l.a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
	a.Bind(start)
}

// exitFor returns the exit source of guard (or trace end) r, walking
// backwards through the exit records, or -1.
func (l *Lowerer) exitFor(r irkit.Ref) int {
	for l.exitIdx >= 0 && l.exits[l.exitIdx].ref > r {
		l.exitIdx--
	}
	if l.exitIdx >= 0 && l.exits[l.exitIdx].ref == r {
		return l.exitIdx
	}
	return -1
}

// interruptCheck emits the back edge's inline checks, in program order:
//
//	ldr  w16, [x0, #Interrupt]     ; the VM's request (State.Interrupt)
//	cbnz w16, interrupt-exit
//	ldr  x16, [sp, #GuardSlot]     ; Go's: the goroutine's stack guard word,
//	ldr  x16, [x16]                ; whose address Enter left on the stack,
//	cmn  x16, #1314                ; holds runtime.stackPreempt (-1314)
//	b.eq interrupt-exit
//
// so a GC's stop-the-world or the scheduler's time slice stops a running
// trace within one iteration (emit.StackPreempt). SP is Enter's at every
// back edge: calls to helpers restore it, side traces run on it.
func (l *Lowerer) interruptCheck() {
	if l.intExit < 0 {
		l.fail("loop without an interrupt exit")
		return
	}
	ex := l.exits[l.intExit].label
	l.a.BCond(EQ, ex)
	l.a.CmnImm(X16, 1314)
	l.a.Ldr(Size64, false, X16, Off(X16, 0))
	l.a.Ldr(Size64, false, X16, Off(SP, emit.GuardSlotARM64))
	l.a.Cbnz(W16, ex)
	l.a.Ldr(Size32, false, W16, Off(StateReg, emit.StateInterrupt))
}

// restartStores writes the last snapshot into the interpreter slots before
// a looping trace (Trace.Looping) jumps back to its start, as the
// interpreter does: the slot loads of the next round read them.
func (l *Lowerer) restartStores() {
	a, tr := l.a, l.tr
	si := len(tr.Snaps) - 1
	if si < 0 {
		return
	}
	i := l.exitFor(tr.Next())
	if i < 0 {
		l.fail("looping trace without an end record")
		return
	}
	locs := l.exits[i].locs
	ents := tr.Entries(si)
	// Backwards: the last store first; x16 holds State.Slots throughout.
	for k := len(ents) - 1; k >= 0; k-- {
		e := ents[k]
		if e.Flags()&irkit.SnapNoRestore != 0 {
			continue
		}
		off := int64(8 * e.Slot())
		ref := e.Ref()
		if ref.IsConst() {
			w, _ := tr.KWord(ref)
			l.storeSlot(X17, off)
			a.MovImm(X17, w)
			continue
		}
		loc := findLoc(locs, ref)
		isInt := tr.Ins(ref).T.Base() == irkit.TInt
		switch {
		case loc.IsReg() && isFPR(loc.Reg()):
			l.fstoreAt(dreg(loc.Reg()), X16, off)
		case loc.IsReg():
			if isInt {
				l.storeSlot(X17, off)
				a.Sxtw(X17, wreg(loc.Reg()))
			} else {
				l.storeSlot(xreg(loc.Reg()), off)
			}
		case loc.IsSlot():
			l.storeSlot(X17, off)
			if isInt {
				a.Sxtw(X17, W17)
			}
			l.loadAt(Size64, X17, X17, int64(8*loc.Slot()))
			a.Ldr(Size64, false, X17, Off(StateReg, emit.StateSpill))
		default:
			l.fail("restart: no location for %04d", int(ref-irkit.Bias))
		}
	}
	a.Ldr(Size64, false, X16, Off(StateReg, emit.StateSlots))
}

// storeSlot stores src to the interpreter slot at byte offset off from the
// slot base in x16.
func (l *Lowerer) storeSlot(src Reg, off int64) {
	if !MemOK(Size64, off) {
		l.fail("slot offset %d out of range", off)
		return
	}
	l.a.Str(Size64, src, Off(X16, int32(off)))
}

// -- Moves ---------------------------------------------------------------------

// moves emits ms, which execute in order, backwards.
func (l *Lowerer) moves(ms []regalloc.Move) {
	for i := len(ms) - 1; i >= 0; i-- {
		l.move(ms[i])
	}
}

func (l *Lowerer) move(m regalloc.Move) {
	a := l.a
	switch m.Kind() {
	case regalloc.Copy:
		d, s := m.Dst.Reg(), m.Src.Reg()
		switch {
		case isFPR(d) && isFPR(s):
			a.FMov(dreg(d), dreg(s))
		case isFPR(d):
			a.FMovToF(dreg(d), xreg(s))
		case isFPR(s):
			a.FMovFromF(xreg(d), dreg(s))
		default:
			a.Mov(xreg(d), xreg(s))
		}
	case regalloc.Load:
		d := m.Dst.Reg()
		off := int64(8 * m.Src.Slot())
		if isFPR(d) {
			l.floadAt(dreg(d), SpillReg, off)
		} else {
			l.loadAt(Size64, xreg(d), SpillReg, off)
		}
	case regalloc.Store:
		s := m.Src.Reg()
		off := int64(8 * m.Dst.Slot())
		if isFPR(s) {
			l.fstoreAt(dreg(s), SpillReg, off)
		} else {
			l.storeAt(Size64, xreg(s), SpillReg, off)
		}
	case regalloc.Remat:
		l.remat(m.Dst.Reg(), m.Src.Const())
	}
}

// remat loads constant k into register d.
func (l *Lowerer) remat(d regalloc.Reg, k irkit.Ref) {
	w, ok := l.tr.KWord(k)
	if !ok {
		l.fail("remat of a non-constant %d", k)
		return
	}
	a := l.a
	if isFPR(d) {
		f := dreg(d)
		switch {
		case w == 0:
			a.FMovToF(f, XZR)
		case FMovImmOK(f64(w)) && f64bits(f64(w)) == w:
			a.FMovImm(f, f64(w))
		default:
			a.FMovToF(f, X16)
			a.MovImm(X16, w)
		}
		return
	}
	if l.tr.Ins(k).T.Base() == irkit.TInt {
		a.MovImm(wreg(d), uint64(uint32(w)))
		return
	}
	a.MovImm(xreg(d), w)
}

// -- Addressing with any offset ---------------------------------------------------
//
// Spill slots and field offsets usually fit the scaled 12-bit offset; when
// they do not, the address is formed in x16 (or, when x16 is the register
// being loaded or stored, by moving the base register and back).

func (l *Lowerer) loadAt(s Size, dst, base Reg, off int64) {
	if MemOK(s, off) {
		l.a.Ldr(s, false, dst, Off(base, int32(off)))
		return
	}
	l.a.Ldr(s, false, dst, Off(X16, 0))
	l.addr(X16, base, off)
}

func (l *Lowerer) floadAt(dst FReg, base Reg, off int64) {
	if MemOK(Size64, off) {
		l.a.FLdr(dst, Off(base, int32(off)))
		return
	}
	l.a.FLdr(dst, Off(X16, 0))
	l.addr(X16, base, off)
}

func (l *Lowerer) storeAt(s Size, src, base Reg, off int64) {
	if MemOK(s, off) {
		l.a.Str(s, src, Off(base, int32(off)))
		return
	}
	if src.As64() == X16 {
		// x16 holds the value: move the base instead.
		l.addr(base, base, -off)
		l.a.Str(s, src, Off(base, 0))
		l.addr(base, base, off)
		return
	}
	l.a.Str(s, src, Off(X16, 0))
	l.addr(X16, base, off)
}

func (l *Lowerer) fstoreAt(src FReg, base Reg, off int64) {
	if MemOK(Size64, off) {
		l.a.FStr(src, Off(base, int32(off)))
		return
	}
	l.a.FStr(src, Off(X16, 0))
	l.addr(X16, base, off)
}

// addr emits d = base + off for |off| < 2^24 (one or two add/sub).
func (l *Lowerer) addr(d, base Reg, off int64) {
	if off <= -1<<24 || off >= 1<<24 {
		l.fail("offset %d out of range", off)
		return
	}
	neg := off < 0
	if neg {
		off = -off
	}
	lo, hi := off&0xfff, off&^0xfff
	op := l.a.AddImm
	if neg {
		op = l.a.SubImm
	}
	switch {
	case hi == 0:
		op(d, base, lo)
	case lo == 0:
		op(d, base, hi)
	default:
		op(d, d, lo)
		op(d, base, hi)
	}
}

// -- Register names ------------------------------------------------------------------

func isFPR(r regalloc.Reg) bool { return r >= 32 && r < 64 }
func xreg(r regalloc.Reg) Reg   { return X(int(r)) }
func wreg(r regalloc.Reg) Reg   { return W(int(r)) }
func dreg(r regalloc.Reg) FReg  { return D(int(r) - 32) }
func gpr(r regalloc.Reg, is64 bool) Reg {
	if is64 {
		return xreg(r)
	}
	return wreg(r)
}

// regCell is the byte offset of register r's word in State.Regs.
func regCell(r regalloc.Reg) int32 { return emit.StateRegs + 8*int32(r) }

func findLoc(locs []regalloc.RefLoc, ref irkit.Ref) regalloc.Loc {
	for _, rl := range locs {
		if rl.Ref == ref {
			return rl.Loc
		}
	}
	return regalloc.LocNone
}
