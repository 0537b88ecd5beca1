package arm64

import "fmt"

// -- Registers ---------------------------------------------------------------

// Reg is a general-purpose register operand. The value carries the register
// number and its width, so the width of an instruction is read from its
// destination, as in assembly text:
//
//	bits 0-4  register number 0..31
//	bit  5    set: number 31 names the stack pointer, clear: the zero register
//	bit  6    set: the 32-bit W view, clear: the 64-bit X view
//
// Register number 31 is either SP or XZR depending on the operand slot; the
// encoder checks that a slot accepts the register it is given and reports
// an error (never a silent re-interpretation) when it does not.
type Reg uint8

// The 64-bit views.
const (
	X0 Reg = iota
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
	X16
	X17
	X18
	X19
	X20
	X21
	X22
	X23
	X24
	X25
	X26
	X27
	X28
	X29
	X30
	XZR // the 64-bit zero register: reads 0, writes are discarded
)

// The 32-bit views.
const (
	W0 Reg = wbit + iota
	W1
	W2
	W3
	W4
	W5
	W6
	W7
	W8
	W9
	W10
	W11
	W12
	W13
	W14
	W15
	W16
	W17
	W18
	W19
	W20
	W21
	W22
	W23
	W24
	W25
	W26
	W27
	W28
	W29
	W30
	WZR // the 32-bit zero register
)

// Special registers and their conventional names.
const (
	SP  Reg = spbit | 31        // the 64-bit stack pointer
	WSP Reg = wbit | spbit | 31 // the 32-bit view of the stack pointer
	FP      = X29               // frame pointer by the AAPCS64 convention
	LR      = X30               // link register, written by bl and blr
	// G is the register in which Go keeps the current goroutine. Generated
	// code must never write it: Go's signal handler reads it directly.
	G = X28
	// PR is the platform register x18, reserved by some operating systems.
	// Generated code leaves it alone.
	PR = X18
	// IP0 and IP1 are the intra-procedure scratch registers x16 and x17; the
	// encoder itself never uses them, but long calls conventionally do.
	IP0 = X16
	IP1 = X17
)

const (
	spbit = 0x20
	wbit  = 0x40
)

// X returns the register with number n (0..31, 31 being XZR) in its 64-bit view.
func X(n int) Reg { return Reg(n & 31) }

// W returns the register with number n (0..31, 31 being WZR) in its 32-bit view.
func W(n int) Reg { return Reg(n&31) | wbit }

// Num is the 5-bit register field value.
func (r Reg) Num() uint32 { return uint32(r & 31) }

// Is32 reports whether r is a 32-bit (W) view.
func (r Reg) Is32() bool { return r&wbit != 0 }

// IsSP reports whether r is the stack pointer (SP or WSP).
func (r Reg) IsSP() bool { return r&spbit != 0 }

// IsZR reports whether r is the zero register (XZR or WZR).
func (r Reg) IsZR() bool { return r&(spbit|31) == 31 }

// As64 returns the 64-bit view of r.
func (r Reg) As64() Reg { return r &^ wbit }

// As32 returns the 32-bit view of r.
func (r Reg) As32() Reg { return r | wbit }

// valid reports whether r is one of the named registers.
func (r Reg) valid() bool { return r < 0x80 && (r&spbit == 0 || r&31 == 31) }

// String returns the register's assembly name, e.g. "x3", "wzr", "sp".
func (r Reg) String() string {
	if !r.valid() {
		return fmt.Sprintf("Reg(%#x)", uint8(r))
	}
	switch {
	case r == SP:
		return "sp"
	case r == WSP:
		return "wsp"
	case r == XZR:
		return "xzr"
	case r == WZR:
		return "wzr"
	case r.Is32():
		return fmt.Sprintf("w%d", r.Num())
	}
	return fmt.Sprintf("x%d", r.Num())
}

// FReg is a floating-point register operand: D0..D31 are the 64-bit double
// views, S0..S31 the 32-bit single views (bit 6 set), mirroring Reg.
type FReg uint8

