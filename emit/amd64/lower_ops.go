package amd64

// -- One instruction ----------------------------------------------------------------
//
// Each case emits its instruction's code backwards: the comment above it
// shows the code in program order. Registers come from the allocation;
// R11 (regalloc.AMD64.Scratch) is free inside any instruction. Value
// words: a TInt register holds the int32 in its low half (the upper half
// is not looked at: every TInt operation uses a 32-bit form); TBool is 0
// or 1; the 64-bit types use the whole register.

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// isz is the operand size of integer operations on type t.
func isz(t irkit.Type) Size {
	if t.Base() == irkit.TInt {
		return S32
	}
	return S64
}

// exitCond maps an integer comparison to the condition under which it
// fails (the guard's exit branch).
var exitCond = [...]Cond{
	irkit.EQ: NE, irkit.NE: E, irkit.LT: GE, irkit.GE: L, irkit.LE: G, irkit.GT: LE,
	irkit.ULT: AE, irkit.UGE: B, irkit.ULE: A, irkit.UGT: BE,
}

var aluOf = [...]Alu{irkit.ADD: ADD, irkit.SUB: SUB, irkit.BAND: AND, irkit.BOR: OR,
	irkit.BXOR: XOR, irkit.ADDOV: ADD, irkit.SUBOV: SUB}

var sseOf = [...]Sse{irkit.ADD: ADDSD, irkit.SUB: SUBSD, irkit.MUL: MULSD, irkit.DIV: DIVSD,
	irkit.MIN: MINSD, irkit.MAX: MAXSD}

var shiftOf = [...]Shift{irkit.BSHL: SHL, irkit.BSHR: SHR, irkit.BSAR: SAR, irkit.BROL: ROL, irkit.BROR: ROR}

func (l *Lowerer) imm(ref irkit.Ref) int32 {
	w, _ := l.tr.KWord(ref)
	return int32(w)
}

// movTo emits the copy of op1 into the result register that starts a
// two-address instruction (nothing if they are the same register).
func (l *Lowerer) movTo(d, s Reg) { l.copyReg(d, s) }

