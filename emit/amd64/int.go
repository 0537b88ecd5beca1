package amd64

// -- Integer arithmetic ------------------------------------------------------

// Alu is one of the eight classic two-operand ALU operations; its value is
// the opcode extension of forms 80/81/83 and bits 3-5 of the register forms.
type Alu uint8

// ALU operations.
const (
	ADD Alu = iota
	OR
	ADC
	SBB
	AND
	SUB
	XOR
	CMP
)

var aluNames = [8]string{"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"}

// String is the mnemonic.
func (op Alu) String() string { return aluNames[op&7] }

// byteOp clears the low opcode bit for 8-bit forms (88/89, 00/01, ...).
func byteOp(s Size, o opcode) opcode {
	if s == S8 {
		return o &^ 1
	}
	return o
}

// AluRR emits dst = dst op src at size s (cmp only sets flags). It uses the
// "op r/m, r" form (01, 09, ...) as GNU as does.
func (a *Asm) AluRR(op Alu, s Size, dst, src Reg) {
	if !a.gp2("alu", dst, src) || !a.size("alu", s, sizes) {
		return
	}
	a.emitRR(opsize(s), wbit(s), byteOp(s, op1(byte(op&7)<<3|1)), src.Num(), dst.Num(),
		byteReg(s, dst) || byteReg(s, src), 0, 0)
}

// AluRI emits dst = dst op imm at size s, choosing the shortest form: a
// sign-extended imm8 (83), the accumulator form for RAX (05, 0D, ...) or a
// full immediate (81). At S64 imm is sign-extended from 32 bits; at S8 and
// S16 only its low bits are used.
func (a *Asm) AluRI(op Alu, s Size, dst Reg, imm int32) {
	if !a.gp("alu", dst) || !a.size("alu", s, sizes) {
		return
	}
	p, w, v := opsize(s), wbit(s), sizedImm(s, imm)
	switch {
	case s == S8 && dst == RAX:
		a.emitO(0, 0, op1(byte(op&7)<<3|4), 0, 1, v)
	case s == S8:
		a.emitRR(0, 0, op1(0x80), byte(op&7), dst.Num(), byteReg(s, dst), 1, v)
	case fits8(v):
		a.emitRR(p, w, op1(0x83), byte(op&7), dst.Num(), false, 1, v)
	case dst == RAX:
		a.emitO(p, w, op1(byte(op&7)<<3|5), 0, immSize(s), v)
	default:
		a.emitRR(p, w, op1(0x81), byte(op&7), dst.Num(), false, immSize(s), v)
	}
}

// AluRM emits dst = dst op [m].
func (a *Asm) AluRM(op Alu, s Size, dst Reg, m Mem) {
	if !a.gp("alu", dst) || !a.size("alu", s, sizes) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), byteOp(s, op1(byte(op&7)<<3|3)), dst.Num(), m, byteReg(s, dst), 0, 0)
}

// AluMR emits [m] = [m] op src.
func (a *Asm) AluMR(op Alu, s Size, m Mem, src Reg) {
	if !a.gp("alu", src) || !a.size("alu", s, sizes) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), byteOp(s, op1(byte(op&7)<<3|1)), src.Num(), m, byteReg(s, src), 0, 0)
}

// AluMI emits [m] = [m] op imm, with a sign-extended imm8 where it fits.
func (a *Asm) AluMI(op Alu, s Size, m Mem, imm int32) {
	if !a.size("alu", s, sizes) || !a.checkMem(m) {
		return
	}
	v := sizedImm(s, imm)
	switch {
	case s == S8:
		a.emitRM(0, 0, op1(0x80), byte(op&7), m, false, 1, v)
	case fits8(v):
		a.emitRM(opsize(s), wbit(s), op1(0x83), byte(op&7), m, false, 1, v)
	default:
		a.emitRM(opsize(s), wbit(s), op1(0x81), byte(op&7), m, false, immSize(s), v)
	}
}

// AddRR emits a 64-bit dst += src.
func (a *Asm) AddRR(dst, src Reg) { a.AluRR(ADD, S64, dst, src) }

// AddRI emits a 64-bit dst += imm.
func (a *Asm) AddRI(dst Reg, imm int32) { a.AluRI(ADD, S64, dst, imm) }

