package arm64

// -- Machine-code helpers -------------------------------------------------------
//
// regalloc.ARM64 lowers integer POW and float POW and MOD as helper calls.
// Generated code never calls Go, so integer POW and float MOD are machine
// code of our own, assembled once per Lowerer, following the helper
// convention (arguments X1, X2 or D0, D1; result X1 or D0; only
// regalloc.ARM64.CallerSaved clobbered; X0 preserved; no stack):
//
//   - ipow64: integer power by squaring with wrapping multiplication, the
//     interpreter's ipow (a negative exponent gives 0 except for the bases
//     1 and -1). ipow32 sign-extends its TInt arguments (only their low
//     halves are defined in a register) and continues into ipow64; the low
//     half of the result is the int32 result.
//   - fmod: math.Mod bit for bit. The remainder of two doubles is exact, so
//     any exact algorithm gives math.Mod's value; this one is the integer
//     long division of the two significands (as musl's fmod does), with
//     the special cases returning math.NaN()'s bits (0x7ff8000000000001)
//     as math.Mod does, and x itself when |x| < |y| (an infinite y
//     included).
//
// Float POW has no helper: math.Pow's result depends on Go's Exp and Log
// (and on how the Go compiler fused their multiply-adds); Lowerer.FPow or
// call-outs (Lowerer.Callouts) provide it.

import "github.com/jitkit/jitkit/emit"

// goNaN is the bit pattern of math.NaN(), which math.Mod returns.
const goNaN = 0x7ff8000000000001

// prog is straight-line code written in program order and emitted
// backwards: each element emits one instruction or binds one label.
type prog []func()

func (p prog) emit() {
	for i := len(p) - 1; i >= 0; i-- {
		p[i]()
	}
}