func (l *Lowerer) ins(r irkit.Ref, ins irkit.Ins, ir *regalloc.InsRegs, ex Label) {
	a := l.a
	d, o1, o2 := xreg(ir.Dest), xreg(ir.Op1), xreg(ir.Op2)
	hasD, has1, has2 := ir.Dest != regalloc.NoReg, ir.Op1 != regalloc.NoReg, ir.Op2 != regalloc.NoReg
	t := ins.T.Base()
	fl := t == irkit.TNum
	op := ins.Op
	c := &regalloc.AMD64.Cons[op][regalloc.ClassOf(ins.T)]
	bad := func(why string) { l.fail("%04d %v %v: %s", r-irkit.Bias, op, t, why) }
	if op.HasValue() && op != irkit.CALLN && op != irkit.CALLS && !hasD && !c.Call {
		// A dead result (no register): nothing to compute unless the
		// instruction has an effect of its own.
		if !op.IsGuard() && !op.Has(irkit.FSide) {
			return
		}
	}
	if c.Call {
		l.callOp(r, ins, ir)
		return
	}
	switch op {
	case irkit.NOP, irkit.PHI, irkit.CARG, irkit.LOOP, irkit.BASE:
		return

	case irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT:
		if load, ok := l.res.Target.FusedLoad2(l.tr, r); ok && has1 && has2 {
			// cmp ofs(o2), o1; j<fail> exit (o2: the FLOAD's object)
			a.Jcc(exitCond[op], ex)
			a.AluRM(CMP, isz(t), o1, M(o2, int32(l.tr.Ins(load).Op2)))
			return
		}
		if load, ok := l.res.Target.FusedLoad(l.tr, r); ok {
			// [mov Slots(%rdi), r11]; cmp o2|imm, mem; j<fail> exit
			// (FusedAddr gives a comparison no index register.) A value
			// word or a 64-bit integer compares 8 bytes, a TInt field 4.
			m := l.fusedMem(r, load, o1, NoReg)
			a.Jcc(exitCond[op], ex)
			if has2 {
				a.AluMR(CMP, isz(t), m, o2)
			} else {
				a.AluMI(CMP, isz(t), m, l.imm(ins.Op2))
			}
			l.fusedBase(r, load)
			return
		}
		if !has1 {
			bad("no register")
			return
		}
		if fl {
			l.fcmp(op, o1, o2, ex)
			return
		}
		// cmp o1, o2|imm; j<fail> exit
		a.Jcc(exitCond[op], ex)
		if has2 {
			a.AluRR(CMP, isz(t), o1, o2)
		} else {
			a.AluRI(CMP, isz(t), o1, l.imm(ins.Op2))
		}
		return
	}

	if !hasD && op.HasValue() {
		// A guard whose value nobody reads still computes it (ADDOV, FTOIX).
		d = R11
		if fl || op == irkit.UNBOXN {
			bad("no result register")
			return
		}
	}

	switch op {
	case irkit.ADD, irkit.SUB, irkit.BAND, irkit.BOR, irkit.BXOR, irkit.ADDOV, irkit.SUBOV:
		if fl {
			l.fbin(sseOf[op], d, o1, o2)
			return
		}
		if ex == 0 && d != o1 && (op == irkit.ADD || op == irkit.SUB) && l.lea3(isz(t), op, d, o1, o2, has2, ins.Op2) {
			return
		}
		// [mov d, o1]; op d, o2|imm; [jo exit]
		if ex != 0 {
			a.Jcc(O, ex)
		}
		if has2 {
			a.AluRR(aluOf[op], isz(t), d, o2)
		} else {
			a.AluRI(aluOf[op], isz(t), d, l.imm(ins.Op2))
		}
		l.movTo(d, o1)
	case irkit.MUL, irkit.MULOV:
		if fl {
			l.fbin(MULSD, d, o1, o2)
			return
		}
		if ex != 0 {
			a.Jcc(O, ex)
		}
		if !has2 {
			a.ImulRRI(isz(t), d, o1, l.imm(ins.Op2)) // three-address
			return
		}
		a.ImulRR(isz(t), d, o2)
		l.movTo(d, o1)
	case irkit.DIV, irkit.MOD:
		if fl {
			if op == irkit.DIV {
				l.fbin(DIVSD, d, o1, o2)
				return
			}
			bad("float MOD must be a call")
			return
		}
		l.idiv(op == irkit.MOD, isz(t), d, o1, o2)
	case irkit.MIN, irkit.MAX:
		if fl {
			// minsd/maxsd return the second operand unless the first is
			// strictly less/greater: exactly a<b ? a : b, NaNs and -0 included.
			l.fbin(sseOf[op], d, o1, o2)
			return
		}
		// [mov d, o1]; cmp d, o2; cmov<ge|le> d, o2
		cc := GE
		if op == irkit.MAX {
			cc = LE
		}
		a.Cmov(cc, isz(t), d, o2)
		a.AluRR(CMP, isz(t), d, o2)
		l.movTo(d, o1)
	case irkit.NEG:
		if fl {
			// [movaps d, o1]; xorpd sign(%rip), d
			a.SseRM(XORPD, d, LabelMem(l.signK))
			l.movTo(d, o1)
			return
		}
		a.UnopR(NEG, isz(t), d)
		l.movTo(d, o1)
	case irkit.ABS:
		if fl {
			a.SseRM(ANDPD, d, LabelMem(l.absK))
			l.movTo(d, o1)
			return
		}
		// [mov d, o1]; mov r11, d; neg r11; cmovns d, r11 (ABS(MIN) = MIN)
		a.Cmov(NS, isz(t), d, R11)
		a.UnopR(NEG, isz(t), R11)
		a.MovRR(S64, R11, d)
		l.movTo(d, o1)
	case irkit.FLOOR:
		a.Roundsd(d, o1, RoundFloor)
	case irkit.CEIL:
		a.Roundsd(d, o1, RoundCeil)
	case irkit.SQRT:
		a.SseRR(SQRTSD, d, o1)
	case irkit.BNOT:
		a.UnopR(NOT, isz(t), d)
		l.movTo(d, o1)
	case irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROL, irkit.BROR:
		if has2 {
			if o2 != RCX {
				bad("shift count not in rcx")
				return
			}
			a.ShiftRCL(shiftOf[op], isz(t), d)
		} else {
			k := uint8(l.imm(ins.Op2)) & uint8(8*isz(t)-1)
			if op == irkit.BSHL && d != o1 && k >= 1 && k <= 3 {
				// lea (,o1,2^k), d: the copy and the shift in one.
				a.Lea(isz(t), d, MI(NoReg, o1, 1<<k, 0))
				return
			}
			a.ShiftRI(shiftOf[op], isz(t), d, k)
		}
		l.movTo(d, o1)

	case irkit.ITOF:
		// xorps d, d (no false dependency); cvtsi2sd o1, d
		a.Cvtsi2sd(isz(l.tr.Ins(ins.Op1).T), d, o1)
		a.SseRR(XORPS, d, d)
	case irkit.FTOI:
		l.ftoi(isz(t), d, o1)
	case irkit.FTOIX:
		// cvttsd2si o1, d; cvtsi2sd d, tmp; ucomisd o1, tmp; jne exit; jp exit
		if ir.Tmp == regalloc.NoReg {
			bad("no temporary")
			return
		}
		tmp := xreg(ir.Tmp)
		a.Jcc(P, ex)
		a.Jcc(NE, ex)
		a.SseRR(UCOMISD, tmp, o1)
		a.Cvtsi2sd(isz(t), tmp, d)
		a.Cvttsd2si(isz(t), d, o1)
	case irkit.SEXT:
		if load, ok := l.res.Target.FusedLoad(l.tr, r); ok {
			// movslq ofs(obj), d
			a.Load(S32, true, d, l.fusedMem(r, load, o1, NoReg))
			return
		}
		a.ExtRR(S32, true, d, o1)
	case irkit.ZEXT, irkit.TRUNC:
		a.ExtRR(S32, false, d, o1)
	case irkit.BCAST:
		if !t.Is64() || !l.tr.Ins(ins.Op1).T.Is64() {
			bad("BCAST between non-64-bit types")
			return
		}
		l.copyReg(d, o1)

	case irkit.ISNUM, irkit.ISTAG:
		if load, ok := l.res.Target.FusedLoad(l.tr, r); ok {
			l.fusedIsNum(r, load, o1, o2, ex)
			return
		}
		l.tagGuard(op, o1, uint64(ins.Op2), ex)
	case irkit.UNBOXN:
		if load, ok := l.res.Target.FusedLoad(l.tr, r); ok {
			// [mov Slots(%rdi), r11 | movslq index, r11]; movsd mem, d
			a.LoadSD(d, l.fusedMem(r, load, o1, o2))
			l.fusedBase(r, load)
			return
		}
		l.copyReg(d, o1)
	case irkit.UNBOXP:
		// [mov d, o1]; shl $(64-ts), d; shr $(64-ts), d
		k := 64 - l.tr.Box.TagShift
		a.ShiftRI(SHR, S64, d, k)
		a.ShiftRI(SHL, S64, d, k)
		l.movTo(d, o1)
	case irkit.BOXN:
		// movq o1, d; ucomisd o1, o1; jnp 1f; mov $canon, d; 1:
		done := a.NewLabel()
		a.Bind(done)
		a.MovRIKeep(d, int64(l.tr.Box.CanonNaN))
		a.Jcc(NP, done)
		a.SseRR(UCOMISD, o1, o1)
		a.MovXG(S64, d, o1)
	case irkit.BOXP:
		// [mov d, o1]; shl; shr (payload); mov $prefix|tag, r11; or r11, d
		b := &l.tr.Box
		tm := uint64(1)<<b.TagBits - 1
		hi := b.Prefix<<b.PrefixShift | (uint64(ins.Op2)&tm)<<b.TagShift
		k := 64 - b.TagShift
		a.AluRR(OR, S64, d, R11)
		a.MovRI(R11, int64(hi))
		a.ShiftRI(SHR, S64, d, k)
		a.ShiftRI(SHL, S64, d, k)
		l.movTo(d, o1)

	case irkit.SLOAD:
		l.load(t, d, M(R11, int32(8*int(ins.Op1))))
		l.slotsBase(r)
	case irkit.SSTORE:
		// [movslq o2, o2]; mov Slots(%rdi), r11; mov o2, 8*slot(r11)
		if !has2 {
			bad("no register")
			return
		}
		m := M(R11, int32(8*int(ins.Op1)))
		if o2.IsX() {
			a.StoreSD(m, o2)
		} else {
			a.Store(S64, m, o2)
		}
		l.slotsBase(r)
		if t == irkit.TInt {
			a.ExtRR(S32, true, o2, o2) // a slot holds the sign-extended word
		}
	case irkit.FREF:
		a.Lea(S64, d, M(o1, int32(ins.Op2)))
	case irkit.AREF:
		if !has2 {
			// A constant index: lea 8*k(o1), d, or through r11 if 8*k
			// leaves int32.
			k := int64(l.imm(ins.Op2))
			if disp := 8 * k; disp == int64(int32(disp)) {
				a.Lea(S64, d, M(o1, int32(disp)))
			} else {
				a.Lea(S64, d, MI(o1, R11, 8, 0))
				a.MovRI(R11, k)
			}
			return
		}
		// lea disp(o1,o2,8), d: an index x+k is x with disp 8*k
		// (regalloc.Target.FusedMemOf of the AREF itself).
		fm := l.res.Target.FusedMemOf(l.tr, r)
		if fm.IndexInt {
			a.Lea(S64, d, MI(o1, R11, 8, fm.Disp))
			a.ExtRR(S32, true, R11, o2)
		} else {
			a.Lea(S64, d, MI(o1, o2, 8, fm.Disp))
		}
	case irkit.FLOAD:
		// [movslq index, r11]; mov ofs(o1[,index,8])[disp], d
		m, ext := l.addrMem(r, o1, o2)
		l.load(t, d, m.Off(int32(ins.Op2)))
		l.indexExt(ext, o2)
	case irkit.ALOAD, irkit.XLOAD:
		// [movslq index, r11]; mov (o1[,index,8])[disp], d
		m, ext := l.addrMem(r, o1, o2)
		l.load(t, d, m)
		l.indexExt(ext, o2)
	case irkit.FSTORE, irkit.ASTORE, irkit.XSTORE:
		if !has1 || !has2 && !ins.Op2.IsConst() {
			bad("no register")
			return
		}
		// (FusedAddr gives a store no index register.)
		m, _ := l.addrMem(r, o1, NoReg)
		if !has2 {
			// An integer constant in int32 range (Imm2): mov $imm, mem,
			// sign-extended to a 64-bit word.
			l.storeImm(t, m, l.imm(ins.Op2))
			return
		}
		l.store(t, m, o2)
	case irkit.CALLN, irkit.CALLS:
		l.callOp(r, ins, ir)
	default:
		bad("not lowered")
	}
}