// SubRR emits a 64-bit dst -= src.
func (a *Asm) SubRR(dst, src Reg) { a.AluRR(SUB, S64, dst, src) }

// SubRI emits a 64-bit dst -= imm.
func (a *Asm) SubRI(dst Reg, imm int32) { a.AluRI(SUB, S64, dst, imm) }

// CmpRR emits a 64-bit compare of x with y (flags of x - y).
func (a *Asm) CmpRR(x, y Reg) { a.AluRR(CMP, S64, x, y) }

// CmpRI emits a 64-bit compare of x with imm.
func (a *Asm) CmpRI(x Reg, imm int32) { a.AluRI(CMP, S64, x, imm) }

// TestRR emits test x, y at size s (flags of x & y).
func (a *Asm) TestRR(s Size, x, y Reg) {
	if !a.gp2("test", x, y) || !a.size("test", s, sizes) {
		return
	}
	a.emitRR(opsize(s), wbit(s), byteOp(s, op1(0x85)), y.Num(), x.Num(), byteReg(s, x) || byteReg(s, y), 0, 0)
}

// TestRI emits test r, imm at size s (the accumulator form for RAX). At S64
// imm is sign-extended.
func (a *Asm) TestRI(s Size, r Reg, imm int32) {
	if !a.gp("test", r) || !a.size("test", s, sizes) {
		return
	}
	if r == RAX {
		a.emitO(opsize(s), wbit(s), byteOp(s, op1(0xA9)), 0, immSize(s), int64(imm))
		return
	}
	a.emitRR(opsize(s), wbit(s), byteOp(s, op1(0xF7)), 0, r.Num(), byteReg(s, r), immSize(s), int64(imm))
}

// TestMI emits test [m], imm at size s, e.g. a check of a type tag byte.
func (a *Asm) TestMI(s Size, m Mem, imm int32) {
	if !a.size("test", s, sizes) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), byteOp(s, op1(0xF7)), 0, m, false, immSize(s), int64(imm))
}

// Unop is a one-operand operation of the F6/F7 and FE/FF groups.
type Unop uint8

// One-operand operations. MUL, IMUL1, DIV and IDIV take RDX:RAX (or the
// narrower pair) as their implicit operand.
const (
	INC   Unop = iota // FF /0
	DEC               // FF /1
	NOT               // F7 /2
	NEG               // F7 /3
	MUL               // F7 /4: rdx:rax = rax * r, unsigned
	IMUL1             // F7 /5: rdx:rax = rax * r, signed
	DIV               // F7 /6: rax = rdx:rax / r, rdx = remainder, unsigned
	IDIV              // F7 /7: signed division
)

var unopNames = [8]string{"inc", "dec", "not", "neg", "mul", "imul", "div", "idiv"}

// String is the mnemonic.
func (op Unop) String() string { return unopNames[op&7] }

func (op Unop) enc(s Size) (opcode, byte) {
	o := byte(0xF7)
	if op <= DEC {
		o = 0xFF
	}
	return byteOp(s, op1(o)), byte(op & 7)
}

// UnopR emits op r at size s.
func (a *Asm) UnopR(op Unop, s Size, r Reg) {
	if op > IDIV {
		a.fail("bad unary operation %d", op)
		return
	}
	if !a.gp(op.String(), r) || !a.size(op.String(), s, sizes) {
		return
	}
	o, ext := op.enc(s)
	a.emitRR(opsize(s), wbit(s), o, ext, r.Num(), byteReg(s, r), 0, 0)
}

// UnopM emits op [m] at size s.
func (a *Asm) UnopM(op Unop, s Size, m Mem) {
	if op > IDIV {
		a.fail("bad unary operation %d", op)
		return
	}
	if !a.size(op.String(), s, sizes) || !a.checkMem(m) {
		return
	}
	o, ext := op.enc(s)
	a.emitRM(opsize(s), wbit(s), o, ext, m, false, 0, 0)
}

// Cqo emits cqo (sign-extend rax into rdx:rax), before a 64-bit idiv.
func (a *Asm) Cqo() { a.Buf.Put(0x48, 0x99) }

