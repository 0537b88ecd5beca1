package arm64

// -- Operand checks ----------------------------------------------------------

// sf is the size bit of an instruction whose width follows r.
func sf(r Reg) uint32 {
	if r.Is32() {
		return 0
	}
	return 1 << 31
}

// zr checks a slot where number 31 is the zero register.
func (a *Asm) zr(op string, r Reg) bool {
	if r&(0x80|spbit) == 0 {
		return true
	}
	a.fail("%s: %v not allowed here", op, r)
	return false
}

// sp checks a slot where number 31 is the stack pointer.
func (a *Asm) sp(op string, r Reg) bool {
	if r < 0x80 && r&(spbit|31) != 31 && (r&spbit == 0 || r&31 == 31) {
		return true
	}
	a.fail("%s: %v not allowed here", op, r)
	return false
}

// wr refuses X18 and X28 as destinations unless AllowReserved is set:
// the platform register and Go's goroutine pointer must never be written.
func (a *Asm) wr(op string, r Reg) bool {
	if n := r & (spbit | 31); n != 18 && n != 28 || a.AllowReserved {
		return true
	}
	a.fail("%s: writes %v, which generated code must never write", op, r)
	return false
}

// same checks that two registers have the same width.
func (a *Asm) same(op string, r1, r2 Reg) bool {
	if (r1^r2)&wbit == 0 {
		return true
	}
	a.fail("%s: mixed register widths %v and %v", op, r1, r2)
	return false
}

// rrr checks three zero-register slots of equal width.
func (a *Asm) rrr(op string, rd, rn, rm Reg) bool {
	if (rd|rn|rm)&(0x80|spbit) == 0 && (rd^rn|rd^rm)&wbit == 0 {
		return true
	}
	return a.zr(op, rd) && a.zr(op, rn) && a.zr(op, rm) && a.same(op, rd, rn) && a.same(op, rd, rm)
}

// -- Add and subtract --------------------------------------------------------

const (
	opSub = 1 << 30
	opS   = 1 << 29
)

// Add emits add rd, rn, rm. If rd or rn is SP, the extended-register form
// is used, as assemblers do.
func (a *Asm) Add(rd, rn, rm Reg) { a.addReg(0, "add", rd, rn, rm, LSL, 0) }

// Adds emits adds (add, setting flags).
func (a *Asm) Adds(rd, rn, rm Reg) { a.addReg(opS, "adds", rd, rn, rm, LSL, 0) }

// Sub emits sub rd, rn, rm.
func (a *Asm) Sub(rd, rn, rm Reg) { a.addReg(opSub, "sub", rd, rn, rm, LSL, 0) }

// Subs emits subs (subtract, setting flags).
func (a *Asm) Subs(rd, rn, rm Reg) { a.addReg(opSub|opS, "subs", rd, rn, rm, LSL, 0) }

// Cmp emits cmp rn, rm (subs into the zero register).
func (a *Asm) Cmp(rn, rm Reg) { a.addReg(opSub|opS, "cmp", zrOf(rn), rn, rm, LSL, 0) }

// Cmn emits cmn rn, rm (adds into the zero register).
func (a *Asm) Cmn(rn, rm Reg) { a.addReg(opS, "cmn", zrOf(rn), rn, rm, LSL, 0) }

// Neg emits neg rd, rm (sub from the zero register).
func (a *Asm) Neg(rd, rm Reg) { a.addReg(opSub, "neg", rd, zrOf(rd), rm, LSL, 0) }

// Negs emits negs rd, rm.
func (a *Asm) Negs(rd, rm Reg) { a.addReg(opSub|opS, "negs", rd, zrOf(rd), rm, LSL, 0) }

// AddShift emits add rd, rn, rm, shift #amt (shift LSL, LSR or ASR).
func (a *Asm) AddShift(rd, rn, rm Reg, s Shift, amt uint) {
	a.addReg(0, "add", rd, rn, rm, s, amt)
}

// SubShift emits sub rd, rn, rm, shift #amt.
func (a *Asm) SubShift(rd, rn, rm Reg, s Shift, amt uint) {
	a.addReg(opSub, "sub", rd, rn, rm, s, amt)
}

// AddsShift emits adds rd, rn, rm, shift #amt.
func (a *Asm) AddsShift(rd, rn, rm Reg, s Shift, amt uint) {
	a.addReg(opS, "adds", rd, rn, rm, s, amt)
}

// SubsShift emits subs rd, rn, rm, shift #amt.
func (a *Asm) SubsShift(rd, rn, rm Reg, s Shift, amt uint) {
	a.addReg(opSub|opS, "subs", rd, rn, rm, s, amt)
}

