package amd64

import "fmt"

// -- Registers ---------------------------------------------------------------

// Reg is a register operand: a general-purpose register (RAX..R15), an SSE
// register (X0..X15), or RIP as the base of a memory operand. The zero Reg
// is NoReg, so a Mem literal leaves out the parts it does not use:
//
//	value 0        NoReg
//	value 1..16    RAX..R15, hardware number value-1
//	value 17..32   X0..X15,  hardware number value-17
//	value 33       RIP (memory bases only)
//
// The operand width of an instruction is a separate Size argument, so the
// same Reg names RAX, EAX, AX and AL.
type Reg uint8

// NoReg means "no register", for the unused parts of a Mem.
const NoReg Reg = 0

// General-purpose registers, in hardware order.
const (
	RAX Reg = 1 + iota
	RCX
	RDX
	RBX
	RSP
	RBP
	RSI
	RDI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
)

// SSE registers.
const (
	X0 Reg = 17 + iota
	X1
	X2
	X3
	X4
	X5
	X6
	X7
	X8
	X9
	X10
	X11
	X12
	X13
	X14
	X15
)

// RIP is the instruction pointer, usable only as the base of a Mem: the
// displacement is then relative to the end of the instruction.
const RIP Reg = 33

// ripLabel is the base of a Mem made by LabelMem; Disp holds the label.
const ripLabel Reg = 34

// IsGP reports whether r is a general-purpose register.
func (r Reg) IsGP() bool { return r-RAX < 16 }

// IsX reports whether r is an SSE register.
func (r Reg) IsX() bool { return r-X0 < 16 }

// Num is the 4-bit hardware number of a GP or SSE register.
func (r Reg) Num() byte {
	if r >= X0 {
		return byte(r-X0) & 15
	}
	return byte(r-RAX) & 15
}

var gpNames = [4][16]string{
	{"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"},
	{"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"},
	{"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"},
	{"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"},
}

// Name is the register's name at operand size s (GNU spelling, without
// the %): Name(RAX, S32) is "eax". SSE registers ignore s.
func (r Reg) Name(s Size) string {
	switch {
	case r.IsGP():
		if i := s.log(); i >= 0 {
			return gpNames[i][r.Num()]
		}
	case r.IsX():
		return fmt.Sprintf("xmm%d", r.Num())
	case r == RIP:
		return "rip"
	case r == NoReg:
		return "noreg"
	}
	return fmt.Sprintf("reg%d", uint8(r))
}

// String is the 64-bit name of a general-purpose register, or xmmN.
func (r Reg) String() string { return r.Name(S64) }

// -- Operand sizes -----------------------------------------------------------

// Size is an operand width in bytes: S8, S16, S32 or S64.
type Size uint8

// Operand sizes.
const (
	S8  Size = 1
	S16 Size = 2
	S32 Size = 4
	S64 Size = 8
)

// log is log2 of the size, or -1 for an invalid size.
func (s Size) log() int {
	switch s {
	case S8:
		return 0
	case S16:
		return 1
	case S32:
		return 2
	case S64:
		return 3
	}
	return -1
}

// Suffix is the AT&T size suffix: b, w, l or q.
func (s Size) Suffix() string {
	if i := s.log(); i >= 0 {
		return "bwlq"[i : i+1]
	}
	return "?"
}

// -- Condition codes ---------------------------------------------------------

// Cond is an x86 condition code, the low nibble of jcc, setcc and cmovcc.
// Invert flips it (E <-> NE, L <-> GE, ...).
type Cond uint8

// Condition codes. After an unsigned compare use B, AE, BE, A; after a
// signed one L, GE, LE, G; after ucomisd, B/AE/BE/A with P for unordered.
const (
	O  Cond = iota // overflow
	NO             // no overflow
	B              // below (unsigned <), carry
	AE             // above or equal (unsigned >=), no carry
	E              // equal, zero
	NE             // not equal, not zero
	BE             // below or equal (unsigned <=)
	A              // above (unsigned >)
	S              // sign
	NS             // no sign
	P              // parity (unordered after ucomisd)
	NP             // no parity (ordered)
	L              // less (signed <)
	GE             // greater or equal (signed >=)
	LE             // less or equal (signed <=)
	G              // greater (signed >)
)

var condNames = [16]string{"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"}

// Invert returns the opposite condition.
func (c Cond) Invert() Cond { return c ^ 1 }

// String is the condition's mnemonic suffix, as in "j"+c.String().
func (c Cond) String() string { return condNames[c&15] }

// -- Memory operands ---------------------------------------------------------

// Mem is a memory operand: Base + Index*Scale + Disp. Base may be NoReg
// (absolute or index-only addressing) or RIP (Disp relative to the end of
// the instruction); Index may be NoReg, and never RSP; Scale is 1, 2, 4 or
// 8 (0 means 1). The encoder picks the shortest displacement (none, 8 or 32
// bits) and adds the SIB byte and zero displacement that RSP/R12 and
// RBP/R13 bases need.
type Mem struct {
	Base  Reg
	Index Reg
	Scale uint8
	Disp  int32
}

// M returns the operand [base+disp].
func M(base Reg, disp int32) Mem { return Mem{Base: base, Disp: disp} }

// MI returns the operand [base+index*scale+disp].
func MI(base, index Reg, scale uint8, disp int32) Mem {
	return Mem{Base: base, Index: index, Scale: scale, Disp: disp}
}

// Off returns m with d added to its displacement, for walking a struct
// or an array of slots.
func (m Mem) Off(d int32) Mem { m.Disp += d; return m }

// LabelMem returns a RIP-relative operand that addresses label l, for
// constants placed in the code (emitted before, so after in program order)
// or the address of code with Lea. Unbound labels are patched when bound.
func LabelMem(l Label) Mem { return Mem{Base: ripLabel, Disp: int32(l)} }

// String is the operand in GNU syntax, e.g. "0x8(%rax,%rcx,4)".
func (m Mem) String() string {
	if m.Base == ripLabel {
		return fmt.Sprintf("L%d(%%rip)", m.Disp)
	}
	s := ""
	if m.Disp != 0 || m.Base == NoReg && m.Index == NoReg {
		if m.Disp < 0 {
			s = fmt.Sprintf("-%#x", -int64(m.Disp))
		} else {
			s = fmt.Sprintf("%#x", m.Disp)
		}
	}
	if m.Base == NoReg && m.Index == NoReg {
		return s
	}
	s += "("
	if m.Base != NoReg {
		s += "%" + m.Base.Name(S64)
	}
	if m.Index != NoReg {
		sc := m.Scale
		if sc == 0 {
			sc = 1
		}
		s += fmt.Sprintf(",%%%s,%d", m.Index.Name(S64), sc)
	}
	return s + ")"
}
