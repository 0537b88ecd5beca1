package amd64

// -- Lowering: allocated irkit traces to x86-64 ---------------------------------
//
// The lowering walks the trace backwards, as the allocator did, and emits
// for each instruction its After moves (last first), its own code, and its
// Before moves (last first); the Entry moves come last, at the start of
// the code. Everything an instruction needs is in regalloc's Result: the
// registers of its result and operands, a temporary, the moves around it
// and, for a guard, where each value of its snapshot is when it exits.
//
// The finished code, in program order:
//
//	[constant pool]       16-byte masks for float NEG/ABS, only if used;
//	                      then the float constants remats read (movsd
//	                      k(%rip),%xmm: no movabs to R11 and movq)
//	top:                  entry (Trace.Entry); a Looping trace jumps back here
//	  Entry moves
//	  instructions        guards branch (jcc) to their exit stubs
//	loop:                 the LOOP instruction, the back edge's target
//	  loop body
//	  cmpl $0,Interrupt(%rdi); jne interrupt-stub
//	  mov 8(%rsp),%r11; cmpq $-1314,(%r11); je interrupt-stub
//	  Tail moves; jmp loop
//	                      (with no Tail moves: ...; cmpq $-1314,(%r11);
//	                      jne loop; jmp interrupt-stub)
//	exit stubs            per exit: save registers; mov $exit,%eax; jmp common
//	common:               mov %eax,Exit(%rdi); ret
//
// A call-out (lower_call.go) sits inline in the body where its call is:
// save; store arguments; mov $StatusCall|n,%rax; ret; resume: reload.
//
// The package documentation (doc.go, "Lowering") gives the conventions
// (value words, spill slots, exits, helper calls, the interrupt check) and
// their measured costs.

import (
	"errors"
	"fmt"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// ErrRefused reports a trace the amd64 lowering cannot compile (a helper
// without machine code while call-outs are off, an unsupported type or
// layout); the trace stays interpreted. Errors wrap it.
var ErrRefused = errors.New("amd64: trace refused")

// Lowerer compiles allocated irkit traces into x86-64 machine code in
// executable memory. It reuses its buffers: a warm Lowerer assembles a
// trace without allocating (Compile allocates the returned description).
// A Lowerer is not safe for concurrent use.
type Lowerer struct {
	Mem *emit.Mem
	// FPow is the machine-code address of a helper computing math.Pow
	// bit for bit (arguments in X0, X1, result in X0, clobbering only
	// regalloc.AMD64.CallerSaved). While it is 0, float POW is a call-out
	// if Callouts is set and refused otherwise: math.Pow is Go code, which
	// generated code must never call.
	FPow uintptr
	// Callouts lets traces return to Go (emit.StatusCall) for float POW
	// without FPow and for helpers without machine code (Helper.Addr 0);
	// emit.Trace.Run (or a VM's own loop) serves them and resumes the
	// trace. Off, such traces are refused (ErrRefused). See lower_call.go.
	Callouts bool
	// Force, if set, names the snapshots whose guards must exit although
	// they hold (a stress mode, guard.Stress): such a guard computes its
	// value as usual (ADDOV, FTOIX), then jumps to its exit stub
	// unconditionally. It is read by Assemble (and Compile).
	Force func(snap int) bool

	a       *Asm
	helpers emit.Block
	ipow    uintptr // integer POW helper
	fmod    uintptr // float MOD helper (math.Mod, bit for bit)
	sse41   bool    // roundsd is available

	tr    *irkit.Trace
	res   *regalloc.Result
	err   error
	ready bool // Assemble succeeded; Install may run

	loop, top, common Label
	guard             Reg // holds the stack guard's address across the loop (freeLoopReg), or NoReg
	signK, absK       Label
	pool              bool
	fks               []fk // float constants read from the pool

	callouts []emit.Callout // call-outs, by number
	resumes  []Label        // the resume label of each call-out

	stubLabel []Label // per res.Exits
	canon     []int32 // per snapshot: its canonical exit record, -1 if none
	locOf     []regalloc.Loc
	sites     []site
	stubBytes int
	intr      Label
	endStub   Label // the exit of a straight trace's end

	// interrupt exit of a LOOP trace (computed by simulate)
	intrLocs []regalloc.RefLoc
	sim      emit.LoopSim
}

// fk is a float constant of the pool and its label.
type fk struct {
	w   uint64
	lab Label
}

// site is an exit's patchable jmp; direct, if nonzero, is the start of
// its stub when the stub offers a direct link, and saves the registers
// the stub stores (emit.ExitSite).
type site struct {
	exit   uint32
	pos    emit.Pos
	direct emit.Pos
	saves  []uint8
}

// NewLowerer returns a Lowerer that installs code in mem. It assembles its
// machine-code helpers (integer POW, float MOD) into mem once.
func NewLowerer(mem *emit.Mem) (*Lowerer, error) {
	l := &Lowerer{Mem: mem, a: New(nil)}
	if err := l.buildHelpers(); err != nil {
		return nil, err
	}
	return l, nil
}

// Target is the register allocation target this lowering implements.
func (l *Lowerer) Target() *regalloc.Target { return regalloc.AMD64 }

// Close frees the helpers' code. Traces compiled by l must not run after.
func (l *Lowerer) Close() error {
	if l.helpers.Size == 0 {
		return nil
	}
	err := l.Mem.Free(l.helpers)
	l.helpers = emit.Block{}
	return err
}

// Compile assembles tr, allocated as res, and installs it in executable
// memory. The trace is entered with emit.Enter(t.Entry, &state).
func (l *Lowerer) Compile(tr *irkit.Trace, res *regalloc.Result) (*emit.Trace, error) {
	if err := l.Assemble(tr, res); err != nil {
		return nil, err
	}
	return l.Install()
}

// Code returns the code Assemble produced (aliasing the Lowerer's buffer
// until the next Assemble).
func (l *Lowerer) Code() []byte { return l.a.Buf.Bytes() }

func (l *Lowerer) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf("%w: "+format, append([]any{ErrRefused}, args...)...)
	}
}