func zrOf(r Reg) Reg {
	if r.Is32() {
		return WZR
	}
	return XZR
}

func (a *Asm) addReg(op uint32, name string, rd, rn, rm Reg, s Shift, amt uint) {
	if !a.wr(name, rd) {
		return
	}
	if (rd.IsSP() && op&opS == 0 || rn.IsSP()) && s == LSL && amt == 0 {
		e := UXTX
		if rd.Is32() {
			e = UXTW
		}
		a.addExt(op, name, rd, rn, rm, e, 0)
		return
	}
	if !a.rrr(name, rd, rn, rm) {
		return
	}
	if s > ASR || amt >= 64 || rd.Is32() && amt >= 32 {
		a.fail("%s: bad shift %v #%d", name, s, amt)
		return
	}
	a.put(0x0b000000 | op | sf(rd) | uint32(s)<<22 | rm.Num()<<16 | uint32(amt)<<10 | rn.Num()<<5 | rd.Num())
}

// AddExt emits add rd, rn, rm, ext #amt (amt 0..4): rm is extended, then
// shifted. rm is a W register except with UXTX and SXTX. rd and rn may be SP.
func (a *Asm) AddExt(rd, rn, rm Reg, e Ext, amt uint) { a.addExt(0, "add", rd, rn, rm, e, amt) }

// SubExt emits sub rd, rn, rm, ext #amt.
func (a *Asm) SubExt(rd, rn, rm Reg, e Ext, amt uint) { a.addExt(opSub, "sub", rd, rn, rm, e, amt) }

// AddsExt emits adds rd, rn, rm, ext #amt.
func (a *Asm) AddsExt(rd, rn, rm Reg, e Ext, amt uint) { a.addExt(opS, "adds", rd, rn, rm, e, amt) }

// SubsExt emits subs rd, rn, rm, ext #amt.
func (a *Asm) SubsExt(rd, rn, rm Reg, e Ext, amt uint) {
	a.addExt(opSub|opS, "subs", rd, rn, rm, e, amt)
}

func (a *Asm) addExt(op uint32, name string, rd, rn, rm Reg, e Ext, amt uint) {
	if !a.wr(name, rd) {
		return
	}
	okd := op&opS != 0 && a.zr(name, rd) || op&opS == 0 && a.sp(name, rd)
	if !okd || !a.sp(name, rn) || !a.zr(name, rm) || !a.same(name, rd, rn) {
		return
	}
	if e > SXTX || amt > 4 {
		a.fail("%s: bad extension %v #%d", name, e, amt)
		return
	}
	if wantW := rd.Is32() || e&3 != 3; rm.Is32() != wantW {
		a.fail("%s: %v does not match extension %v", name, rm, e)
		return
	}
	a.put(0x0b200000 | op | sf(rd) | rm.Num()<<16 | uint32(e)<<13 | uint32(amt)<<10 | rn.Num()<<5 | rd.Num())
}

// AddImm emits rd = rn + imm with add or sub (whichever takes |imm|), the
// immediate being 12 bits, optionally shifted by 12 (see AddImmOK). rd and
// rn may be SP.
func (a *Asm) AddImm(rd, rn Reg, imm int64) { a.addImm(0, "add", rd, rn, imm) }

// SubImm emits rd = rn - imm.
func (a *Asm) SubImm(rd, rn Reg, imm int64) { a.addImm(opSub, "sub", rd, rn, imm) }

// AddsImm emits rd = rn + imm, setting flags.
func (a *Asm) AddsImm(rd, rn Reg, imm int64) { a.addImm(opS, "adds", rd, rn, imm) }

// SubsImm emits rd = rn - imm, setting flags.
func (a *Asm) SubsImm(rd, rn Reg, imm int64) { a.addImm(opSub|opS, "subs", rd, rn, imm) }

// CmpImm emits cmp rn, #imm (cmn for a negative imm).
func (a *Asm) CmpImm(rn Reg, imm int64) { a.addImm(opSub|opS, "cmp", zrOf(rn), rn, imm) }

// CmnImm emits cmn rn, #imm.
func (a *Asm) CmnImm(rn Reg, imm int64) { a.addImm(opS, "cmn", zrOf(rn), rn, imm) }