// Cdq emits cdq (sign-extend eax into edx:eax), before a 32-bit idiv.
func (a *Asm) Cdq() { a.Buf.Put1(0x99) }

// ImulRR emits dst *= src (signed, low half) at size s (16, 32 or 64).
func (a *Asm) ImulRR(s Size, dst, src Reg) {
	if !a.gp2("imul", dst, src) || !a.size("imul", s, sizesW) {
		return
	}
	a.emitRR(opsize(s), wbit(s), op2(0x0F, 0xAF), dst.Num(), src.Num(), false, 0, 0)
}

// ImulRM emits dst *= [m].
func (a *Asm) ImulRM(s Size, dst Reg, m Mem) {
	if !a.gp("imul", dst) || !a.size("imul", s, sizesW) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), op2(0x0F, 0xAF), dst.Num(), m, false, 0, 0)
}

// ImulRRI emits dst = src * imm (imm8 form where it fits).
func (a *Asm) ImulRRI(s Size, dst, src Reg, imm int32) {
	if !a.gp2("imul", dst, src) || !a.size("imul", s, sizesW) {
		return
	}
	if v := sizedImm(s, imm); fits8(v) {
		a.emitRR(opsize(s), wbit(s), op1(0x6B), dst.Num(), src.Num(), false, 1, v)
		return
	}
	a.emitRR(opsize(s), wbit(s), op1(0x69), dst.Num(), src.Num(), false, immSize(s), int64(imm))
}

// -- Shifts and rotates ------------------------------------------------------

// Shift is a shift or rotate; its value is the opcode extension of the
// C0/C1/D0/D1/D2/D3 group.
type Shift uint8

// Shifts and rotates.
const (
	ROL Shift = 0
	ROR Shift = 1
	SHL Shift = 4
	SHR Shift = 5
	SAR Shift = 7
)

var shiftNames = [8]string{"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"}

// String is the mnemonic.
func (op Shift) String() string { return shiftNames[op&7] }

func (a *Asm) shiftOK(op Shift, s Size, r Reg) bool {
	if op != ROL && op != ROR && op != SHL && op != SHR && op != SAR {
		a.fail("bad shift %d", op)
		return false
	}
	return a.gp(op.String(), r) && a.size(op.String(), s, sizes)
}

// ShiftRI emits r = r op n at size s; n is taken modulo 32 (64 at S64) as
// the hardware does, and n == 1 uses the short D1 form.
func (a *Asm) ShiftRI(op Shift, s Size, r Reg, n uint8) {
	if !a.shiftOK(op, s, r) {
		return
	}
	if n == 1 {
		a.emitRR(opsize(s), wbit(s), byteOp(s, op1(0xD1)), byte(op), r.Num(), byteReg(s, r), 0, 0)
		return
	}
	a.emitRR(opsize(s), wbit(s), byteOp(s, op1(0xC1)), byte(op), r.Num(), byteReg(s, r), 1, int64(n))
}

// ShiftRCL emits r = r op cl at size s (the count must be in RCX).
func (a *Asm) ShiftRCL(op Shift, s Size, r Reg) {
	if !a.shiftOK(op, s, r) {
		return
	}
	a.emitRR(opsize(s), wbit(s), byteOp(s, op1(0xD3)), byte(op), r.Num(), byteReg(s, r), 0, 0)
}

// -- Moves -------------------------------------------------------------------

// MovRR emits dst = src at size s (89 form, as GNU as). A 32-bit move
// zero-extends into the upper half.
func (a *Asm) MovRR(s Size, dst, src Reg) {
	if !a.gp2("mov", dst, src) || !a.size("mov", s, sizes) {
		return
	}
	a.emitRR(opsize(s), wbit(s), byteOp(s, op1(0x89)), src.Num(), dst.Num(),
		byteReg(s, dst) || byteReg(s, src), 0, 0)
}

// MovRI loads a 64-bit constant into r with the shortest encoding: xor
// r32,r32 for 0 (which clobbers the flags), mov r32, imm32 for values that
// zero-extend, mov r/m64, imm32 for values that sign-extend, and movabs
// otherwise. Use MovRIKeep between a compare and its branch.
func (a *Asm) MovRI(r Reg, imm int64) {
	if imm == 0 && r.IsGP() {
		a.AluRR(XOR, S32, r, r)
		return
	}
	a.MovRIKeep(r, imm)
}