// Assemble lowers tr, allocated as res by regalloc on regalloc.AMD64,
// into the Lowerer's buffer without installing it.
func (l *Lowerer) Assemble(tr *irkit.Trace, res *regalloc.Result) error {
	if tr == nil || res == nil || res.Target != regalloc.AMD64 {
		return fmt.Errorf("%w: need a trace allocated for regalloc.AMD64", ErrRefused)
	}
	if res.First != irkit.First || len(res.Ins) != tr.Len() {
		return fmt.Errorf("%w: allocation does not match the trace", ErrRefused)
	}
	l.ready = false
	if err := checkSpans(tr, res); err != nil {
		return err
	}
	a := l.a
	a.Reset()
	l.tr, l.res, l.err = tr, res, nil
	l.sites = l.sites[:0]
	l.callouts, l.resumes = l.callouts[:0], l.resumes[:0]
	l.loop, l.top, l.intr = 0, 0, 0
	l.guard = NoReg
	l.pool = false
	l.prescan()
	if l.err != nil {
		return l.err
	}
	l.signK, l.absK = 0, 0
	if l.pool {
		l.signK, l.absK = a.NewLabel(), a.NewLabel()
	}
	l.loop, l.top = a.NewLabel(), a.NewLabel()
	l.fks = l.fks[:0]
	for _, m := range res.Moves {
		if m.Kind() != regalloc.Remat || !xreg(m.Dst.Reg()).IsX() {
			continue
		}
		if w, _ := tr.KWord(m.Src.Const()); w != 0 && l.fkLabel(w) == 0 {
			l.fks = append(l.fks, fk{w, a.NewLabel()})
		}
	}

	// Exit stubs first: they end the code.
	l.stubs()
	l.stubBytes = a.Buf.Len()
	if l.err != nil {
		return l.err
	}
	l.end()
	l.body()
	l.moves(res.SpanMoves(res.Entry))
	a.Bind(l.top)
	for i := len(l.fks) - 1; i >= 0; i-- {
		a.Buf.Put8(l.fks[i].w)
		a.Bind(l.fks[i].lab)
	}
	if l.pool {
		// 16-byte aligned masks at the very start of the block.
		a.Buf.Put8(0)
		a.Buf.Put8(0x7fffffffffffffff)
		a.Bind(l.absK)
		a.Buf.Put8(0)
		a.Buf.Put8(1 << 63)
		a.Bind(l.signK)
	}
	if l.err != nil {
		return l.err
	}
	if err := a.Finish(); err != nil {
		return err
	}
	l.ready = true
	return nil
}