func (a *Asm) addImm(op uint32, name string, rd, rn Reg, imm int64) {
	if !a.wr(name, rd) {
		return
	}
	okd := op&opS != 0 && a.zr(name, rd) || op&opS == 0 && a.sp(name, rd)
	if !okd || !a.sp(name, rn) || !a.same(name, rd, rn) {
		return
	}
	if rd.Is32() && (imm > 0xffffffff || imm < -0xffffffff) {
		a.fail("%s: immediate %d does not fit 32 bits", name, imm)
		return
	}
	f, neg, ok := addImm(imm)
	if !ok {
		a.fail("%s: immediate %d not encodable", name, imm)
		return
	}
	if neg {
		op ^= opSub
	}
	a.put(0x11000000 | op | sf(rd) | f | rn.Num()<<5 | rd.Num())
}

// Mov emits a register move: orr rd, zr, rm, or add rd, rn, #0 when either
// is SP.
func (a *Asm) Mov(rd, rm Reg) {
	if rd.IsSP() || rm.IsSP() {
		a.addImm(0, "mov", rd, rm, 0)
		return
	}
	a.logic(0x2a000000, "mov", rd, zrOf(rd), rm, LSL, 0)
}

// -- Add and subtract with carry ---------------------------------------------

// Adc emits adc rd, rn, rm (add with carry).
func (a *Asm) Adc(rd, rn, rm Reg) { a.carry(0x1a000000, "adc", rd, rn, rm) }

// Adcs emits adcs rd, rn, rm.
func (a *Asm) Adcs(rd, rn, rm Reg) { a.carry(0x3a000000, "adcs", rd, rn, rm) }

// Sbc emits sbc rd, rn, rm (subtract with carry).
func (a *Asm) Sbc(rd, rn, rm Reg) { a.carry(0x5a000000, "sbc", rd, rn, rm) }

// Sbcs emits sbcs rd, rn, rm.
func (a *Asm) Sbcs(rd, rn, rm Reg) { a.carry(0x7a000000, "sbcs", rd, rn, rm) }

func (a *Asm) carry(op uint32, name string, rd, rn, rm Reg) {
	if !a.wr(name, rd) {
		return
	}
	if a.rrr(name, rd, rn, rm) {
		a.put(op | sf(rd) | rm.Num()<<16 | rn.Num()<<5 | rd.Num())
	}
}

// -- Logical -----------------------------------------------------------------

// And emits and rd, rn, rm.
func (a *Asm) And(rd, rn, rm Reg) { a.logic(0x0a000000, "and", rd, rn, rm, LSL, 0) }

// Orr emits orr rd, rn, rm.
func (a *Asm) Orr(rd, rn, rm Reg) { a.logic(0x2a000000, "orr", rd, rn, rm, LSL, 0) }

// Eor emits eor rd, rn, rm.
func (a *Asm) Eor(rd, rn, rm Reg) { a.logic(0x4a000000, "eor", rd, rn, rm, LSL, 0) }

// Ands emits ands rd, rn, rm.
func (a *Asm) Ands(rd, rn, rm Reg) { a.logic(0x6a000000, "ands", rd, rn, rm, LSL, 0) }

// Bic emits bic rd, rn, rm (rn AND NOT rm).
func (a *Asm) Bic(rd, rn, rm Reg) { a.logic(0x0a200000, "bic", rd, rn, rm, LSL, 0) }

// Orn emits orn rd, rn, rm (rn OR NOT rm).
func (a *Asm) Orn(rd, rn, rm Reg) { a.logic(0x2a200000, "orn", rd, rn, rm, LSL, 0) }

// Eon emits eon rd, rn, rm (rn XOR NOT rm).
func (a *Asm) Eon(rd, rn, rm Reg) { a.logic(0x4a200000, "eon", rd, rn, rm, LSL, 0) }

// Bics emits bics rd, rn, rm.
func (a *Asm) Bics(rd, rn, rm Reg) { a.logic(0x6a200000, "bics", rd, rn, rm, LSL, 0) }

// Tst emits tst rn, rm (ands into the zero register).
func (a *Asm) Tst(rn, rm Reg) { a.logic(0x6a000000, "tst", zrOf(rn), rn, rm, LSL, 0) }

// Mvn emits mvn rd, rm (orn from the zero register).
func (a *Asm) Mvn(rd, rm Reg) { a.logic(0x2a200000, "mvn", rd, zrOf(rd), rm, LSL, 0) }

// LogicOp selects a logical operation for LogicShift.
type LogicOp uint8

// The logical operations, by their encoding (opc:N).
const (
	OpAnd LogicOp = iota
	OpBic
	OpOrr
	OpOrn
	OpEor
	OpEon
	OpAnds
	OpBics
)

var logicNames = [8]string{"and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"}

