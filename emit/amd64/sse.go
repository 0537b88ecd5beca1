package amd64

// -- Scalar double precision (SSE2) -------------------------------------------

// Sse is a two-operand SSE operation on double-precision values, one row of
// the sseOps table. The destination is always an SSE register.
type Sse uint8

// SSE operations. The "sd" ones work on the low double of each register;
// the "pd"/"ps" bitwise ones on the whole register (for abs, negation and
// zeroing with a mask constant); MOVAPD and MOVAPS copy a whole register.
const (
	ADDSD Sse = iota
	SUBSD
	MULSD
	DIVSD
	MINSD
	MAXSD
	SQRTSD
	MOVSD    // load form: dst = [m] (or the low double of src)
	UCOMISD  // flags: ZF,PF,CF from an unordered compare (PF=1: NaN)
	COMISD   // like UCOMISD but signals on quiet NaNs
	ANDPD    // dst &= src
	ANDNPD   // dst = ^dst & src
	ORPD     // dst |= src
	XORPD    // dst ^= src
	MOVAPD   // whole-register copy (66 0F 28)
	MOVAPS   // whole-register copy, one byte shorter
	XORPS    // dst ^= src, one byte shorter than XORPD
	CVTSS2SD // float32 -> float64
	CVTSD2SS // float64 -> float32
	PXOR     // integer xor, the usual zeroing idiom
	MOVSS    // load of a float32
)

var sseOps = [...]struct {
	name string
	p    byte // mandatory prefix (0 for none)
	op   byte // second opcode byte after 0F
}{
	ADDSD:    {"addsd", 0xF2, 0x58},
	SUBSD:    {"subsd", 0xF2, 0x5C},
	MULSD:    {"mulsd", 0xF2, 0x59},
	DIVSD:    {"divsd", 0xF2, 0x5E},
	MINSD:    {"minsd", 0xF2, 0x5D},
	MAXSD:    {"maxsd", 0xF2, 0x5F},
	SQRTSD:   {"sqrtsd", 0xF2, 0x51},
	MOVSD:    {"movsd", 0xF2, 0x10},
	UCOMISD:  {"ucomisd", 0x66, 0x2E},
	COMISD:   {"comisd", 0x66, 0x2F},
	ANDPD:    {"andpd", 0x66, 0x54},
	ANDNPD:   {"andnpd", 0x66, 0x55},
	ORPD:     {"orpd", 0x66, 0x56},
	XORPD:    {"xorpd", 0x66, 0x57},
	MOVAPD:   {"movapd", 0x66, 0x28},
	MOVAPS:   {"movaps", 0, 0x28},
	XORPS:    {"xorps", 0, 0x57},
	CVTSS2SD: {"cvtss2sd", 0xF3, 0x5A},
	CVTSD2SS: {"cvtsd2ss", 0xF2, 0x5A},
	PXOR:     {"pxor", 0x66, 0xEF},
	MOVSS:    {"movss", 0xF3, 0x10},
}

// String is the mnemonic.
func (op Sse) String() string {
	if int(op) < len(sseOps) {
		return sseOps[op].name
	}
	return "sse?"
}

// SseRR emits dst = dst op src on SSE registers (for MOVSD/MOVSS: the low
// element of dst = that of src).
func (a *Asm) SseRR(op Sse, dst, src Reg) {
	if int(op) >= len(sseOps) {
		a.fail("bad SSE operation %d", op)
		return
	}
	if !a.xmm2(sseOps[op].name, dst, src) {
		return
	}
	e := &sseOps[op]
	a.emitRR(e.p, 0, op2(0x0F, e.op), dst.Num(), src.Num(), false, 0, 0)
}

// SseRM emits dst = dst op [m] (MOVSD: dst = [m], upper half cleared).
// Packed operations (ANDPD, MOVAPS, ...) need a 16-byte aligned m.
func (a *Asm) SseRM(op Sse, dst Reg, m Mem) {
	if int(op) >= len(sseOps) {
		a.fail("bad SSE operation %d", op)
		return
	}
	if !a.xmm(sseOps[op].name, dst) || !a.checkMem(m) {
		return
	}
	e := &sseOps[op]
	a.emitRM(e.p, 0, op2(0x0F, e.op), dst.Num(), m, false, 0, 0)
}

// StoreSD emits [m] = the low double of src (movsd store form).
func (a *Asm) StoreSD(m Mem, src Reg) {
	if !a.xmm("movsd", src) || !a.checkMem(m) {
		return
	}
	a.emitRM(0xF2, 0, op2(0x0F, 0x11), src.Num(), m, false, 0, 0)
}