// Install puts the code of the last Assemble into executable memory.
func (l *Lowerer) Install() (*emit.Trace, error) {
	if !l.ready {
		return nil, fmt.Errorf("%w: Install without a successful Assemble", ErrRefused)
	}
	blk, err := l.a.Install(l.Mem)
	if err != nil {
		return nil, err
	}
	n := l.a.Buf.Len()
	pool := 8 * len(l.fks)
	if l.pool {
		pool += 32
	}
	t := &emit.Trace{Block: blk, Entry: blk.Addr + uintptr(pool), NSpill: l.res.NSlots,
		CodeSize: n - l.stubBytes - pool, StubSize: l.stubBytes}
	for _, s := range l.sites {
		es := emit.ExitSite{Exit: s.exit, Addr: PosAddr(s.pos, n, blk.Addr)}
		if s.direct != 0 {
			es.Direct, es.Saves = PosAddr(s.direct, n, blk.Addr), s.saves
		}
		t.Sites = append(t.Sites, es)
	}
	if len(l.callouts) > 0 {
		t.Callouts = make([]emit.Callout, len(l.callouts))
		for i, co := range l.callouts {
			p, _ := l.a.LabelPos(l.resumes[i])
			co.Resume = PosAddr(p, n, blk.Addr)
			t.Callouts[i] = co
		}
	}
	l.exitTable(t)
	return t, nil
}

// prescan checks what the trace needs before anything is emitted.
func (l *Lowerer) prescan() {
	tr := l.tr
	for r := irkit.First; r < tr.Next(); r++ {
		ins := tr.Ins(r)
		switch ins.Op {
		case irkit.NEG, irkit.ABS:
			if ins.T.Base() == irkit.TNum {
				l.pool = true
			}
		case irkit.FLOOR, irkit.CEIL:
			if !l.sse41 {
				l.fail("%04d: FLOOR/CEIL need SSE4.1 (roundsd), which this CPU lacks", r-irkit.Bias)
			}
		case irkit.POW:
			if ins.T.Base() == irkit.TNum && l.FPow == 0 && !l.Callouts {
				l.fail("%04d: float POW has no machine-code helper (Lowerer.FPow) and call-outs are off; math.Pow is Go code", r-irkit.Bias)
			}
		case irkit.CALLN, irkit.CALLS:
			h := tr.Helper(uint16(ins.Op2))
			if h == nil {
				l.fail("%04d: unknown helper %d", r-irkit.Bias, ins.Op2)
			} else if h.Addr == 0 && !l.Callouts {
				l.fail("%04d: helper %s has no machine-code address (Helper.Addr) and call-outs are off; generated code never calls Go", r-irkit.Bias, h.Name)
			}
		case irkit.ISNUM, irkit.ISTAG, irkit.BOXP, irkit.UNBOXP:
			if !tr.Box.Valid() || tr.Box.Prefix > 0x7fffffff || tr.Box.TagBits > 30 {
				l.fail("box layout %+v not supported", tr.Box)
			}
		}
	}
}

// -- Registers -------------------------------------------------------------------

// xreg maps a regalloc register (0-15 general, 16-31 XMM) to an encoder
// register.
func xreg(r regalloc.Reg) Reg {
	if r < 16 {
		return RAX + Reg(r)
	}
	return X0 + Reg(r-16)
}

// regCell is the byte offset in State of the Regs word of register r.
func regCell(r regalloc.Reg) int32 {
	n := int32(r)
	if r >= 16 {
		n = 32 + int32(r-16)
	}
	return emit.StateRegs + 8*n
}

func spillMem(s int) Mem { return M(R11, int32(8*s)) }

// loadSpillBase emits mov Spill(%rdi),%r11 (emission is backwards: call it
// after the instruction that uses the base).
func (l *Lowerer) loadSpillBase() { l.a.Load(S64, false, R11, M(RDI, emit.StateSpill)) }

// -- Moves -----------------------------------------------------------------------