// LogicShift emits a logical operation with a shifted register:
// op rd, rn, rm, shift #amt (any Shift, including ROR).
func (a *Asm) LogicShift(op LogicOp, rd, rn, rm Reg, s Shift, amt uint) {
	if op > OpBics {
		a.fail("logic: bad op %d", op)
		return
	}
	a.logic(0x0a000000|uint32(op>>1)<<29|uint32(op&1)<<21, logicNames[op], rd, rn, rm, s, amt)
}

func (a *Asm) logic(op uint32, name string, rd, rn, rm Reg, s Shift, amt uint) {
	if !a.wr(name, rd) {
		return
	}
	if !a.rrr(name, rd, rn, rm) {
		return
	}
	if s > ROR || amt >= 64 || rd.Is32() && amt >= 32 {
		a.fail("%s: bad shift %v #%d", name, s, amt)
		return
	}
	a.put(op | sf(rd) | uint32(s)<<22 | rm.Num()<<16 | uint32(amt)<<10 | rn.Num()<<5 | rd.Num())
}

// AndImm emits and rd, rn, #imm. imm must be a logical immediate for rd's
// width (LogicalImm); otherwise nothing is emitted and an error is
// recorded, so check first and fall back to a register. rd may be SP.
func (a *Asm) AndImm(rd, rn Reg, imm uint64) { a.logicImm(0x12000000, "and", rd, rn, imm) }

// OrrImm emits orr rd, rn, #imm.
func (a *Asm) OrrImm(rd, rn Reg, imm uint64) { a.logicImm(0x32000000, "orr", rd, rn, imm) }

// EorImm emits eor rd, rn, #imm.
func (a *Asm) EorImm(rd, rn Reg, imm uint64) { a.logicImm(0x52000000, "eor", rd, rn, imm) }

// AndsImm emits ands rd, rn, #imm.
func (a *Asm) AndsImm(rd, rn Reg, imm uint64) { a.logicImm(0x72000000, "ands", rd, rn, imm) }

// TstImm emits tst rn, #imm.
func (a *Asm) TstImm(rn Reg, imm uint64) { a.logicImm(0x72000000, "tst", zrOf(rn), rn, imm) }

func (a *Asm) logicImm(op uint32, name string, rd, rn Reg, imm uint64) {
	if !a.wr(name, rd) {
		return
	}
	okd := op == 0x72000000 && a.zr(name, rd) || op != 0x72000000 && a.sp(name, rd)
	if !okd || !a.zr(name, rn) || !a.same(name, rd, rn) {
		return
	}
	f, ok := LogicalImm(imm, rd.Is32())
	if !ok {
		a.fail("%s: %#x is not a logical immediate", name, imm)
		return
	}
	a.put(op | sf(rd) | f<<10 | rn.Num()<<5 | rd.Num())
}

// -- Move wide and constants -------------------------------------------------

// Movz emits movz rd, #imm, lsl #shift (shift 0, 16, 32 or 48).
func (a *Asm) Movz(rd Reg, imm uint16, shift uint) { a.movWide(0x52800000, "movz", rd, imm, shift) }

// Movn emits movn rd, #imm, lsl #shift: rd = ^(imm << shift).
func (a *Asm) Movn(rd Reg, imm uint16, shift uint) { a.movWide(0x12800000, "movn", rd, imm, shift) }

// Movk emits movk rd, #imm, lsl #shift: replaces one halfword of rd.
func (a *Asm) Movk(rd Reg, imm uint16, shift uint) { a.movWide(0x72800000, "movk", rd, imm, shift) }

func (a *Asm) movWide(op uint32, name string, rd Reg, imm uint16, shift uint) {
	if !a.wr(name, rd) {
		return
	}
	if !a.zr(name, rd) {
		return
	}
	if shift&15 != 0 || shift > 48 || rd.Is32() && shift > 16 {
		a.fail("%s: bad shift %d", name, shift)
		return
	}
	a.put(op | sf(rd) | uint32(shift/16)<<21 | uint32(imm)<<5 | rd.Num())
}

// MovImm loads the constant v into rd with the shortest sequence: one movz,
// movn or orr with a logical immediate when any fits, otherwise movz or movn
// followed by movk for each remaining halfword, or orr followed by one or
// two movk when that is shorter. For a W register only the low 32 bits of v count.
// MovImmLen gives the length in advance.
func (a *Asm) MovImm(rd Reg, v uint64) {
	if !a.wr("mov", rd) {
		return
	}
	if !a.zr("mov", rd) {
		return
	}
	var p movPlan
	planMov(&p, v, rd.Is32())
	// Backwards: the movk instructions first, last halfword first.
	for i := 3; i >= 0; i-- {
		if p.movk[i] {
			a.put(0x72800000 | sf(rd) | uint32(i)<<21 | uint32(p.movkVal[i])<<5 | rd.Num())
		}
	}
	a.put(p.first | sf(rd) | rd.Num())
}

