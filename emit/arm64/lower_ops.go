package arm64

// -- Instruction selection, one irkit opcode at a time --------------------------
//
// Everything here is emitted backwards: the last instruction of a sequence
// first. Semantics are irkit's interpreter's (irkit/eval.go), bit for bit:
//
//   - DIV is sdiv, which already gives x/0 = 0 and MIN/-1 = MIN; MOD is
//     sdiv then msub, giving x%0 = x and MIN%-1 = 0. No guard is needed.
//   - FTOI is fcvtzs, which truncates, saturates and gives 0 for NaN,
//     exactly as the interpreter defines it. FTOIX (exact conversion or
//     exit) compares the floor and the ceiling conversions (equal only for
//     integral values), rejects NaN, and rejects what saturated.
//   - Float MIN/MAX are fcmp + fcsel on "less"/"greater" (fmin/fmax differ
//     on NaN and on signed zeros). NEG and ABS are fneg/fabs, which only
//     touch the sign bit. FLOOR, CEIL, SQRT are frintm, frintp, fsqrt, the
//     instructions Go's math package uses on arm64.
//   - Float comparison guards branch to the exit on the exact negation,
//     NaN included (see exitCondF).

import (
	"math"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

func f64(w uint64) float64     { return math.Float64frombits(w) }
func f64bits(f float64) uint64 { return math.Float64bits(f) }

// exitCondI is, per integer comparison guard, the condition (after cmp
// a, b) on which the guard fails.
var exitCondI = [...]Cond{
	irkit.EQ - irkit.EQ:  NE,
	irkit.NE - irkit.EQ:  EQ,
	irkit.LT - irkit.EQ:  GE,
	irkit.GE - irkit.EQ:  LT,
	irkit.LE - irkit.EQ:  GT,
	irkit.GT - irkit.EQ:  LE,
	irkit.ULT - irkit.EQ: HS,
	irkit.UGE - irkit.EQ: LO,
	irkit.ULE - irkit.EQ: HI,
	irkit.UGT - irkit.EQ: LS,
}

// exitCondF is the same after fcmp a, b, whose flags are N for less, Z C
// for equal, C for greater and C V for unordered: e.g. LT holds on MI
// (less, never unordered), so it fails on PL.
var exitCondF = [...]Cond{
	irkit.EQ - irkit.EQ:  NE, // EQ holds on eq (ordered equal)
	irkit.NE - irkit.EQ:  EQ, // NE holds on ne (unordered included)
	irkit.LT - irkit.EQ:  PL, // LT holds on mi
	irkit.GE - irkit.EQ:  LT, // GE holds on ge (N==V: false when unordered)
	irkit.LE - irkit.EQ:  HI, // LE holds on ls
	irkit.GT - irkit.EQ:  LE, // GT holds on gt
	irkit.ULT - irkit.EQ: GE, // ULT holds on lt (less or unordered)
	irkit.UGE - irkit.EQ: MI, // UGE holds on pl
	irkit.ULE - irkit.EQ: GT, // ULE holds on le
	irkit.UGT - irkit.EQ: LS, // UGT holds on hi
}

// memSize is the access size of a load or store of type t.
func memSize(t irkit.Type) Size {
	switch t.Size() {
	case 1:
		return Size8
	case 4:
		return Size32
	}
	return Size64
}

// guardLabel is the stub of guard r.
func (l *Lowerer) guardLabel(r irkit.Ref) Label {
	i := l.exitFor(r)
	if i < 0 {
		l.fail("guard %04d has no exit record", int(r-irkit.Bias))
		return 0
	}
	return l.exits[i].label
}

// ins lowers instruction r.
func (l *Lowerer) ins(r irkit.Ref) {
	a, tr := l.a, l.tr
	ins := tr.Ins(r)
	ir := l.res.At(r)
	op := ins.Op
	switch op {
	case irkit.NOP, irkit.BASE, irkit.LOOP, irkit.PHI, irkit.CARG:
		return
	}
	if op >= irkit.NumOps {
		l.fail("bad opcode at %04d", int(r-irkit.Bias))
		return
	}
	cons := &l.res.Target.Cons[op][regalloc.ClassOf(ins.T)]
	if op == irkit.CALLN || op == irkit.CALLS || cons.Call {
		l.call(r, ins, ir)
		return
	}
	guard := ins.T.IsGuard()
	if ir.Dest == regalloc.NoReg && op.HasValue() && !guard && !op.Has(irkit.FSide) {
		return // a dead pure value
	}
	ty := ins.T.Base()
	is64 := ins.T.Is64()
	// Operands as registers of the instruction's width.
	o1, o2 := ir.Op1, ir.Op2
	info := op.Info()
	if info.Mode1 == irkit.ModeRef && o1 == regalloc.NoReg {
		l.fail("%04d: first operand not in a register", int(r-irkit.Bias))
		return
	}
	imm := int64(-1)
	if info.Mode2 == irkit.ModeRef && o2 == regalloc.NoReg {
		w, ok := tr.KWord(ins.Op2)
		if !ok {
			l.fail("%04d: second operand not in a register", int(r-irkit.Bias))
			return
		}
		imm = int64(w)
		if imm < 0 || imm > 4095 {
			// Shift counts are taken modulo the width anyway.
			switch op {
			case irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROR, irkit.BROL:
				imm &= 63
			default:
				l.fail("%04d: immediate %d out of range", int(r-irkit.Bias), imm)
				return
			}
		}
	}
	// The destination; a guard whose value is dead writes a scratch.
	dst := ir.Dest
	reload := false
	if dst == regalloc.NoReg && op.HasValue() {
		dst = 16
		if op == irkit.MULOV || op == irkit.FTOIX {
			dst, reload = 17, true
		}
		if ty == irkit.TNum {
			l.fail("%04d: float guard without a destination", int(r-irkit.Bias))
			return
		}
	}
	if reload {
		a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
	}
	var ex Label
	if guard {
		ex = l.guardLabel(r)
	}
	switch {
	case op >= irkit.EQ && op <= irkit.UGT:
		k := op - irkit.EQ
		if ty == irkit.TNum {
			a.BCond(exitCondF[k], ex)
			a.FCmp(dreg(o1), dreg(o2))
			return
		}
		a.BCond(exitCondI[k], ex)
		if imm >= 0 {
			a.CmpImm(gpr(o1, is64), imm)
		} else {
			a.Cmp(gpr(o1, is64), gpr(o2, is64))
		}
	case ty == irkit.TNum && op <= irkit.SQRT && op >= irkit.ADD:
		l.floatOp(op, dreg(dst), o1, o2)
	case op >= irkit.ADD && op <= irkit.MULOV || op >= irkit.BNOT && op <= irkit.BROR:
		l.intOp(op, gpr(dst, is64), o1, o2, imm, is64, ex)
	default:
		l.otherOp(r, ins, ir, dst, ex)
	}
}

// floatOp lowers the float arithmetic ops.
func (l *Lowerer) floatOp(op irkit.Op, d FReg, o1, o2 regalloc.Reg) {
	a := l.a
	x := dreg(o1)
	var y FReg
	if o2 != regalloc.NoReg {
		y = dreg(o2)
	}
	switch op {
	case irkit.ADD:
		a.FAdd(d, x, y)
	case irkit.SUB:
		a.FSub(d, x, y)
	case irkit.MUL:
		a.FMul(d, x, y)
	case irkit.DIV:
		a.FDiv(d, x, y)
	case irkit.MIN:
		a.FCsel(d, x, y, MI)
		a.FCmp(x, y)
	case irkit.MAX:
		a.FCsel(d, x, y, GT)
		a.FCmp(x, y)
	case irkit.NEG:
		a.FNeg(d, x)
	case irkit.ABS:
		a.FAbs(d, x)
	case irkit.FLOOR:
		a.FRintm(d, x)
	case irkit.CEIL:
		a.FRintp(d, x)
	case irkit.SQRT:
		a.FSqrt(d, x)
	default:
		l.fail("float %v has no lowering", op)
	}
}

// intOp lowers integer arithmetic and bit operations on d's width.
func (l *Lowerer) intOp(op irkit.Op, d Reg, o1, o2 regalloc.Reg, imm int64, is64 bool, ex Label) {
	a := l.a
	x := gpr(o1, is64)
	var y Reg
	if o2 != regalloc.NoReg {
		y = gpr(o2, is64)
	}
	width := int64(32)
	if is64 {
		width = 64
	}
	s16 := gpr(16, is64)
	switch op {
	case irkit.ADD, irkit.SUB, irkit.ADDOV, irkit.SUBOV:
		if op == irkit.ADDOV || op == irkit.SUBOV {
			a.BCond(VS, ex)
		}
		sub := op == irkit.SUB || op == irkit.SUBOV
		flags := op == irkit.ADDOV || op == irkit.SUBOV
		switch {
		case imm >= 0 && sub && flags:
			a.SubsImm(d, x, imm)
		case imm >= 0 && sub:
			a.SubImm(d, x, imm)
		case imm >= 0 && flags:
			a.AddsImm(d, x, imm)
		case imm >= 0:
			a.AddImm(d, x, imm)
		case sub && flags:
			a.Subs(d, x, y)
		case sub:
			a.Sub(d, x, y)
		case flags:
			a.Adds(d, x, y)
		default:
			a.Add(d, x, y)
		}
	case irkit.MUL:
		a.Mul(d, x, y)
	case irkit.MULOV:
		if is64 {
			// The signed 128-bit product fits in 64 bits iff its high
			// word is the sign of its low word.
			a.BCond(NE, ex)
			a.SubsShift(XZR, X16, d, ASR, 63)
			a.Mul(d, x, y)
			a.Smulh(X16, x, y)
		} else {
			a.BCond(NE, ex)
			a.SubsExt(XZR, d.As64(), d, SXTW, 0)
			a.Smull(d.As64(), x, y)
		}
	case irkit.DIV:
		a.Sdiv(d, x, y)
	case irkit.MOD:
		a.Msub(d, s16, y, x)
		a.Sdiv(s16, x, y)
	case irkit.MIN:
		a.Csel(d, x, y, LT)
		a.Cmp(x, y)
	case irkit.MAX:
		a.Csel(d, x, y, GT)
		a.Cmp(x, y)
	case irkit.NEG:
		a.Neg(d, x)
	case irkit.ABS:
		a.Cneg(d, x, LT)
		a.CmpImm(x, 0)
	case irkit.BNOT:
		a.Mvn(d, x)
	case irkit.BAND:
		a.And(d, x, y)
	case irkit.BOR:
		a.Orr(d, x, y)
	case irkit.BXOR:
		a.Eor(d, x, y)
	case irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROR, irkit.BROL:
		if imm >= 0 {
			k := uint(imm % width)
			switch op {
			case irkit.BSHL:
				a.LslImm(d, x, k)
			case irkit.BSHR:
				a.LsrImm(d, x, k)
			case irkit.BSAR:
				a.AsrImm(d, x, k)
			case irkit.BROR:
				a.RorImm(d, x, k)
			case irkit.BROL:
				a.RorImm(d, x, uint((width-int64(k))%width))
			}
			return
		}
		switch op {
		case irkit.BSHL:
			a.Lsl(d, x, y)
		case irkit.BSHR:
			a.Lsr(d, x, y)
		case irkit.BSAR:
			a.Asr(d, x, y)
		case irkit.BROR:
			a.Ror(d, x, y)
		case irkit.BROL:
			a.Ror(d, x, s16)
			a.Neg(s16, y)
		}
	default:
		l.fail("integer %v has no lowering", op)
	}
}

// otherOp lowers conversions, boxing and memory.
func (l *Lowerer) otherOp(r irkit.Ref, ins irkit.Ins, ir *regalloc.InsRegs, dst regalloc.Reg, ex Label) {
	a, tr := l.a, l.tr
	ty := ins.T.Base()
	o1, o2 := ir.Op1, ir.Op2
	var ta irkit.Type
	if ins.Op.Info().Mode1 == irkit.ModeRef {
		ta = tr.Ins(ins.Op1).T
	}
	box := &tr.Box
	switch ins.Op {
	case irkit.ITOF:
		a.Scvtf(dreg(dst), gpr(o1, ta.Is64()))
	case irkit.FTOI:
		a.Fcvtzs(gpr(dst, ins.T.Is64()), dreg(o1))
	case irkit.FTOIX:
		l.ftoix(ty, xreg(dst), dreg(o1), ex)
	case irkit.SEXT:
		a.Sxtw(xreg(dst), wreg(o1))
	case irkit.ZEXT, irkit.TRUNC:
		a.Mov(wreg(dst), wreg(o1))
	case irkit.BCAST:
		l.move(regalloc.Move{Dst: regalloc.RegLoc(dst), Src: regalloc.RegLoc(o1), Ref: r})
	case irkit.ISNUM:
		// A number unless the prefix matches and the tag is nonzero.
		ok := a.NewLabel()
		a.Bind(ok)
		a.BCond(NE, ex)
		l.tst(xreg(o1), box.Tag(^uint64(0))<<(box.TagShift&63))
		a.Cbnz(X16, ok)
		l.prefixDiff(xreg(o1), box.Prefix<<(box.PrefixShift&63), box.PrefixShift&63)
	case irkit.ISTAG:
		tag := uint64(ins.Op2)
		tm := box.Tag(^uint64(0))
		if tag == 0 || tag > tm {
			a.B(ex) // no value has tag 0 or a tag wider than the field
			return
		}
		// x16 = w ^ (prefix|tag): the prefix and tag fields must be zero.
		a.Cbnz(X16, ex)
		a.LsrImm(X16, X16, uint(box.PrefixShift&63))
		a.BCond(NE, ex)
		l.tst(X16, tm<<(box.TagShift&63))
		a.Eor(X16, xreg(o1), X16)
		a.MovImm(X16, box.Prefix<<(box.PrefixShift&63)|tag<<(box.TagShift&63))
	case irkit.UNBOXN:
		a.FMovToF(dreg(dst), xreg(o1))
	case irkit.UNBOXP:
		l.andImm(xreg(dst), xreg(o1), box.PayloadMask())
	case irkit.BOXN:
		d := xreg(dst)
		a.Csel(d, X16, d, VS)
		a.FMovFromF(d, dreg(o1))
		a.FCmp(dreg(o1), dreg(o1))
		a.MovImm(X16, box.CanonNaN)
	case irkit.BOXP:
		d := xreg(dst)
		tm := box.Tag(^uint64(0))
		hi := box.Prefix<<(box.PrefixShift&63) | (uint64(ins.Op2)&tm)<<(box.TagShift&63)
		if _, ok := LogicalImm(hi, false); ok {
			a.OrrImm(d, d, hi)
		} else {
			a.Orr(d, d, X16)
		}
		l.andImm(d, xreg(o1), box.PayloadMask())
		if _, ok := LogicalImm(hi, false); !ok {
			a.MovImm(X16, hi)
		}
	case irkit.FREF:
		l.addr(xreg(dst), xreg(o1), int64(ins.Op2))
	case irkit.AREF:
		if tr.Ins(ins.Op2).T.Base() == irkit.TInt {
			a.AddExt(xreg(dst), xreg(o1), wreg(o2), SXTW, 3)
		} else {
			a.AddShift(xreg(dst), xreg(o1), xreg(o2), LSL, 3)
		}
	case irkit.SLOAD:
		l.load(ins.T, dst, X16, int64(8*int(ins.Op1)))
		a.Ldr(Size64, false, X16, Off(StateReg, emit.StateSlots))
	case irkit.FLOAD:
		l.load(ins.T, dst, xreg(o1), int64(ins.Op2))
	case irkit.ALOAD, irkit.XLOAD:
		l.load(ins.T, dst, xreg(o1), 0)
	case irkit.SSTORE:
		off := int64(8 * int(ins.Op1))
		vt := tr.Ins(ins.Op2).T.Base()
		switch {
		case isFPR(o2):
			l.fstoreAt(dreg(o2), X16, off)
		case vt == irkit.TInt:
			// Slots hold whole value words: sign-extend through x17.
			a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
			l.storeAt(Size64, X17, X16, off)
			a.Sxtw(X17, wreg(o2))
		default:
			l.storeAt(Size64, xreg(o2), X16, off)
		}
		a.Ldr(Size64, false, X16, Off(StateReg, emit.StateSlots))
	case irkit.FSTORE, irkit.ASTORE, irkit.XSTORE:
		if ins.T.Size() == 0 {
			return
		}
		if isFPR(o2) {
			if ins.T.Size() != 8 {
				l.fail("%04d: float store of %d bytes", int(r-irkit.Bias), ins.T.Size())
				return
			}
			a.FStr(dreg(o2), Off(xreg(o1), 0))
			return
		}
		s := memSize(ins.T)
		v := xreg(o2)
		if s != Size64 {
			v = wreg(o2)
		}
		a.Str(s, v, Off(xreg(o1), 0))
	default:
		l.fail("%v has no lowering", ins.Op)
	}
}

// load loads a value of type t from base+off into d, normalized as the
// interpreter's loads are (TBool to 0 or 1).
func (l *Lowerer) load(t irkit.Type, d regalloc.Reg, base Reg, off int64) {
	a := l.a
	if isFPR(d) {
		l.floadAt(dreg(d), base, off)
		return
	}
	switch t.Base() {
	case irkit.TBool:
		a.Cset(wreg(d), NE)
		a.CmpImm(wreg(d), 0)
		l.loadAt(Size8, wreg(d), base, off)
	case irkit.TInt:
		l.loadAt(Size32, wreg(d), base, off)
	default:
		l.loadAt(Size64, xreg(d), base, off)
	}
}

// ftoix lowers the exact float-to-integer guard into d (an X register),
// using x16: floor and ceiling agree only on integral values (and on
// saturated ones, which the range checks reject), NaN exits.
func (l *Lowerer) ftoix(ty irkit.Type, d Reg, f FReg, ex Label) {
	a := l.a
	if ty == irkit.TInt {
		a.BCond(NE, ex)
		a.SubsExt(XZR, X16, W16, SXTW, 0) // fits in int32?
	} else {
		done := a.NewLabel()
		a.Bind(done)
		// MinInt64 converts exactly only from -2^63 itself.
		a.MovImm(d, 1<<63)
		a.BCond(NE, ex)
		a.Cmp(d, X16)
		a.MovImm(X16, 0xC3E0000000000000)
		a.FMovFromF(d, f)
		a.BCond(VC, done)
		a.CmpImm(X16, 1) // overflows only for MinInt64
		a.BCond(VS, ex)
		a.CmnImm(X16, 1) // overflows only for MaxInt64 (saturated)
	}
	a.BCond(NE, ex)
	a.Cmp(X16, d)
	a.Fcvtps(d, f)
	a.Fcvtms(X16, f)
	a.BCond(VS, ex)
	a.FCmp(f, f)
}

// tst sets the flags of x & mask (mask a logical immediate, or built in
// x17, which is reloaded after).
func (l *Lowerer) tst(x Reg, mask uint64) {
	if _, ok := LogicalImm(mask, false); ok {
		l.a.TstImm(x, mask)
		return
	}
	l.a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
	l.a.Tst(x, X17)
	l.a.MovImm(X17, mask)
}

// andImm emits d = x & mask.
func (l *Lowerer) andImm(d, x Reg, mask uint64) {
	if _, ok := LogicalImm(mask, false); ok {
		l.a.AndImm(d, x, mask)
		return
	}
	l.a.And(d, x, X16)
	l.a.MovImm(X16, mask)
}

// prefixDiff sets x16 = (x ^ prefix) >> shift: zero iff the prefix field
// of x holds the prefix.
func (l *Lowerer) prefixDiff(x Reg, prefix uint64, shift uint8) {
	l.a.LsrImm(X16, X16, uint(shift))
	l.a.Eor(X16, x, X16)
	l.a.MovImm(X16, prefix)
}