// moves emits ms, which run in order, backwards.
func (l *Lowerer) moves(ms []regalloc.Move) {
	for i := len(ms) - 1; i >= 0; i-- {
		l.move(ms[i])
	}
}

func (l *Lowerer) move(m regalloc.Move) {
	a := l.a
	switch m.Kind() {
	case regalloc.Copy:
		l.copyReg(xreg(m.Dst.Reg()), xreg(m.Src.Reg()))
	case regalloc.Load:
		d := xreg(m.Dst.Reg())
		if d.IsX() {
			a.LoadSD(d, spillMem(m.Src.Slot()))
		} else {
			a.Load(S64, false, d, spillMem(m.Src.Slot()))
		}
		l.loadSpillBase()
	case regalloc.Store:
		s := xreg(m.Src.Reg())
		switch {
		case s.IsX():
			a.StoreSD(spillMem(m.Dst.Slot()), s)
			l.loadSpillBase()
		case s == R11:
			// The scratch register itself (a slot-to-slot copy of the
			// back edge): borrow RAX for the base.
			a.Pop(RAX)
			a.Store(S64, M(RAX, int32(8*m.Dst.Slot())), R11)
			a.Load(S64, false, RAX, M(RDI, emit.StateSpill))
			a.Push(RAX)
		default:
			a.Store(S64, spillMem(m.Dst.Slot()), s)
			l.loadSpillBase()
		}
	case regalloc.Remat:
		w, _ := l.tr.KWord(m.Src.Const())
		l.konst(xreg(m.Dst.Reg()), l.tr.Ins(m.Src.Const()).T, w)
	}
}

// copyReg emits a bit-exact 64-bit copy between any two registers.
func (l *Lowerer) copyReg(d, s Reg) {
	a := l.a
	switch {
	case d == s:
	case d.IsX() && s.IsX():
		a.MovX(d, s)
	case d.IsX():
		a.MovGX(S64, d, s)
	case s.IsX():
		a.MovXG(S64, d, s)
	default:
		a.MovRR(S64, d, s)
	}
}

// konst loads the value word w of type t into d. Between instructions, so
// it may clobber the flags.
func (l *Lowerer) konst(d Reg, t irkit.Type, w uint64) {
	a := l.a
	if t.Base() == irkit.TInt {
		w = uint64(uint32(w)) // only the low half counts: mov r32, imm32
	}
	if d.IsX() {
		if w == 0 {
			a.SseRR(XORPS, d, d)
			return
		}
		if lab := l.fkLabel(w); lab != 0 {
			// movsd k(%rip), d: one instruction, and R11 untouched.
			a.LoadSD(d, LabelMem(lab))
			return
		}
		a.MovGX(S64, d, R11)
		a.MovRI(R11, int64(w))
		return
	}
	a.MovRI(d, int64(w))
}

// fkLabel returns the pool label of float constant word w, or 0.
func (l *Lowerer) fkLabel(w uint64) Label {
	for _, k := range l.fks {
		if k.w == w {
			return k.lab
		}
	}
	return 0
}

// -- The body ---------------------------------------------------------------------

func (l *Lowerer) body() {
	tr, res, a := l.tr, l.res, l.a
	ei := len(res.Exits) - 1
	for r := tr.Next() - 1; r >= irkit.First && l.err == nil && a.Err() == nil; r-- {
		ir := res.At(r)
		l.moves(res.AfterMoves(r))
		ins := tr.Ins(r)
		var ex Label
		if ins.T.IsGuard() {
			for ei >= 0 && res.Exits[ei].Ref > r {
				ei--
			}
			if ei < 0 || res.Exits[ei].Ref != r {
				l.fail("%04d: guard without an exit record", r-irkit.Bias)
				return
			}
			ex = l.stubLabel[ei]
			if l.Force != nil && res.Exits[ei].Snap >= 0 && l.Force(int(res.Exits[ei].Snap)) {
				a.Jmp(ex) // forced: taken after the guard's own code
			}
		}
		l.ins(r, ins, ir, ex)
		if ins.Op == irkit.LOOP {
			a.Bind(l.loop)
			if l.guard != NoReg {
				a.Load(S64, false, l.guard, M(RSP, emit.GuardSlotAMD64))
			}
		}
		l.moves(res.BeforeMoves(r))
	}
}

