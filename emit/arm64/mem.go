package arm64

import "fmt"

// -- Addressing --------------------------------------------------------------

// Size is the width of a memory access, as log2 of its bytes.
type Size uint8

// The access sizes.
const (
	Size8  Size = iota // byte: ldrb, strb, ldrsb
	Size16             // halfword: ldrh, strh, ldrsh
	Size32             // word: ldr w, str w, ldrsw
	Size64             // doubleword: ldr x, str x
)

// Bytes is the number of bytes the access moves.
func (s Size) Bytes() int { return 1 << s }

// Mode is an addressing mode.
type Mode uint8

// The addressing modes.
const (
	ModeOff  Mode = iota // [base, #off]: scaled unsigned 12-bit or unscaled signed 9-bit, chosen
	ModePre              // [base, #off]!: base += off, then access
	ModePost             // [base], #off: access, then base += off
	ModeReg              // [base, index{, ext/lsl #size}]
)

// Mem is a memory operand. Build it with Off, PreIndex, PostIndex, Idx,
// IdxScaled or IdxExt.
type Mem struct {
	Base   Reg   // x register or SP
	Index  Reg   // ModeReg: x register, or w register with UXTW/SXTW
	Off    int32 // byte offset for the immediate modes
	Mode   Mode
	Ext    Ext  // ModeReg: UXTX (plain lsl), UXTW, SXTW or SXTX
	Scaled bool // ModeReg: index shifted left by log2 of the access size
}

// Off is [base, #off]. The encoder uses the scaled unsigned form when off
// is a non-negative multiple of the access size below 4096 times it, and
// the unscaled signed form (ldur/stur) for -256..255 otherwise; MemOK says
// whether either fits.
func Off(base Reg, off int32) Mem { return Mem{Base: base, Off: off, Mode: ModeOff} }

// PreIndex is [base, #off]! with off in -256..255.
func PreIndex(base Reg, off int32) Mem { return Mem{Base: base, Off: off, Mode: ModePre} }

// PostIndex is [base], #off with off in -256..255.
func PostIndex(base Reg, off int32) Mem { return Mem{Base: base, Off: off, Mode: ModePost} }

// Idx is [base, index] with a 64-bit index.
func Idx(base, index Reg) Mem { return Mem{Base: base, Index: index, Mode: ModeReg, Ext: UXTX} }

// IdxScaled is [base, index, lsl #log2(size)]: index counts elements.
func IdxScaled(base, index Reg) Mem {
	return Mem{Base: base, Index: index, Mode: ModeReg, Ext: UXTX, Scaled: true}
}

// IdxExt is [base, windex, uxtw|sxtw {#log2(size)}]: a 32-bit index,
// zero- or sign-extended (or a 64-bit one with SXTX).
func IdxExt(base, index Reg, e Ext, scaled bool) Mem {
	return Mem{Base: base, Index: index, Mode: ModeReg, Ext: e, Scaled: scaled}
}

// String formats the operand as in assembly, for messages.
func (m Mem) String() string {
	switch m.Mode {
	case ModePre:
		return fmt.Sprintf("[%v, #%d]!", m.Base, m.Off)
	case ModePost:
		return fmt.Sprintf("[%v], #%d", m.Base, m.Off)
	case ModeReg:
		return fmt.Sprintf("[%v, %v, %v scaled=%v]", m.Base, m.Index, m.Ext, m.Scaled)
	}
	return fmt.Sprintf("[%v, #%d]", m.Base, m.Off)
}

// MemOK reports whether [base, #off] can be encoded for an access of size s.
func MemOK(s Size, off int64) bool {
	return off >= -256 && off < 256 || off >= 0 && off&(1<<s-1) == 0 && off>>s < 4096
}

// PairOK reports whether ldp/stp of two registers of size s (Size32 or
// Size64) can take offset off: a multiple of the size in -64..63 units.
func PairOK(s Size, off int64) bool {
	return off&(1<<s-1) == 0 && off>>s >= -64 && off>>s < 64
}

// -- Loads and stores --------------------------------------------------------