func (l *Lowerer) buildHelpers() error {
	a := New(emit.NewBuf(1024))
	ipow32, ipow64, fmod := a.NewLabel(), a.NewLabel(), a.NewLabel()
	bind := func(lb Label) func() { return func() { a.Bind(lb) } }

	// ipow32(x=X1, y=X2) -> X1, then ipow64.
	lp, skip, done, neg, one, zero := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	p := prog{
		bind(ipow32),
		func() { a.Sxtw(X1, W1) },
		func() { a.Sxtw(X2, W2) },
		bind(ipow64),
		func() { a.Tbnz(X2, 63, neg) },
		func() { a.MovImm(X3, 1) },
		bind(lp),
		func() { a.Cbz(X2, done) },
		func() { a.Tbz(X2, 0, skip) },
		func() { a.Mul(X3, X3, X1) },
		bind(skip),
		func() { a.Mul(X1, X1, X1) },
		func() { a.LsrImm(X2, X2, 1) },
		func() { a.B(lp) },
		bind(done),
		func() { a.Mov(X1, X3) },
		func() { a.Ret() },
		bind(neg),
		func() { a.CmpImm(X1, 1) },
		func() { a.BCond(EQ, one) },
		func() { a.CmnImm(X1, 1) },
		func() { a.BCond(NE, zero) },
		func() { a.Tbz(X2, 0, one) },
		func() { a.MovImm(X1, ^uint64(0)) },
		func() { a.Ret() },
		bind(one),
		func() { a.MovImm(X1, 1) },
		func() { a.Ret() },
		bind(zero),
		func() { a.Mov(X1, XZR) },
		func() { a.Ret() },
	}

	// fmod(x=D0, y=D1) -> D0. x1 = x's bits, x2 = y's, x3/x4 their
	// exponents, x7 x's sign.
	nan, retx, big, xnorm, ydo, ynorm, loop, lpend, nosub, lskip, sub, sign, zro :=
		a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(),
		a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	const mant = 1<<52 - 1
	p = append(p,
		bind(fmod),
		func() { a.FMovFromF(X1, D0) },
		func() { a.FMovFromF(X2, D1) },
		func() { a.Ubfx(X3, X1, 52, 11) },
		func() { a.Ubfx(X4, X2, 52, 11) },
		func() { a.LslImm(X5, X2, 1) },
		func() { a.Cbz(X5, nan) }, // y = ±0
		func() { a.FCmp(D1, D1) },
		func() { a.BCond(VS, nan) }, // y NaN
		func() { a.CmpImm(X3, 0x7ff) },
		func() { a.BCond(EQ, nan) }, // x infinite or NaN
		func() { a.LslImm(X6, X1, 1) },
		func() { a.Cmp(X6, X5) },
		func() { a.BCond(HI, big) },
		func() { a.BCond(NE, retx) },
		// |x| == |y|: a zero with x's sign.
		func() { a.AndImm(X1, X1, 1<<63) },
		func() { a.FMovToF(D0, X1) },
		bind(retx),
		func() { a.Ret() },
		bind(nan),
		func() { a.MovImm(X1, goNaN) },
		func() { a.FMovToF(D0, X1) },
		func() { a.Ret() },
		bind(big),
		func() { a.AndImm(X7, X1, 1<<63) },
		func() { a.Cbnz(X3, xnorm) },
		// Subnormal x: shift its leading one to bit 52.
		func() { a.LslImm(X8, X1, 12) },
		func() { a.Clz(X8, X8) },
		func() { a.Neg(X3, X8) },
		func() { a.AddImm(X8, X8, 1) },
		func() { a.Lsl(X1, X1, X8) },
		func() { a.B(ydo) },
		bind(xnorm),
		func() { a.AndImm(X1, X1, mant) },
		func() { a.OrrImm(X1, X1, 1<<52) },
		bind(ydo),
		func() { a.Cbnz(X4, ynorm) },
		func() { a.LslImm(X8, X2, 12) },
		func() { a.Clz(X8, X8) },
		func() { a.Neg(X4, X8) },
		func() { a.AddImm(X8, X8, 1) },
		func() { a.Lsl(X2, X2, X8) },
		func() { a.B(loop) },
		bind(ynorm),
		func() { a.AndImm(X2, X2, mant) },
		func() { a.OrrImm(X2, X2, 1<<52) },
		// Long division: while ex > ey, subtract when it fits, shift.
		bind(loop),
		func() { a.Cmp(X3, X4) },
		func() { a.BCond(LE, lpend) },
		func() { a.Subs(X9, X1, X2) },
		func() { a.BCond(MI, lskip) },
		func() { a.BCond(EQ, zro) },
		func() { a.Mov(X1, X9) },
		bind(lskip),
		func() { a.LslImm(X1, X1, 1) },
		func() { a.SubImm(X3, X3, 1) },
		func() { a.B(loop) },
		bind(lpend),
		func() { a.Subs(X9, X1, X2) },
		func() { a.BCond(MI, nosub) },
		func() { a.BCond(EQ, zro) },
		func() { a.Mov(X1, X9) },
		bind(nosub),
		// Normalize: leading one back to bit 52.
		func() { a.Clz(X8, X1) },
		func() { a.SubImm(X8, X8, 11) },
		func() { a.Lsl(X1, X1, X8) },
		func() { a.Sub(X3, X3, X8) },
		func() { a.CmpImm(X3, 0) },
		func() { a.BCond(LE, sub) },
		func() { a.AndImm(X1, X1, ^uint64(1<<52)) },
		func() { a.LogicShift(OpOrr, X1, X1, X3, LSL, 52) },
		func() { a.B(sign) },
		bind(sub), // a subnormal result: shift right by 1-ex
		func() { a.Neg(X8, X3) },
		func() { a.AddImm(X8, X8, 1) },
		func() { a.Lsr(X1, X1, X8) },
		bind(sign),
		func() { a.Orr(X1, X1, X7) },
		func() { a.FMovToF(D0, X1) },
		func() { a.Ret() },
		bind(zro),
		func() { a.FMovToF(D0, X7) },
		func() { a.Ret() },
	)
	p.emit()
	blk, err := a.Install(l.Mem)
	if err != nil {
		return err
	}
	n := a.Buf.Len()
	addr := func(lb Label) uintptr {
		pos, _ := a.LabelPos(lb)
		return PosAddr(pos, n, blk.Addr)
	}
	l.helpers = blk
	l.ipow32, l.ipow64, l.fmod = addr(ipow32), addr(ipow64), addr(fmod)
	return nil
}