// StoreSS emits [m] = the low float of src (movss store form).
func (a *Asm) StoreSS(m Mem, src Reg) {
	if !a.xmm("movss", src) || !a.checkMem(m) {
		return
	}
	a.emitRM(0xF3, 0, op2(0x0F, 0x11), src.Num(), m, false, 0, 0)
}

// LoadSD emits dst = [m] (a double; the upper half of dst is cleared).
func (a *Asm) LoadSD(dst Reg, m Mem) { a.SseRM(MOVSD, dst, m) }

// MovX emits a whole-register copy dst = src of SSE registers (movaps).
func (a *Asm) MovX(dst, src Reg) { a.SseRR(MOVAPS, dst, src) }

// Round is the rounding mode of Roundsd.
type Round uint8

// Rounding modes (bits 0-1 of the roundsd immediate; bit 3 suppresses the
// precision exception, as every caller wants).
const (
	RoundNearest Round = 8 | 0
	RoundFloor   Round = 8 | 1
	RoundCeil    Round = 8 | 2
	RoundTrunc   Round = 8 | 3
)

// Roundsd emits dst = round(src) in mode r (SSE4.1: floor, ceil, trunc).
func (a *Asm) Roundsd(dst, src Reg, r Round) {
	if !a.xmm2("roundsd", dst, src) {
		return
	}
	a.emitRR(0x66, 0, op3(0x0F, 0x3A, 0x0B), dst.Num(), src.Num(), false, 1, int64(r&15))
}

// -- Conversions and moves between register files -----------------------------

// Cvtsi2sd emits dst = float64(src), src a signed integer of size S32 or
// S64. Only the low double of dst is written, which makes the instruction
// depend on dst's old value: zero dst first (XORPS) in hot loops.
func (a *Asm) Cvtsi2sd(s Size, dst, src Reg) {
	if !a.xmm("cvtsi2sd", dst) || !a.gp("cvtsi2sd", src) || !a.size("cvtsi2sd", s, sizes3264) {
		return
	}
	a.emitRR(0xF2, wbit(s), op2(0x0F, 0x2A), dst.Num(), src.Num(), false, 0, 0)
}

// Cvtsi2sdM emits dst = float64([m]), an s-byte signed integer in memory.
func (a *Asm) Cvtsi2sdM(s Size, dst Reg, m Mem) {
	if !a.xmm("cvtsi2sd", dst) || !a.size("cvtsi2sd", s, sizes3264) || !a.checkMem(m) {
		return
	}
	a.emitRM(0xF2, wbit(s), op2(0x0F, 0x2A), dst.Num(), m, false, 0, 0)
}

// Cvttsd2si emits dst = int(src) truncated toward zero, at size S32 or
// S64. Out-of-range values and NaN give the "integer indefinite" value
// (only the sign bit set).
func (a *Asm) Cvttsd2si(s Size, dst, src Reg) { a.cvtsd2si(0x2C, "cvttsd2si", s, dst, src) }

// Cvtsd2si emits dst = int(src) rounded in the current rounding mode
// (nearest-even unless MXCSR was changed).
func (a *Asm) Cvtsd2si(s Size, dst, src Reg) { a.cvtsd2si(0x2D, "cvtsd2si", s, dst, src) }

func (a *Asm) cvtsd2si(op byte, name string, s Size, dst, src Reg) {
	if !a.gp(name, dst) || !a.xmm(name, src) || !a.size(name, s, sizes3264) {
		return
	}
	a.emitRR(0xF2, wbit(s), op2(0x0F, op), dst.Num(), src.Num(), false, 0, 0)
}

// MovGX emits dst = src moving bits from a general register to an SSE one
// (movd at S32, movq at S64); the rest of dst is cleared.
func (a *Asm) MovGX(s Size, dst, src Reg) {
	if !a.xmm("movq", dst) || !a.gp("movq", src) || !a.size("movq", s, sizes3264) {
		return
	}
	a.emitRR(0x66, wbit(s), op2(0x0F, 0x6E), dst.Num(), src.Num(), false, 0, 0)
}

// MovXG emits dst = the low s bytes of src, moving bits from an SSE
// register to a general one (movd at S32, movq at S64).
func (a *Asm) MovXG(s Size, dst, src Reg) {
	if !a.gp("movq", dst) || !a.xmm("movq", src) || !a.size("movq", s, sizes3264) {
		return
	}
	a.emitRR(0x66, wbit(s), op2(0x0F, 0x7E), src.Num(), dst.Num(), false, 0, 0)
}