// Ldr loads s bytes from m into dst: zero-extended (the whole X register is
// written) or, with signExt, sign-extended to dst's width (ldrsb, ldrsh,
// ldrsw; ldrsw needs an X destination).
func (a *Asm) Ldr(s Size, signExt bool, dst Reg, m Mem) {
	if !a.wr("ldr", dst) {
		return
	}
	if !a.zr("ldr", dst) || s > Size64 {
		a.fail("ldr: bad size %d or register %v", s, dst)
		return
	}
	opc := uint32(1)
	switch {
	case s == Size64 && signExt, s == Size64 && dst.Is32(), s == Size32 && signExt && dst.Is32():
		a.fail("ldr: %d-byte load into %v (sign-extend %v) is not encodable", s.Bytes(), dst, signExt)
		return
	case signExt && dst.Is32():
		opc = 3
	case signExt:
		opc = 2
	}
	a.mem(uint32(s), 0, opc, dst.Num(), m, true, dst.As64() != XZR && dst.As64() == m.Base)
}

// Str stores the low s bytes of src to m.
func (a *Asm) Str(s Size, src Reg, m Mem) {
	if !a.zr("str", src) || s > Size64 || s == Size64 && src.Is32() {
		a.fail("str: bad size %d or register %v", s, src)
		return
	}
	a.mem(uint32(s), 0, 0, src.Num(), m, false, src.As64() != XZR && src.As64() == m.Base)
}

// FLdr loads a double (or a single into an S register) from m.
func (a *Asm) FLdr(dst FReg, m Mem) { a.fmem(dst, m, 1, "ldr") }

// FStr stores a double (or single) to m.
func (a *Asm) FStr(src FReg, m Mem) { a.fmem(src, m, 0, "str") }

func (a *Asm) fmem(f FReg, m Mem, opc uint32, name string) {
	if !f.valid() {
		a.fail("%s: bad register %v", name, f)
		return
	}
	s := uint32(3)
	if f.IsSingle() {
		s = 2
	}
	a.mem(s, 1<<26, opc, f.Num(), m, opc == 1, false)
}

// mem encodes a single-register load or store; overlap says Rt is the base.
func (a *Asm) mem(s, v, opc, rt uint32, m Mem, load, overlap bool) {
	if !a.sp("ldr/str base", m.Base) || m.Base.Is32() {
		a.fail("ldr/str: base must be an x register or sp, got %v", m.Base)
		return
	}
	base := uint32(0x38000000) | s<<30 | v | opc<<22 | m.Base.Num()<<5 | rt
	off := int64(m.Off)
	switch m.Mode {
	case ModeOff:
		if off >= 0 && off&(1<<s-1) == 0 && off>>s < 4096 {
			a.put(base | 1<<24 | uint32(off>>s)<<10)
			return
		}
		if off >= -256 && off < 256 {
			a.put(base | uint32(off&0x1ff)<<12)
			return
		}
		a.fail("ldr/str: offset %d not encodable for %d-byte access", off, 1<<s)
	case ModePre, ModePost:
		if !a.wr("ldr/str write-back", m.Base) {
			return
		}
		if overlap && m.Base != SP {
			a.fail("ldr/str: writeback into the transferred register %v is unpredictable", m.Base)
			return
		}
		if off < -256 || off >= 256 {
			a.fail("ldr/str: writeback offset %d out of range", off)
			return
		}
		wb := uint32(0x400)
		if m.Mode == ModePre {
			wb = 0xc00
		}
		a.put(base | uint32(off&0x1ff)<<12 | wb)
	case ModeReg:
		if !a.zr("ldr/str index", m.Index) {
			return
		}
		var opt uint32
		switch {
		case m.Ext == UXTX && !m.Index.Is32():
			opt = 3
		case m.Ext == SXTX && !m.Index.Is32():
			opt = 7
		case m.Ext == UXTW && m.Index.Is32():
			opt = 2
		case m.Ext == SXTW && m.Index.Is32():
			opt = 6
		default:
			a.fail("ldr/str: index %v with extension %v not encodable", m.Index, m.Ext)
			return
		}
		var sbit uint32
		if m.Scaled && s > 0 {
			sbit = 1 << 12
		}
		a.put(base | 0x00200800 | m.Index.Num()<<16 | opt<<13 | sbit)
	default:
		a.fail("ldr/str: bad addressing mode %d", m.Mode)
	}
}

// -- Pairs -------------------------------------------------------------------

// Ldp loads two registers of the same width from consecutive slots at m
// (ModeOff, ModePre or ModePost).
func (a *Asm) Ldp(r1, r2 Reg, m Mem) { a.pair(r1, r2, m, true) }