// lea3 emits an integer ADD or SUB (no overflow check) whose result
// register d is not its first operand's as one lea, which reads both
// operands and writes d without the two-address form's copy: lea
// k(o1),d for an immediate (-k for SUB), lea (o1,o2),d for ADD of a
// register other than d. At 32 bits lea wraps as add does. It reports
// false, having emitted nothing, for the other forms.
func (l *Lowerer) lea3(s Size, op irkit.Op, d, o1, o2 Reg, has2 bool, k2 irkit.Ref) bool {
	if d.IsX() || o1.IsX() {
		return false
	}
	if !has2 {
		k := l.imm(k2)
		if op == irkit.SUB {
			if k == -1<<31 {
				return false
			}
			k = -k
		}
		l.a.Lea(s, d, M(o1, k))
		return true
	}
	if op != irkit.ADD || d == o2 || o2.IsX() {
		return false
	}
	l.a.Lea(s, d, MI(o1, o2, 1, 0))
	return true
}

// slotsBase emits mov Slots(%rdi),%r11 for the slot access of r, unless
// the code just before r left the base in R11: the last instruction that
// emitted code, with no moves since, was a slot access that keeps it
// (keepsBase). A recorder's trace starts with a run of slot loads, checks
// and unboxes, which then share one.
func (l *Lowerer) slotsBase(r irkit.Ref) {
	for p := r - 1; p >= irkit.First; p-- {
		if len(l.res.AfterMoves(p)) != 0 || len(l.res.BeforeMoves(p+1)) != 0 {
			break
		}
		pi := l.tr.Ins(p)
		if pi.Op == irkit.NOP || pi.Op == irkit.SLOAD && l.res.At(p).Dest == regalloc.NoReg {
			continue // no code
		}
		if l.keepsBase(p, pi) {
			return
		}
		if l.leavesR11(p, pi) {
			continue // computes between two slot accesses
		}
		break
	}
	l.a.Load(S64, false, R11, M(RDI, emit.StateSlots))
}