// end emits what follows the last instruction: the back edge of a loop
// (with its interrupt check), the restart of a looping trace, or the fall
// into the end exit.
func (l *Lowerer) end() {
	tr, res, a := l.tr, l.res, l.a
	switch {
	case tr.Loop != irkit.NoRef && res.Tail.N == 0:
		// No tail moves: the preemption check's branch closes the loop,
		// and the taken preemption falls into a jump to the stub. With a
		// register the body leaves alone, the guard word's address stays
		// in it across the loop (loaded before LOOP: body).
		a.Jmp(l.intr)
		a.Jcc(NE, l.loop)
		if l.guard = l.freeLoopReg(); l.guard != NoReg {
			a.AluMI(CMP, S64, M(l.guard, 0), -1314) // emit.StackPreempt
		} else {
			l.preemptCompare()
		}
		a.Jcc(NE, l.intr)
		a.AluMI(CMP, S32, M(RDI, emit.StateInterrupt), 0)
	case tr.Loop != irkit.NoRef:
		a.Jmp(l.loop)
		l.moves(res.SpanMoves(res.Tail))
		l.preemptCheck()
		a.Jcc(NE, l.intr)
		a.AluMI(CMP, S32, M(RDI, emit.StateInterrupt), 0)
	case tr.Looping:
		a.Jmp(l.top)
		l.preemptCheck()
		a.Jcc(NE, l.intr)
		a.AluMI(CMP, S32, M(RDI, emit.StateInterrupt), 0)
		l.restoreSlots(len(tr.Snaps) - 1)
	default:
		if p, _ := a.LabelPos(l.endStub); p != a.Here() {
			a.Jmp(l.endStub)
		}
	}
}

// freeLoopReg returns a general register that the loop body of the trace
// being lowered leaves alone, or NoReg: no instruction from LOOP on names
// it (result, operands, temporary, moves, exit locations), none destroys
// it, no value is in it at LOOP, and the body makes no call (a call-out
// resumes with only its live registers restored). R11, the scratch
// register, is never free.
func (l *Lowerer) freeLoopReg() Reg {
	tr, res := l.tr, l.res
	t := res.Target
	used := regalloc.RegSet(0).With(t.Scratch).With(t.State)
	mark := func(r regalloc.Reg) {
		if r != regalloc.NoReg {
			used = used.With(r)
		}
	}
	markMoves := func(ms []regalloc.Move) {
		for _, m := range ms {
			if m.Dst.IsReg() {
				mark(m.Dst.Reg())
			}
			if m.Src.IsReg() {
				mark(m.Src.Reg())
			}
		}
	}
	for _, v := range res.Top {
		if v.Loc.IsReg() {
			mark(v.Loc.Reg())
		}
	}
	for r := tr.Loop; r < tr.Next(); r++ {
		ins := tr.Ins(r)
		c := &t.Cons[ins.Op][regalloc.ClassOf(ins.T)]
		if c.Call || ins.Op == irkit.CALLN || ins.Op == irkit.CALLS {
			return NoReg
		}
		used |= c.Clobber
		ir := res.At(r)
		mark(ir.Dest)
		mark(ir.Op1)
		mark(ir.Op2)
		mark(ir.Tmp)
		markMoves(res.BeforeMoves(r))
		markMoves(res.AfterMoves(r))
	}
	for _, e := range res.Exits {
		if e.Ref < tr.Loop {
			continue
		}
		for _, rl := range res.Locs[e.Off : e.Off+e.N] {
			if rl.Loc.IsReg() {
				mark(rl.Loc.Reg())
			}
		}
	}
	free := t.Alloc[regalloc.GPR] &^ used
	if free == 0 {
		return NoReg
	}
	return xreg(free.Low())
}

// preemptCheck emits, at a back edge, the check of Go's own preemption
// request (emit.StackPreempt in the goroutine's stack guard word, whose
// address Enter left at GuardSlotAMD64(%rsp)): in program order
//
//	mov 8(%rsp),%r11; cmpq $-1314,(%r11); je interrupt-stub
//
// R11 is the allocator's scratch register, free between instructions
// before the tail moves.
func (l *Lowerer) preemptCheck() {
	l.a.Jcc(E, l.intr)
	l.preemptCompare()
}