// -- Shifts and bitfields ----------------------------------------------------

// Lsl emits lslv: rd = rn << (rm mod width).
func (a *Asm) Lsl(rd, rn, rm Reg) { a.dp2(0x1ac02000, "lsl", rd, rn, rm) }

// Lsr emits lsrv: logical shift right by register.
func (a *Asm) Lsr(rd, rn, rm Reg) { a.dp2(0x1ac02400, "lsr", rd, rn, rm) }

// Asr emits asrv: arithmetic shift right by register.
func (a *Asm) Asr(rd, rn, rm Reg) { a.dp2(0x1ac02800, "asr", rd, rn, rm) }

// Ror emits rorv: rotate right by register.
func (a *Asm) Ror(rd, rn, rm Reg) { a.dp2(0x1ac02c00, "ror", rd, rn, rm) }

// Sdiv emits sdiv: signed division rounding toward zero. Division by zero
// gives 0 (no trap); MinInt / -1 gives MinInt.
func (a *Asm) Sdiv(rd, rn, rm Reg) { a.dp2(0x1ac00c00, "sdiv", rd, rn, rm) }

// Udiv emits udiv: unsigned division; division by zero gives 0.
func (a *Asm) Udiv(rd, rn, rm Reg) { a.dp2(0x1ac00800, "udiv", rd, rn, rm) }

func (a *Asm) dp2(op uint32, name string, rd, rn, rm Reg) {
	if !a.wr(name, rd) {
		return
	}
	if a.rrr(name, rd, rn, rm) {
		a.put(op | sf(rd) | rm.Num()<<16 | rn.Num()<<5 | rd.Num())
	}
}

func width(r Reg) uint {
	if r.Is32() {
		return 32
	}
	return 64
}

// LslImm emits lsl rd, rn, #sh (ubfm).
func (a *Asm) LslImm(rd, rn Reg, sh uint) {
	w := width(rd)
	if sh >= w {
		a.fail("lsl: shift %d out of range", sh)
		return
	}
	a.bitfield(0x53000000, "lsl", rd, rn, (w-sh)%w, w-1-sh)
}

// LsrImm emits lsr rd, rn, #sh (ubfm).
func (a *Asm) LsrImm(rd, rn Reg, sh uint) {
	if sh >= width(rd) {
		a.fail("lsr: shift %d out of range", sh)
		return
	}
	a.bitfield(0x53000000, "lsr", rd, rn, sh, width(rd)-1)
}

// AsrImm emits asr rd, rn, #sh (sbfm).
func (a *Asm) AsrImm(rd, rn Reg, sh uint) {
	if sh >= width(rd) {
		a.fail("asr: shift %d out of range", sh)
		return
	}
	a.bitfield(0x13000000, "asr", rd, rn, sh, width(rd)-1)
}

// RorImm emits ror rd, rn, #sh (extr rd, rn, rn, #sh).
func (a *Asm) RorImm(rd, rn Reg, sh uint) { a.Extr(rd, rn, rn, sh) }

// Extr emits extr rd, rn, rm, #lsb: the width bits of rn:rm starting at lsb.
func (a *Asm) Extr(rd, rn, rm Reg, lsb uint) {
	if !a.wr("extr", rd) {
		return
	}
	if !a.rrr("extr", rd, rn, rm) {
		return
	}
	if lsb >= width(rd) {
		a.fail("extr: lsb %d out of range", lsb)
		return
	}
	n := sf(rd) >> 9 // N equals sf, at bit 22
	a.put(0x13800000 | sf(rd) | n | rm.Num()<<16 | uint32(lsb)<<10 | rn.Num()<<5 | rd.Num())
}

// Ubfm emits ubfm rd, rn, #immr, #imms.
func (a *Asm) Ubfm(rd, rn Reg, immr, imms uint) { a.bitfield(0x53000000, "ubfm", rd, rn, immr, imms) }

// Sbfm emits sbfm rd, rn, #immr, #imms.
func (a *Asm) Sbfm(rd, rn Reg, immr, imms uint) { a.bitfield(0x13000000, "sbfm", rd, rn, immr, imms) }

// Bfm emits bfm rd, rn, #immr, #imms.
func (a *Asm) Bfm(rd, rn Reg, immr, imms uint) { a.bitfield(0x33000000, "bfm", rd, rn, immr, imms) }

// Ubfx emits ubfx rd, rn, #lsb, #width: extract width bits at lsb, zero-extended.
func (a *Asm) Ubfx(rd, rn Reg, lsb, w uint) { a.bfx(0x53000000, "ubfx", rd, rn, lsb, w) }