// MovRIKeep is MovRI without the xor form: it leaves the flags alone.
func (a *Asm) MovRIKeep(r Reg, imm int64) {
	if !a.gp("mov", r) {
		return
	}
	switch {
	case imm >= 0 && imm <= 0xFFFFFFFF:
		a.emitO(0, 0, op1(0xB8), r.Num(), 4, imm)
	case imm == int64(int32(imm)):
		a.emitRR(0, rexW, op1(0xC7), 0, r.Num(), false, 4, imm)
	default:
		a.emitO(0, rexW, op1(0xB8), r.Num(), 8, imm)
	}
}

// Load emits dst = [m] for an s-byte value, zero- or sign-extended to 64
// bits: movzbl/movzwl (zero-extension to 32 bits clears the upper half
// too), movsbq/movswq/movslq, mov r32 and mov r64.
func (a *Asm) Load(s Size, signExt bool, dst Reg, m Mem) {
	if !a.gp("load", dst) || !a.size("load", s, sizes) || !a.checkMem(m) {
		return
	}
	d := dst.Num()
	switch {
	case s == S8 && !signExt:
		a.emitRM(0, 0, op2(0x0F, 0xB6), d, m, false, 0, 0)
	case s == S8:
		a.emitRM(0, rexW, op2(0x0F, 0xBE), d, m, false, 0, 0)
	case s == S16 && !signExt:
		a.emitRM(0, 0, op2(0x0F, 0xB7), d, m, false, 0, 0)
	case s == S16:
		a.emitRM(0, rexW, op2(0x0F, 0xBF), d, m, false, 0, 0)
	case s == S32 && signExt:
		a.emitRM(0, rexW, op1(0x63), d, m, false, 0, 0)
	default:
		a.emitRM(0, wbit(s), op1(0x8B), d, m, false, 0, 0)
	}
}

// ExtRR emits dst = src extended from its low s bytes, like Load.
func (a *Asm) ExtRR(s Size, signExt bool, dst, src Reg) {
	if !a.gp2("ext", dst, src) || !a.size("ext", s, sizes) {
		return
	}
	d, r := dst.Num(), src.Num()
	switch {
	case s == S8 && !signExt:
		a.emitRR(0, 0, op2(0x0F, 0xB6), d, r, byteReg(S8, src), 0, 0)
	case s == S8:
		a.emitRR(0, rexW, op2(0x0F, 0xBE), d, r, false, 0, 0)
	case s == S16 && !signExt:
		a.emitRR(0, 0, op2(0x0F, 0xB7), d, r, false, 0, 0)
	case s == S16:
		a.emitRR(0, rexW, op2(0x0F, 0xBF), d, r, false, 0, 0)
	case s == S32 && signExt:
		a.emitRR(0, rexW, op1(0x63), d, r, false, 0, 0)
	case s == S32:
		a.emitRR(0, 0, op1(0x89), r, d, false, 0, 0)
	default:
		a.emitRR(0, rexW, op1(0x89), r, d, false, 0, 0)
	}
}

// Store emits [m] = the low s bytes of src.
func (a *Asm) Store(s Size, m Mem, src Reg) {
	if !a.gp("store", src) || !a.size("store", s, sizes) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), byteOp(s, op1(0x89)), src.Num(), m, byteReg(s, src), 0, 0)
}

// StoreI emits [m] = imm at size s (sign-extended from 32 bits at S64).
func (a *Asm) StoreI(s Size, m Mem, imm int32) {
	if !a.size("store", s, sizes) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), byteOp(s, op1(0xC7)), 0, m, false, immSize(s), int64(imm))
}

// Lea emits dst = the address of m, at size S32 or S64.
func (a *Asm) Lea(s Size, dst Reg, m Mem) {
	if !a.gp("lea", dst) || !a.size("lea", s, sizes3264) || !a.checkMem(m) {
		return
	}
	a.emitRM(0, wbit(s), op1(0x8D), dst.Num(), m, false, 0, 0)
}