// preemptCompare emits mov 8(%rsp),%r11; cmpq $-1314,(%r11), the compare
// of preemptCheck without its branch.
func (l *Lowerer) preemptCompare() {
	a := l.a
	a.AluMI(CMP, S64, M(R11, 0), -1314) // emit.StackPreempt, sign-extended
	a.Load(S64, false, R11, M(RSP, emit.GuardSlotAMD64))
}

// restoreSlots writes snapshot si's entries into the interpreter slots, as
// a Looping trace does before it starts again, reading each value where
// the end record says it is.
func (l *Lowerer) restoreSlots(si int) {
	tr, a := l.tr, l.a
	if si < 0 {
		return
	}
	ents := tr.Entries(si)
	for i := len(ents) - 1; i >= 0; i-- {
		e := ents[i]
		if e.Flags()&irkit.SnapNoRestore != 0 {
			continue
		}
		ref := e.Ref()
		t := tr.Ins(ref).T
		dst := M(R11, int32(8*e.Slot()))
		loc := l.res.Where(tr.Next(), ref)
		switch {
		case loc.IsConst():
			w, _ := tr.KWord(ref)
			if int64(w) == int64(int32(w)) {
				a.StoreI(S64, dst, int32(w))
				a.Load(S64, false, R11, M(RDI, emit.StateSlots))
			} else {
				a.Pop(RAX)
				a.Store(S64, M(R11, int32(8*e.Slot())), RAX)
				a.Load(S64, false, R11, M(RDI, emit.StateSlots))
				a.MovRI(RAX, int64(w))
				a.Push(RAX)
			}
		case loc.IsReg():
			r := xreg(loc.Reg())
			if r.IsX() {
				a.StoreSD(dst, r)
			} else {
				a.Store(S64, dst, r)
			}
			a.Load(S64, false, R11, M(RDI, emit.StateSlots))
			if t.Base() == irkit.TInt {
				a.ExtRR(S32, true, r, r) // the word of a TInt is sign-extended
			}
		case loc.IsSlot():
			a.Pop(RAX)
			a.Store(S64, M(RAX, int32(8*e.Slot())), R11)
			a.Load(S64, false, RAX, M(RDI, emit.StateSlots))
			if t.Base() == irkit.TInt {
				a.ExtRR(S32, true, R11, R11)
			}
			a.Load(S64, false, R11, spillMem(loc.Slot()))
			l.loadSpillBase()
			a.Push(RAX)
		default:
			l.fail("end of looping trace: value %04d of the loop snapshot has no location", ref-irkit.Bias)
		}
	}
}

// checkSpans rejects an allocation whose indices do not fit its own
// arrays, so a corrupted Result is an error, never a panic.
func checkSpans(tr *irkit.Trace, res *regalloc.Result) error {
	nm := uint64(len(res.Moves))
	bad := func(off, n uint64, lim uint64) bool { return off+n > lim }
	for i := range res.Ins {
		ir := &res.Ins[i]
		if bad(uint64(ir.Off), uint64(ir.Before)+uint64(ir.After), nm) {
			return fmt.Errorf("%w: moves of %04d out of range", ErrRefused, i+1)
		}
	}
	if bad(uint64(res.Entry.Off), uint64(res.Entry.N), nm) || bad(uint64(res.Tail.Off), uint64(res.Tail.N), nm) {
		return fmt.Errorf("%w: entry or tail moves out of range", ErrRefused)
	}
	for _, e := range res.Exits {
		if bad(uint64(e.Off), uint64(e.N), uint64(len(res.Locs))) || int(e.Snap) >= len(tr.Snaps) ||
			e.Ref < irkit.First || e.Ref > tr.Next() {
			return fmt.Errorf("%w: exit record at %04d out of range", ErrRefused, e.Ref-irkit.Bias)
		}
	}
	for _, m := range res.Moves {
		for _, l := range [2]regalloc.Loc{m.Dst, m.Src} {
			if l.IsReg() && l.Reg() >= 32 || l.IsSlot() && l.Slot() >= max(res.NSlots, 1)<<20 {
				return fmt.Errorf("%w: move %s out of range", ErrRefused, m.Format(res.Target))
			}
		}
	}
	return nil
}