// Sbfx emits sbfx rd, rn, #lsb, #width: extract width bits at lsb, sign-extended.
func (a *Asm) Sbfx(rd, rn Reg, lsb, w uint) { a.bfx(0x13000000, "sbfx", rd, rn, lsb, w) }

// Bfxil emits bfxil rd, rn, #lsb, #width: copy width bits of rn at lsb to the bottom of rd.
func (a *Asm) Bfxil(rd, rn Reg, lsb, w uint) { a.bfx(0x33000000, "bfxil", rd, rn, lsb, w) }

func (a *Asm) bfx(op uint32, name string, rd, rn Reg, lsb, w uint) {
	if w == 0 || lsb+w > width(rd) {
		a.fail("%s: bad field #%d, #%d", name, lsb, w)
		return
	}
	a.bitfield(op, name, rd, rn, lsb, lsb+w-1)
}

// Ubfiz emits ubfiz rd, rn, #lsb, #width: the low width bits of rn, moved to lsb.
func (a *Asm) Ubfiz(rd, rn Reg, lsb, w uint) { a.bfi(0x53000000, "ubfiz", rd, rn, lsb, w) }

// Sbfiz emits sbfiz rd, rn, #lsb, #width, sign-extending the field.
func (a *Asm) Sbfiz(rd, rn Reg, lsb, w uint) { a.bfi(0x13000000, "sbfiz", rd, rn, lsb, w) }

// Bfi emits bfi rd, rn, #lsb, #width: insert the low width bits of rn at lsb.
func (a *Asm) Bfi(rd, rn Reg, lsb, w uint) { a.bfi(0x33000000, "bfi", rd, rn, lsb, w) }

func (a *Asm) bfi(op uint32, name string, rd, rn Reg, lsb, w uint) {
	rs := width(rd)
	if w == 0 || lsb >= rs || lsb+w > rs {
		a.fail("%s: bad field #%d, #%d", name, lsb, w)
		return
	}
	a.bitfield(op, name, rd, rn, (rs-lsb)%rs, w-1)
}

// Sxtb emits sxtb rd, rn: sign-extend the low byte of rn (a W register).
func (a *Asm) Sxtb(rd, rn Reg) { a.bitfield(0x13000000, "sxtb", rd, rn.As64()|rd&wbit, 0, 7) }

// Sxth emits sxth rd, rn: sign-extend the low halfword.
func (a *Asm) Sxth(rd, rn Reg) { a.bitfield(0x13000000, "sxth", rd, rn.As64()|rd&wbit, 0, 15) }

// Sxtw emits sxtw rd, rn: sign-extend the low word into an X register.
func (a *Asm) Sxtw(rd, rn Reg) {
	if rd.Is32() {
		a.fail("sxtw: destination must be an x register")
		return
	}
	a.bitfield(0x13000000, "sxtw", rd, rn.As64(), 0, 31)
}

// Uxtb emits uxtb rd, rn: zero-extend the low byte (into the W view).
func (a *Asm) Uxtb(rd, rn Reg) { a.bitfield(0x53000000, "uxtb", rd.As32(), rn.As32(), 0, 7) }

// Uxth emits uxth rd, rn: zero-extend the low halfword.
func (a *Asm) Uxth(rd, rn Reg) { a.bitfield(0x53000000, "uxth", rd.As32(), rn.As32(), 0, 15) }

// Uxtw emits mov wd, wn, which zero-extends the low word into rd.
func (a *Asm) Uxtw(rd, rn Reg) { a.Mov(rd.As32(), rn.As32()) }

func (a *Asm) bitfield(op uint32, name string, rd, rn Reg, immr, imms uint) {
	if !a.wr(name, rd) {
		return
	}
	if !a.zr(name, rd) || !a.zr(name, rn) || !a.same(name, rd, rn) {
		return
	}
	if immr >= width(rd) || imms >= width(rd) {
		a.fail("%s: bad immr/imms %d, %d", name, immr, imms)
		return
	}
	n := sf(rd) >> 9
	a.put(op | sf(rd) | n | uint32(immr)<<16 | uint32(imms)<<10 | rn.Num()<<5 | rd.Num())
}

// -- One-source data processing ---------------------------------------------

// Clz emits clz: count leading zeros.
func (a *Asm) Clz(rd, rn Reg) { a.dp1(0x5ac01000, "clz", rd, rn) }

// Cls emits cls: count leading sign bits.
func (a *Asm) Cls(rd, rn Reg) { a.dp1(0x5ac01400, "cls", rd, rn) }