// The double-precision views.
const (
	D0 FReg = iota
	D1
	D2
	D3
	D4
	D5
	D6
	D7
	D8
	D9
	D10
	D11
	D12
	D13
	D14
	D15
	D16
	D17
	D18
	D19
	D20
	D21
	D22
	D23
	D24
	D25
	D26
	D27
	D28
	D29
	D30
	D31
)

// The single-precision views.
const (
	S0 FReg = wbit + iota
	S1
	S2
	S3
	S4
	S5
	S6
	S7
	S8
	S9
	S10
	S11
	S12
	S13
	S14
	S15
	S16
	S17
	S18
	S19
	S20
	S21
	S22
	S23
	S24
	S25
	S26
	S27
	S28
	S29
	S30
	S31
)

// D returns double register number n (0..31).
func D(n int) FReg { return FReg(n & 31) }

// S returns single register number n (0..31).
func S(n int) FReg { return FReg(n&31) | wbit }

// Num is the 5-bit register field value.
func (f FReg) Num() uint32 { return uint32(f & 31) }

// IsSingle reports whether f is a single-precision (S) view.
func (f FReg) IsSingle() bool { return f&wbit != 0 }

func (f FReg) valid() bool { return f&^(wbit|31) == 0 }

// ftype is the 2-bit floating-point type field: 00 single, 01 double.
func (f FReg) ftype() uint32 {
	if f.IsSingle() {
		return 0
	}
	return 1
}

// String returns the register's assembly name, e.g. "d7" or "s0".
func (f FReg) String() string {
	if !f.valid() {
		return fmt.Sprintf("FReg(%#x)", uint8(f))
	}
	if f.IsSingle() {
		return fmt.Sprintf("s%d", f.Num())
	}
	return fmt.Sprintf("d%d", f.Num())
}

// -- Conditions, shifts, extensions ------------------------------------------

// Cond is a condition code, as tested by b.cond, csel, cset and ccmp.
type Cond uint8

// The condition codes. After a compare (subs) of a with b: EQ a == b,
// NE a != b, LT/LE/GT/GE signed, LO/LS/HI/HS unsigned, VS overflow.
// After fcmp: MI and LO mean less, GT greater, EQ equal, VS unordered (NaN).
const (
	EQ Cond = iota // equal
	NE             // not equal
	HS             // unsigned higher or same (carry set)
	LO             // unsigned lower (carry clear)
	MI             // negative
	PL             // positive or zero
	VS             // overflow
	VC             // no overflow
	HI             // unsigned higher
	LS             // unsigned lower or same
	GE             // signed greater or equal
	LT             // signed less
	GT             // signed greater
	LE             // signed less or equal
	AL             // always
	NV             // always (the encoding reserved as "never"; behaves as AL)
	CS = HS
	CC = LO
)

var condNames = [16]string{"eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"}

// Invert returns the opposite condition: EQ for NE, GE for LT, and so on.
// AL and NV have no opposite; inverting them gives NV and AL.
func (c Cond) Invert() Cond { return c ^ 1 }

// String returns the condition's assembly suffix, e.g. "ne".
func (c Cond) String() string {
	if c > NV {
		return fmt.Sprintf("Cond(%d)", uint8(c))
	}
	return condNames[c]
}

// Shift is the shift applied to the second register operand of an ALU
// instruction.
type Shift uint8

// The shift kinds. ROR is only legal on logical instructions.
const (
	LSL Shift = iota
	LSR
	ASR
	ROR
)

var shiftNames = [4]string{"lsl", "lsr", "asr", "ror"}

// String returns the shift's assembly name.
func (s Shift) String() string {
	if s > ROR {
		return fmt.Sprintf("Shift(%d)", uint8(s))
	}
	return shiftNames[s]
}

// Ext is a register extension for the extended-register forms of add/sub and
// for register-offset addressing.
type Ext uint8

// The extensions, by their encoding.
const (
	UXTB Ext = iota
	UXTH
	UXTW
	UXTX
	SXTB
	SXTH
	SXTW
	SXTX
)

var extNames = [8]string{"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"}

// String returns the extension's assembly name.
func (e Ext) String() string {
	if e > SXTX {
		return fmt.Sprintf("Ext(%d)", uint8(e))
	}
	return extNames[e]
}
