package amd64

// -- Machine-code helpers -------------------------------------------------------
//
// Some opcodes the interpreter defines through Go code are lowered as
// helper calls (regalloc.AMD64 marks integer POW and float POW and MOD
// as calls). Generated code never calls Go, so each helper is machine
// code of our own, assembled once per Lowerer, following the helper
// convention (arguments RSI, RDX or X0, X1; result RAX or X0; only
// regalloc.AMD64.CallerSaved clobbered; at most 16 bytes of stack):
//
//   - ipow: integer power by squaring with wrapping multiplication, the
//     interpreter's ipow (a negative exponent gives 0 except for bases 1
//     and -1). TInt arguments arrive sign-extended, and the low half of
//     the 64-bit result is the int32 result.
//   - fmod: math.Mod bit for bit. The remainder of two doubles is exact,
//     so x87 fprem (exact, repeated until complete, sign of the dividend)
//     gives the very value math.Mod's loop computes; the special cases
//     return math.NaN()'s bits (0x7ff8000000000001) as math.Mod does, and
//     x itself for an infinite divisor.
//
// Float POW has no helper here: math.Pow's result depends on Go's Exp and
// Log. A VM sets Lowerer.FPow to a machine-code implementation, or turns
// Lowerer.Callouts on to have Go compute it (lower_call.go); with neither
// the lowering refuses the trace.

// goNaN is the bit pattern of math.NaN(), which math.Mod returns.
const goNaN = 0x7ff8000000000001

func (l *Lowerer) buildHelpers() error {
	a := New(nil)
	ipow, fmod, cpuid := a.NewLabel(), a.NewLabel(), a.NewLabel()

	// cpuid: eax=1; cpuid; mov %ecx,%eax; ret
	a.Ret()
	a.MovRR(S32, RAX, RCX)
	a.Raw(0x0F, 0xA2)
	a.MovRI(RAX, 1)
	a.Bind(cpuid)

	// fmod(x=X0, y=X1) -> X0
	nan, retx, loop := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Ret()
	a.MovGX(S64, X0, RAX)
	a.MovRI(RAX, goNaN)
	a.Bind(nan)
	a.Ret()
	a.Bind(retx)
	a.AluRI(ADD, S64, RSP, 16)
	a.LoadSD(X0, M(RSP, 8))
	a.Raw(0xDD, 0xD8)             // fstp %st(0): pop y
	a.Raw(0xDD, 0x5C, 0x24, 0x08) // fstpl 8(%rsp)
	a.Jcc(NE, loop)
	a.TestRI(S32, RAX, 0x400) // C2: reduction incomplete
	a.Raw(0xDF, 0xE0)         // fnstsw %ax
	a.Raw(0xD9, 0xF8)         // fprem
	a.Bind(loop)
	a.Raw(0xDD, 0x44, 0x24, 0x08) // fldl 8(%rsp): st0 = x, st1 = y
	a.StoreSD(M(RSP, 8), X0)
	a.Raw(0xDD, 0x04, 0x24) // fldl (%rsp)
	a.StoreSD(M(RSP, 0), X1)
	a.AluRI(SUB, S64, RSP, 16)
	a.Jcc(E, retx) // y infinite: x
	a.AluRR(CMP, S64, RAX, RCX)
	a.Jcc(E, nan) // x infinite
	a.AluRR(CMP, S64, RDX, RCX)
	a.ShiftRI(SHL, S64, RDX, 1)
	a.MovXG(S64, RDX, X0)
	a.MovRI(RCX, -0x20000000000000) // 0xffe0000000000000: an infinity shifted left once
	a.Jcc(E, nan)                   // y == ±0
	a.ShiftRI(SHL, S64, RAX, 1)
	a.MovXG(S64, RAX, X1)
	a.Jcc(P, nan)
	a.SseRR(UCOMISD, X1, X1)
	a.Jcc(P, nan)
	a.SseRR(UCOMISD, X0, X0)
	a.Bind(fmod)

	// ipow(x=RSI, y=RDX) -> RAX
	done, neg, zero, top, skip := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Ret()
	a.AluRR(XOR, S32, RAX, RAX)
	a.Bind(zero)
	a.Ret()
	a.MovRI(RAX, -1)
	a.Jcc(E, done)
	a.TestRI(S8, RDX, 1)
	a.Jcc(NE, zero)
	a.AluRI(CMP, S64, RSI, -1)
	a.Jcc(E, done)
	a.AluRI(CMP, S64, RSI, 1)
	a.Bind(neg)
	a.Ret()
	a.Bind(done)
	a.Jmp(top)
	a.ShiftRI(SHR, S64, RDX, 1)
	a.ImulRR(S64, RSI, RSI)
	a.Bind(skip)
	a.ImulRR(S64, RAX, RSI)
	a.Jcc(E, skip)
	a.TestRI(S8, RDX, 1)
	a.Jcc(E, done)
	a.TestRR(S64, RDX, RDX)
	a.Bind(top)
	a.Jcc(S, neg)
	a.TestRR(S64, RDX, RDX)
	a.MovRI(RAX, 1)
	a.Bind(ipow)

	blk, err := a.Install(l.Mem)
	if err != nil {
		return err
	}
	n := a.Buf.Len()
	addr := func(lb Label) uintptr {
		p, _ := a.LabelPos(lb)
		return PosAddr(p, n, blk.Addr)
	}
	l.helpers = blk
	l.ipow, l.fmod = addr(ipow), addr(fmod)
	l.sse41 = hasSSE41(addr(cpuid))
	return nil
}

// HelperAddrs returns the addresses of the integer POW and float MOD
// helpers, for tests and for VMs that call them from their own code.
func (l *Lowerer) HelperAddrs() (ipow, fmod uintptr) { return l.ipow, l.fmod }