// Rbit emits rbit: reverse the bit order.
func (a *Asm) Rbit(rd, rn Reg) { a.dp1(0x5ac00000, "rbit", rd, rn) }

// Rev emits rev: reverse the byte order of the whole register.
func (a *Asm) Rev(rd, rn Reg) {
	op := uint32(0x5ac00c00)
	if rd.Is32() {
		op = 0x5ac00800
	}
	a.dp1(op, "rev", rd, rn)
}

// Rev16 emits rev16: reverse the bytes in each halfword.
func (a *Asm) Rev16(rd, rn Reg) { a.dp1(0x5ac00400, "rev16", rd, rn) }

func (a *Asm) dp1(op uint32, name string, rd, rn Reg) {
	if !a.wr(name, rd) {
		return
	}
	if a.zr(name, rd) && a.zr(name, rn) && a.same(name, rd, rn) {
		a.put(op | sf(rd) | rn.Num()<<5 | rd.Num())
	}
}

// -- Multiply ----------------------------------------------------------------

// Mul emits mul rd, rn, rm (madd with the zero register).
func (a *Asm) Mul(rd, rn, rm Reg) { a.dp3(0x1b000000, "mul", rd, rn, rm, zrOf(rd)) }

// Mneg emits mneg rd, rn, rm: rd = -(rn*rm).
func (a *Asm) Mneg(rd, rn, rm Reg) { a.dp3(0x1b008000, "mneg", rd, rn, rm, zrOf(rd)) }

// Madd emits madd rd, rn, rm, ra: rd = ra + rn*rm.
func (a *Asm) Madd(rd, rn, rm, ra Reg) { a.dp3(0x1b000000, "madd", rd, rn, rm, ra) }

// Msub emits msub rd, rn, rm, ra: rd = ra - rn*rm (the remainder after a division).
func (a *Asm) Msub(rd, rn, rm, ra Reg) { a.dp3(0x1b008000, "msub", rd, rn, rm, ra) }

func (a *Asm) dp3(op uint32, name string, rd, rn, rm, ra Reg) {
	if !a.wr(name, rd) {
		return
	}
	if a.rrr(name, rd, rn, rm) && a.zr(name, ra) && a.same(name, rd, ra) {
		a.put(op | sf(rd) | rm.Num()<<16 | ra.Num()<<10 | rn.Num()<<5 | rd.Num())
	}
}

// Smulh emits smulh: the high 64 bits of the signed 128-bit product (X registers).
func (a *Asm) Smulh(rd, rn, rm Reg) { a.mulLong(0x9b407c00, "smulh", rd, rn, rm, XZR, false) }

// Umulh emits umulh: the high 64 bits of the unsigned product.
func (a *Asm) Umulh(rd, rn, rm Reg) { a.mulLong(0x9bc07c00, "umulh", rd, rn, rm, XZR, false) }

// Smull emits smull xd, wn, wm: the signed 64-bit product of two words.
func (a *Asm) Smull(rd, rn, rm Reg) { a.mulLong(0x9b200000, "smull", rd, rn, rm, XZR, true) }

// Umull emits umull xd, wn, wm.
func (a *Asm) Umull(rd, rn, rm Reg) { a.mulLong(0x9ba00000, "umull", rd, rn, rm, XZR, true) }

// Smaddl emits smaddl xd, wn, wm, xa.
func (a *Asm) Smaddl(rd, rn, rm, ra Reg) { a.mulLong(0x9b200000, "smaddl", rd, rn, rm, ra, true) }

// Umaddl emits umaddl xd, wn, wm, xa.
func (a *Asm) Umaddl(rd, rn, rm, ra Reg) { a.mulLong(0x9ba00000, "umaddl", rd, rn, rm, ra, true) }

func (a *Asm) mulLong(op uint32, name string, rd, rn, rm, ra Reg, wsrc bool) {
	if !a.wr(name, rd) {
		return
	}
	if !a.zr(name, rd) || !a.zr(name, rn) || !a.zr(name, rm) || !a.zr(name, ra) {
		return
	}
	if rd.Is32() || ra.Is32() || rn.Is32() != wsrc || rm.Is32() != wsrc {
		a.fail("%s: wrong register widths", name)
		return
	}
	a.put(op | rm.Num()<<16 | ra.Num()<<10 | rn.Num()<<5 | rd.Num())
}

// -- Conditional select and compare -----------------------------------------

// Csel emits csel rd, rn, rm, c: rd = c ? rn : rm.
func (a *Asm) Csel(rd, rn, rm Reg, c Cond) { a.csel(0x1a800000, "csel", rd, rn, rm, c) }