// leavesR11 reports whether the code of instruction p never writes R11, so
// that a slot base an earlier access left there survives it: float
// arithmetic and comparisons on registers (fbin, fcmp), integer adds,
// subtractions and comparisons into or on registers, FTOIX into a
// register (with its XMM temporary). Not when fused with a load, nor a
// guard whose unread result would go to R11.
func (l *Lowerer) leavesR11(p irkit.Ref, pi irkit.Ins) bool {
	if _, fused := l.res.Target.FusedLoad(l.tr, p); fused {
		return false
	}
	ir := l.res.At(p)
	dest := ir.Dest != regalloc.NoReg && xreg(ir.Dest) != R11
	regs := ir.Op1 != regalloc.NoReg && (ir.Op2 != regalloc.NoReg || pi.Op2.IsConst())
	switch pi.Op {
	case irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV:
		if pi.T.Base() == irkit.TNum {
			return dest && ir.Op1 != regalloc.NoReg && ir.Op2 != regalloc.NoReg
		}
		return (pi.Op == irkit.ADD || pi.Op == irkit.SUB) && dest && regs
	case irkit.ADDOV, irkit.SUBOV:
		return dest && regs
	case irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT:
		if pi.T.Base() == irkit.TNum {
			return ir.Op1 != regalloc.NoReg && ir.Op2 != regalloc.NoReg
		}
		return regs
	case irkit.FTOIX:
		return dest && ir.Op1 != regalloc.NoReg && ir.Tmp != regalloc.NoReg
	}
	return false
}