// Stp stores two registers to consecutive slots at m.
func (a *Asm) Stp(r1, r2 Reg, m Mem) { a.pair(r1, r2, m, false) }

func (a *Asm) pair(r1, r2 Reg, m Mem, load bool) {
	if !a.zr("ldp/stp", r1) || !a.zr("ldp/stp", r2) || !a.same("ldp/stp", r1, r2) {
		return
	}
	opc, s := uint32(2), Size64
	if r1.Is32() {
		opc, s = 0, Size32
	}
	if load && (!a.wr("ldp", r1) || !a.wr("ldp", r2)) {
		return
	}
	if load && r1 == r2 {
		a.fail("ldp: both destinations are %v", r1)
		return
	}
	wb := m.Mode == ModePre || m.Mode == ModePost
	if wb && m.Base != SP && (m.Base == r1.As64() || m.Base == r2.As64()) {
		a.fail("ldp/stp: writeback into a transferred register %v", m.Base)
		return
	}
	a.pairEnc(opc, 0, s, r1.Num(), r2.Num(), m, load)
}

// FLdp loads two doubles (or singles) from m.
func (a *Asm) FLdp(f1, f2 FReg, m Mem) { a.fpair(f1, f2, m, true) }

// FStp stores two doubles (or singles) to m.
func (a *Asm) FStp(f1, f2 FReg, m Mem) { a.fpair(f1, f2, m, false) }

func (a *Asm) fpair(f1, f2 FReg, m Mem, load bool) {
	if !f1.valid() || !f2.valid() || f1.IsSingle() != f2.IsSingle() || load && f1 == f2 {
		a.fail("ldp/stp: bad registers %v, %v", f1, f2)
		return
	}
	opc, s := uint32(1), Size64
	if f1.IsSingle() {
		opc, s = 0, Size32
	}
	a.pairEnc(opc, 1<<26, s, f1.Num(), f2.Num(), m, load)
}

func (a *Asm) pairEnc(opc, v uint32, s Size, rt, rt2 uint32, m Mem, load bool) {
	if !a.sp("ldp/stp base", m.Base) || m.Base.Is32() {
		a.fail("ldp/stp: base must be an x register or sp, got %v", m.Base)
		return
	}
	if (m.Mode == ModePre || m.Mode == ModePost) && !a.wr("ldp/stp write-back", m.Base) {
		return
	}
	var mode uint32
	switch m.Mode {
	case ModePost:
		mode = 1
	case ModeOff:
		mode = 2
	case ModePre:
		mode = 3
	default:
		a.fail("ldp/stp: addressing mode %d not allowed", m.Mode)
		return
	}
	if !PairOK(s, int64(m.Off)) {
		a.fail("ldp/stp: offset %d not encodable", m.Off)
		return
	}
	var l uint32
	if load {
		l = 1 << 22
	}
	imm := uint32(m.Off>>s) & 0x7f
	a.put(0x28000000 | opc<<30 | v | mode<<23 | l | imm<<15 | rt2<<10 | m.Base.Num()<<5 | rt)
}

// -- Literals ----------------------------------------------------------------

// LdrLit loads dst (64 or 32 bits) from the literal at label l, within
// ±1 MiB: typically a constant placed with Data8 after the code.
func (a *Asm) LdrLit(dst Reg, l Label) {
	if !a.zr("ldr", dst) || !a.wr("ldr", dst) {
		return
	}
	op := uint32(0x58000000)
	if dst.Is32() {
		op = 0x18000000
	}
	a.branch(op|dst.Num(), fixLit19, l)
}

// FLdrLit loads a double (or single) from the literal at label l.
func (a *Asm) FLdrLit(dst FReg, l Label) {
	if !dst.valid() {
		a.fail("ldr: bad register %v", dst)
		return
	}
	op := uint32(0x5c000000)
	if dst.IsSingle() {
		op = 0x1c000000
	}
	a.branch(op|dst.Num(), fixLit19, l)
}

// Data8 prepends a 64-bit data word (a literal for LdrLit/FLdrLit).
func (a *Asm) Data8(v uint64) {
	a.room(2)
	a.Buf.Put8(v)
}

// Data4 prepends a 32-bit data word.
func (a *Asm) Data4(v uint32) { a.put(v) }