// Xchg swaps x and y (64-bit), with the one-byte 90+r form when either is
// RAX.
func (a *Asm) Xchg(x, y Reg) {
	if !a.gp2("xchg", x, y) {
		return
	}
	switch {
	case x == RAX && y == RAX:
		a.Buf.Put1(0x90) // REX.W is pointless: this is nop
	case x == RAX:
		a.emitO(0, rexW, op1(0x90), y.Num(), 0, 0)
	case y == RAX:
		a.emitO(0, rexW, op1(0x90), x.Num(), 0, 0)
	default:
		a.emitRR(0, rexW, op1(0x87), y.Num(), x.Num(), false, 0, 0)
	}
}

// Bswap emits a byte swap of r at size S32 or S64.
func (a *Asm) Bswap(s Size, r Reg) {
	if !a.gp("bswap", r) || !a.size("bswap", s, sizes3264) {
		return
	}
	a.emitO(0, wbit(s), op2(0x0F, 0xC8), r.Num(), 0, 0)
}

// -- Conditions --------------------------------------------------------------

// Setcc emits setcc r: the low byte of r = 1 if c holds, else 0. Follow it
// with ExtRR(S8, false, r, r) for a full-width boolean.
func (a *Asm) Setcc(c Cond, r Reg) {
	if !a.gp("set", r) {
		return
	}
	a.emitRR(0, 0, op2(0x0F, 0x90|byte(c&15)), 0, r.Num(), byteReg(S8, r), 0, 0)
}

// Cmov emits dst = src if c holds, at size S16, S32 or S64.
func (a *Asm) Cmov(c Cond, s Size, dst, src Reg) {
	if !a.gp2("cmov", dst, src) || !a.size("cmov", s, sizesW) {
		return
	}
	a.emitRR(opsize(s), wbit(s), op2(0x0F, 0x40|byte(c&15)), dst.Num(), src.Num(), false, 0, 0)
}

// CmovM emits dst = [m] if c holds. The load happens either way, so m
// must be readable.
func (a *Asm) CmovM(c Cond, s Size, dst Reg, m Mem) {
	if !a.gp("cmov", dst) || !a.size("cmov", s, sizesW) || !a.checkMem(m) {
		return
	}
	a.emitRM(opsize(s), wbit(s), op2(0x0F, 0x40|byte(c&15)), dst.Num(), m, false, 0, 0)
}

// -- Bit counting ------------------------------------------------------------

// Bit is a bit-scanning or counting operation.
type Bit uint8

// Bit operations. POPCNT, LZCNT and TZCNT need the POPCNT/ABM/BMI1 CPU
// features; BSF and BSR are in every x86-64 but leave dst undefined for a
// zero source.
const (
	BSF Bit = iota
	BSR
	POPCNT
	LZCNT
	TZCNT
)

var bitEnc = [...]struct {
	p  byte
	op byte
}{BSF: {0, 0xBC}, BSR: {0, 0xBD}, POPCNT: {0xF3, 0xB8}, LZCNT: {0xF3, 0xBD}, TZCNT: {0xF3, 0xBC}}

var bitNames = [...]string{"bsf", "bsr", "popcnt", "lzcnt", "tzcnt"}

// String is the mnemonic.
func (op Bit) String() string {
	if int(op) < len(bitNames) {
		return bitNames[op]
	}
	return "bit?"
}

// BitRR emits dst = op(src) at size S32 or S64.
func (a *Asm) BitRR(op Bit, s Size, dst, src Reg) {
	if int(op) >= len(bitEnc) {
		a.fail("bad bit operation %d", op)
		return
	}
	if !a.gp2(op.String(), dst, src) || !a.size(op.String(), s, sizes3264) {
		return
	}
	e := bitEnc[op]
	a.emitRR(e.p, wbit(s), op2(0x0F, e.op), dst.Num(), src.Num(), false, 0, 0)
}

// -- Stack -------------------------------------------------------------------

// Push emits push r (64-bit).
func (a *Asm) Push(r Reg) {
	if a.gp("push", r) {
		a.emitO(0, 0, op1(0x50), r.Num(), 0, 0)
	}
}

// Pop emits pop r (64-bit).
func (a *Asm) Pop(r Reg) {
	if a.gp("pop", r) {
		a.emitO(0, 0, op1(0x58), r.Num(), 0, 0)
	}
}