// keepsBase reports whether instruction p leaves the slot base in R11:
// an SSTORE, an SLOAD into a register, and the fused forms of an SLOAD's
// unbox and (with a layout numLimit covers) its check.
func (l *Lowerer) keepsBase(p irkit.Ref, pi irkit.Ins) bool {
	switch pi.Op {
	case irkit.SSTORE:
		return true
	case irkit.SLOAD:
		return l.res.At(p).Dest != regalloc.NoReg
	case irkit.ISNUM, irkit.UNBOXN:
		load, ok := l.res.Target.FusedLoad(l.tr, p)
		if !ok || l.tr.Ins(load).Op != irkit.SLOAD {
			return false
		}
		_, fast := numLimit(&l.tr.Box)
		return pi.Op == irkit.UNBOXN || fast
	}
	return false
}

// fusedMem is the memory word fused check or unbox r reads: the slot of
// an SLOAD (off R11, which fusedBase fills), the field of an FLOAD or the
// element of an ALOAD (off the address operand's register addr, or, with
// the load's address fused, off base addr and index idx; a TInt index is
// sign-extended into R11 by fusedBase).
func (l *Lowerer) fusedMem(r, load irkit.Ref, addr, idx Reg) Mem {
	li := l.tr.Ins(load)
	switch li.Op {
	case irkit.SLOAD:
		return M(R11, int32(8*int(li.Op1)))
	case irkit.FLOAD:
		m, _ := l.addrMem(r, addr, idx)
		return m.Off(int32(li.Op2))
	}
	m, _ := l.addrMem(r, addr, idx)
	return m
}