// Csinc emits csinc rd, rn, rm, c: rd = c ? rn : rm+1.
func (a *Asm) Csinc(rd, rn, rm Reg, c Cond) { a.csel(0x1a800400, "csinc", rd, rn, rm, c) }

// Csinv emits csinv rd, rn, rm, c: rd = c ? rn : ^rm.
func (a *Asm) Csinv(rd, rn, rm Reg, c Cond) { a.csel(0x5a800000, "csinv", rd, rn, rm, c) }

// Csneg emits csneg rd, rn, rm, c: rd = c ? rn : -rm.
func (a *Asm) Csneg(rd, rn, rm Reg, c Cond) { a.csel(0x5a800400, "csneg", rd, rn, rm, c) }

// Cset emits cset rd, c: rd = c ? 1 : 0. c must not be AL or NV.
func (a *Asm) Cset(rd Reg, c Cond) {
	if a.alias("cset", c) {
		a.csel(0x1a800400, "cset", rd, zrOf(rd), zrOf(rd), c.Invert())
	}
}

// Csetm emits csetm rd, c: rd = c ? -1 : 0.
func (a *Asm) Csetm(rd Reg, c Cond) {
	if a.alias("csetm", c) {
		a.csel(0x5a800000, "csetm", rd, zrOf(rd), zrOf(rd), c.Invert())
	}
}

// Cinc emits cinc rd, rn, c: rd = c ? rn+1 : rn.
func (a *Asm) Cinc(rd, rn Reg, c Cond) {
	if a.alias("cinc", c) {
		a.csel(0x1a800400, "cinc", rd, rn, rn, c.Invert())
	}
}

// Cneg emits cneg rd, rn, c: rd = c ? -rn : rn.
func (a *Asm) Cneg(rd, rn Reg, c Cond) {
	if a.alias("cneg", c) {
		a.csel(0x5a800400, "cneg", rd, rn, rn, c.Invert())
	}
}

func (a *Asm) alias(name string, c Cond) bool {
	if c >= AL {
		a.fail("%s: condition %v not allowed", name, c)
		return false
	}
	return true
}

func (a *Asm) csel(op uint32, name string, rd, rn, rm Reg, c Cond) {
	if !a.wr(name, rd) {
		return
	}
	if !a.rrr(name, rd, rn, rm) {
		return
	}
	if c > NV {
		a.fail("%s: bad condition %d", name, c)
		return
	}
	a.put(op | sf(rd) | rm.Num()<<16 | uint32(c)<<12 | rn.Num()<<5 | rd.Num())
}

// Ccmp emits ccmp rn, rm, #nzcv, c: if c then flags = cmp rn, rm else flags = nzcv.
func (a *Asm) Ccmp(rn, rm Reg, nzcv uint8, c Cond) {
	a.ccmp(0x7a400000, "ccmp", rn, rm.Num(), rm, nzcv, c)
}

// Ccmn emits ccmn rn, rm, #nzcv, c.
func (a *Asm) Ccmn(rn, rm Reg, nzcv uint8, c Cond) {
	a.ccmp(0x3a400000, "ccmn", rn, rm.Num(), rm, nzcv, c)
}

// CcmpImm emits ccmp rn, #imm, #nzcv, c with imm 0..31.
func (a *Asm) CcmpImm(rn Reg, imm uint8, nzcv uint8, c Cond) {
	a.ccmpImm(0x7a400800, "ccmp", rn, imm, nzcv, c)
}

// CcmnImm emits ccmn rn, #imm, #nzcv, c with imm 0..31.
func (a *Asm) CcmnImm(rn Reg, imm uint8, nzcv uint8, c Cond) {
	a.ccmpImm(0x3a400800, "ccmn", rn, imm, nzcv, c)
}

func (a *Asm) ccmpImm(op uint32, name string, rn Reg, imm, nzcv uint8, c Cond) {
	if imm > 31 {
		a.fail("%s: immediate %d out of range", name, imm)
		return
	}
	a.ccmp(op, name, rn, uint32(imm), rn, nzcv, c)
}

func (a *Asm) ccmp(op uint32, name string, rn Reg, m uint32, rm Reg, nzcv uint8, c Cond) {
	if !a.zr(name, rn) || !a.zr(name, rm) || !a.same(name, rn, rm) {
		return
	}
	if nzcv > 15 || c > NV {
		a.fail("%s: bad nzcv %d or condition %d", name, nzcv, c)
		return
	}
	a.put(op | sf(rn) | m<<16 | uint32(c)<<12 | rn.Num()<<5 | uint32(nzcv))
}