// fusedBase emits what fused instruction r's memory operand needs first:
// the slot base load when its load is an SLOAD, the sign extension of a
// TInt index when its address is fused.
func (l *Lowerer) fusedBase(r, load irkit.Ref) {
	if l.tr.Ins(load).Op == irkit.SLOAD {
		l.slotsBase(r)
		return
	}
	// Only a fused address with an index register may need it.
	if idx := l.res.At(r).Op2; idx != regalloc.NoReg {
		if _, ext := l.addrMem(r, NoReg, NoReg); ext {
			l.indexExt(true, xreg(idx))
		}
	}
}

// addrMem is the memory operand of instruction r, which addresses memory
// through the register addr: (addr), or, when r's address is fused
// (regalloc.Target.FusedAddr), base addr plus the AREF's index idx times
// 8 plus the FREF's or constant index's displacement. ext reports a TInt
// index, which is read from R11 once indexExt has sign-extended it there
// (just before r's code: emit indexExt after it).
func (l *Lowerer) addrMem(r irkit.Ref, addr, idx Reg) (m Mem, ext bool) {
	t := l.res.Target
	x, ok := t.FusedAddr(l.tr, r)
	if !ok {
		return M(addr, 0), false
	}
	fm := t.FusedMemOf(l.tr, x)
	switch {
	case !fm.Index:
		return M(addr, fm.Disp), false
	case fm.IndexInt:
		return MI(addr, R11, 8, fm.Disp), true
	}
	return MI(addr, idx, 8, fm.Disp), false
}

// indexExt emits movslq idx, r11 for a fused address with a TInt index.
func (l *Lowerer) indexExt(ext bool, idx Reg) {
	if ext {
		l.a.ExtRR(S32, true, R11, idx)
	}
}

// fusedIsNum emits ISNUM of the word in memory. Under a layout where the
// numbers are exactly the words below a limit whose low half is zero
// (numLimit), one compare of the word's upper half decides; otherwise the
// word is loaded into R11 and checked there.
func (l *Lowerer) fusedIsNum(r, load irkit.Ref, addr, idx Reg, ex Label) {
	a := l.a
	m := l.fusedMem(r, load, addr, idx)
	if hi, ok := numLimit(&l.tr.Box); ok {
		// cmpl $hi, 4+mem; jae exit
		a.Jcc(AE, ex)
		a.AluMI(CMP, S32, m.Off(4), int32(hi))
	} else {
		// mov mem, r11; (check r11)
		l.tagGuard(irkit.ISNUM, R11, 0, ex)
		a.Load(S64, false, R11, m)
	}
	l.fusedBase(r, load)
}

// numLimit reports whether, under layout b, a word is a number exactly
// when it is below limit<<32 (unsigned): the prefix is all ones up to bit
// 63 and sits right above the tag, so every word from the first tagged
// one up is tagged, and that first tagged word has a zero low half.
func numLimit(b *irkit.BoxLayout) (limit uint32, ok bool) {
	if b.PrefixShift != b.TagShift+b.TagBits || b.PrefixShift == 0 || b.PrefixShift >= 64 ||
		b.Prefix != 1<<(64-b.PrefixShift)-1 {
		return 0, false
	}
	first := (b.Prefix<<b.TagBits + 1) << b.TagShift
	if first&0xffffffff != 0 {
		return 0, false
	}
	return uint32(first >> 32), true
}

// fbin emits d = o1 op o2 for a two-operand SSE operation.
func (l *Lowerer) fbin(op Sse, d, o1, o2 Reg) {
	l.a.SseRR(op, d, o2)
	l.movTo(d, o1)
}

// fcmp emits a float comparison guard. ucomisd sets ZF, PF and CF all
// to 1 for unordered operands, so each relation picks the operand order
// whose failing condition is one branch (two for EQ).
func (l *Lowerer) fcmp(op irkit.Op, x, y Reg, ex Label) {
	a := l.a
	switch op {
	case irkit.EQ: // ucomisd y, x; jne exit; jp exit
		a.Jcc(P, ex)
		a.Jcc(NE, ex)
		a.SseRR(UCOMISD, x, y)
	case irkit.NE: // ucomisd y, x; jp 1f; je exit; 1:
		ok := a.NewLabel()
		a.Bind(ok)
		a.Jcc(E, ex)
		a.Jcc(P, ok)
		a.SseRR(UCOMISD, x, y)
	case irkit.LT: // y > x
		a.Jcc(BE, ex)
		a.SseRR(UCOMISD, y, x)
	case irkit.LE: // y >= x
		a.Jcc(B, ex)
		a.SseRR(UCOMISD, y, x)
	case irkit.GT:
		a.Jcc(BE, ex)
		a.SseRR(UCOMISD, x, y)
	case irkit.GE:
		a.Jcc(B, ex)
		a.SseRR(UCOMISD, x, y)
	case irkit.ULT: // fails when x >= y
		a.Jcc(AE, ex)
		a.SseRR(UCOMISD, x, y)
	case irkit.UGE: // fails when x < y
		a.Jcc(A, ex)
		a.SseRR(UCOMISD, y, x)
	case irkit.ULE: // fails when x > y
		a.Jcc(A, ex)
		a.SseRR(UCOMISD, x, y)
	case irkit.UGT: // fails when x <= y
		a.Jcc(AE, ex)
		a.SseRR(UCOMISD, y, x)
	}
}

// idiv emits integer DIV or MOD with the interpreter's results for the
// cases x86 traps on: x/0 = 0, x%0 = x, x/-1 = -x, x%-1 = 0.
//
//	test y, y; je zero; cmp $-1, y; je neg
//	cqo; idiv y; jmp done
//	zero: DIV: xor eax, eax | MOD: mov rax, rdx; jmp done
//	neg:  DIV: neg eax      | MOD: xor edx, edx
//	done:
func (l *Lowerer) idiv(mod bool, s Size, d, x, y Reg) {
	a := l.a
	want := RAX
	if mod {
		want = RDX
	}
	if x != RAX || d != want || y == RAX || y == RDX {
		l.fail("integer division registers %v = %v / %v break the fixed-register contract", d, x, y)
		return
	}
	done, zero, neg := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Bind(done)
	if mod {
		a.AluRR(XOR, S32, RDX, RDX)
	} else {
		a.UnopR(NEG, s, RAX)
	}
	a.Bind(neg)
	a.Jmp(done)
	if mod {
		a.MovRR(S64, RDX, RAX)
	} else {
		a.AluRR(XOR, S32, RAX, RAX)
	}
	a.Bind(zero)
	a.Jmp(done)
	a.UnopR(IDIV, s, y)
	if s == S64 {
		a.Cqo()
	} else {
		a.Cdq()
	}
	a.Jcc(E, neg)
	a.AluRI(CMP, s, y, -1)
	a.Jcc(E, zero)
	a.TestRR(s, y, y)
}

// ftoi emits FTOI: truncation that saturates, with NaN giving 0. cvttsd2si
// returns the "integer indefinite" MIN for NaN and out-of-range values;
// only then (cmp $1 overflows exactly for MIN) the slow path decides.
//
//	cvttsd2si x, d; cmp $1, d; jno done
//	ucomisd x, x; jp nan; movq x, r11; test r11, r11; js done
//	not d; jmp done          (MIN -> MAX)
//	nan: xor d, d
//	done:
func (l *Lowerer) ftoi(s Size, d, x Reg) {
	a := l.a
	done, nan := a.NewLabel(), a.NewLabel()
	a.Bind(done)
	a.AluRR(XOR, S32, d, d)
	a.Bind(nan)
	a.Jmp(done)
	a.UnopR(NOT, s, d)
	a.Jcc(S, done)
	a.TestRR(S64, R11, R11)
	a.MovXG(S64, R11, x)
	a.Jcc(P, nan)
	a.SseRR(UCOMISD, x, x)
	a.Jcc(NO, done)
	a.AluRI(CMP, s, d, 1)
	a.Cvttsd2si(s, d, x)
}

// tagGuard emits ISNUM and ISTAG on the value word in w, per the trace's
// BoxLayout: tagged means w>>PrefixShift == Prefix and a nonzero tag.
func (l *Lowerer) tagGuard(op irkit.Op, w Reg, tag uint64, ex Label) {
	a := l.a
	b := &l.tr.Box
	tm := uint64(1)<<b.TagBits - 1
	noGap := b.PrefixShift == b.TagShift+b.TagBits
	base := b.Prefix << b.TagBits
	if op == irkit.ISTAG && (tag == 0 || tag > tm) {
		a.Jmp(ex) // never holds
		return
	}
	if noGap && base+tm <= 0x7fffffff {
		if op == irkit.ISTAG {
			// mov w, r11; shr $ts, r11; cmp $(prefix<<tb|tag), r11; jne exit
			a.Jcc(NE, ex)
			a.AluRI(CMP, S64, R11, int32(base|tag))
		} else if _, top := numLimit(b); top {
			// The prefix fills the word's top: w>>ts is at most
			// prefix<<tb|tm, so "tag in 1..tm" is one bound.
			// mov w, r11; shr $ts, r11; cmp $(prefix<<tb + 1), r11; jae exit
			a.Jcc(AE, ex)
			a.AluRI(CMP, S64, R11, int32(base+1))
		} else {
			// mov w, r11; shr $ts, r11; sub $(prefix<<tb + 1), r11;
			// cmp $tm, r11; jb exit   (tag in 1..tm)
			a.Jcc(B, ex)
			a.AluRI(CMP, S64, R11, int32(tm))
			a.AluRI(SUB, S64, R11, int32(base+1))
		}
		a.ShiftRI(SHR, S64, R11, b.TagShift)
		a.MovRR(S64, R11, w)
		return
	}
	// General layout: prefix, then the tag field.
	if op == irkit.ISTAG {
		// ...; mov w, r11; shr $ts, r11; and $tm, r11d; cmp $tag, r11d; jne exit
		a.Jcc(NE, ex)
		a.AluRI(CMP, S32, R11, int32(tag))
		a.AluRI(AND, S32, R11, int32(tm))
		a.ShiftRI(SHR, S64, R11, b.TagShift)
		a.MovRR(S64, R11, w)
		// mov w, r11; shr $ps, r11; cmp $prefix, r11; jne exit
		a.Jcc(NE, ex)
	} else {
		ok := a.NewLabel()
		a.Bind(ok)
		a.Jcc(NE, ex)
		a.TestRI(S64, R11, int32(tm))
		a.ShiftRI(SHR, S64, R11, b.TagShift)
		a.MovRR(S64, R11, w)
		a.Jcc(NE, ok)
	}
	a.AluRI(CMP, S64, R11, int32(b.Prefix))
	a.ShiftRI(SHR, S64, R11, b.PrefixShift)
	a.MovRR(S64, R11, w)
}

// load emits d = the value of type t at m, as the interpreter reads
// memory: TBool normalized to 0 or 1, TInt its 4 bytes.
func (l *Lowerer) load(t irkit.Type, d Reg, m Mem) {
	a := l.a
	switch t.Base() {
	case irkit.TBool:
		// cmpb $0, m; setne d; movzbl d, d
		a.ExtRR(S8, false, d, d)
		a.Setcc(NE, d)
		a.AluMI(CMP, S8, m, 0)
	case irkit.TInt:
		a.Load(S32, false, d, m)
	case irkit.TNum:
		a.LoadSD(d, m)
	default:
		a.Load(S64, false, d, m)
	}
}

// storeImm emits a store of t.Size() bytes of the constant k to m: the
// immediate of mov $k, m (sign-extended for a 64-bit word, truncated to
// its low byte for a TBool).
func (l *Lowerer) storeImm(t irkit.Type, m Mem, k int32) {
	a := l.a
	switch t.Base() {
	case irkit.TBool:
		a.StoreI(S8, m, k)
	case irkit.TInt:
		a.StoreI(S32, m, k)
	case irkit.TNum:
		l.fail("float store of an immediate")
	default:
		a.StoreI(S64, m, k)
	}
}

// store emits a store of t.Size() bytes of v to m.
func (l *Lowerer) store(t irkit.Type, m Mem, v Reg) {
	a := l.a
	switch t.Base() {
	case irkit.TBool:
		a.Store(S8, m, v)
	case irkit.TInt:
		a.Store(S32, m, v)
	case irkit.TNum:
		a.StoreSD(m, v)
	default:
		a.Store(S64, m, v)
	}
}
