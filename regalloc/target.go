package regalloc

import (
	"math/bits"

	"github.com/jitkit/jitkit/irkit"
)

// -- Registers and register sets ------------------------------------------

// Reg is a machine register in a Target's numbering: 0..63, general and
// floating-point registers in one space (amd64: 0-15 RAX..R15 in hardware
// order, 16-31 X0..X15; arm64: 0-30 X0..X30, 32-63 D0..D31). NoReg is the
// absence of a register.
type Reg uint8

// NoReg means "no register".
const NoReg Reg = 0xff

// MaxRegs is the size of the register space.
const MaxRegs = 64

// RegSet is a set of registers, one bit per Reg.
type RegSet uint64

// Has reports whether r is in s.
func (s RegSet) Has(r Reg) bool { return r < MaxRegs && s&(1<<r) != 0 }

// With returns s with r added.
func (s RegSet) With(r Reg) RegSet { return s | 1<<r }

// Without returns s with r removed.
func (s RegSet) Without(r Reg) RegSet { return s &^ (1 << r) }

// Len is the number of registers in s.
func (s RegSet) Len() int { return bits.OnesCount64(uint64(s)) }

// Low returns the lowest register of s, or NoReg if s is empty.
func (s RegSet) Low() Reg {
	if s == 0 {
		return NoReg
	}
	return Reg(bits.TrailingZeros64(uint64(s)))
}

// High returns the highest register of s, or NoReg if s is empty.
func (s RegSet) High() Reg {
	if s == 0 {
		return NoReg
	}
	return Reg(63 - bits.LeadingZeros64(uint64(s)))
}

// Set builds a register set.
func Set(rs ...Reg) RegSet {
	var s RegSet
	for _, r := range rs {
		s = s.With(r)
	}
	return s
}

// Class is a register class: where values of a type live.
type Class uint8

// The register classes.
const (
	GPR        Class = iota // integers, booleans, pointers, value words
	FPR                     // float64
	NumClasses              //
)

// ClassOf is the register class that holds values of type t.
func ClassOf(t irkit.Type) Class {
	if t.Base() == irkit.TNum {
		return FPR
	}
	return GPR
}

// -- Targets ----------------------------------------------------------------

// Cons are the register constraints of one opcode on one target, for
// instructions whose type is of one class. A zero set means "any
// allocatable register of the operand's class". A set with one register
// fixes the operand there.
type Cons struct {
	Dest, Op1, Op2 RegSet
	// Clobber lists registers the lowering destroys besides Dest (integer
	// division's RDX, a helper call's caller-saved registers).
	Clobber RegSet
	// Imm2: op2 may stay a constant (no register) when it is an integer
	// constant in [Target.ImmMin, Target.ImmMax]; the lowering encodes it
	// as an immediate.
	Imm2 bool
	// ImmFree: when op2 is such an immediate, Dest and Op1 may be any
	// register (x86 shifts keep RCX out of them only for a count in CL).
	ImmFree bool
	// Tmp asks for one temporary register of class TmpClass, distinct from
	// the operands and the result and free across the instruction
	// (InsRegs.Tmp).
	Tmp      bool
	TmpClass Class
	// Call: the instruction is lowered as a helper call (args and result in
	// the call registers, Target.CallerSaved clobbered). CALLN and CALLS
	// are always calls; a target may lower other ops (float POW, MOD) that
	// way too, passing op1 and op2 as the first two arguments.
	Call bool
}

// Target describes a machine to the allocator: its registers, classes,
// the registers generated code must leave alone, the helper-call
// convention and, per opcode, the constraints its lowering needs. The
// allocator and the checker read only this table; AMD64 and ARM64 are
// provided, and tests build small ones.
type Target struct {
	Name  string
	Names [MaxRegs]string // register names for dumps ("" for none)
	// Regs are all registers of each class; Alloc those the allocator may
	// hand out (never the stack pointer, the state register, the scratch
	// register nor platform registers).
	Regs, Alloc [NumClasses]RegSet
	// State holds the state pointer (spill slots, VM slots, exit record);
	// it is never allocated and helpers preserve it.
	State Reg
	// Scratch is a general register the allocator never hands out. The
	// lowering may use it freely inside one instruction, and the
	// allocator uses it between instructions to break cycles of the loop's
	// parallel move and to copy slot to slot. It is never live across an
	// instruction.
	Scratch Reg
	// Helper-call convention: arguments of each class in order, results,
	// registers a call destroys.
	Args        [NumClasses][]Reg
	Ret         [NumClasses]Reg
	CallerSaved RegSet
	// ImmMin and ImmMax bound the integer constants an Imm2 operand may be.
	ImmMin, ImmMax int64
	// Cons holds the constraints per opcode and class of the instruction's
	// type (GPR for integer division, FPR for float division).
	Cons [irkit.NumOps][NumClasses]Cons
	// FuseLoads: the lowering reads the memory word of a loaded value in
	// ISNUM, UNBOXN, EQ and NE itself, and an integer field in the
	// integer comparisons (see FusedLoad).
	FuseLoads bool
	// FuseAddrs: the lowering folds an AREF or FREF into the memory
	// operand of the loads, stores and fused checks that read through it
	// (see FusedAddr), and an AREF's index x+k into index x and
	// displacement 8*k (see FusedMemOf).
	FuseAddrs bool
}

// RegName returns the name of r on t.
func (t *Target) RegName(r Reg) string {
	if r == NoReg {
		return "-"
	}
	if r < MaxRegs && t.Names[r] != "" {
		return t.Names[r]
	}
	return "r?"
}

// ClassOfReg returns the class of register r.
func (t *Target) ClassOfReg(r Reg) Class {
	if t.Regs[FPR].Has(r) {
		return FPR
	}
	return GPR
}

// cons returns the constraints of instruction ins.
func (t *Target) cons(ins irkit.Ins) *Cons {
	return &t.Cons[ins.Op][ClassOf(ins.T)]
}

// callClobber is what a helper call destroys.
func (t *Target) callClobber() RegSet { return t.CallerSaved }

// setCall marks ops as lowered through a helper call for both classes.
func (t *Target) setCall(ops ...irkit.Op) {
	for _, op := range ops {
		for c := Class(0); c < NumClasses; c++ {
			t.Cons[op][c] = Cons{Call: true}
		}
	}
}

// setImm2 lets op2 of the integer forms of ops be an immediate.
func (t *Target) setImm2(ops ...irkit.Op) {
	for _, op := range ops {
		t.Cons[op][GPR].Imm2 = true
	}
}

// -- amd64 ------------------------------------------------------------------

// amd64 register numbers (hardware encodings; X0.. are 16 + encoding).
const (
	rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi Reg = 0, 1, 2, 3, 4, 5, 6, 7
	r8, r9, r10, r11, r12, r13, r14, r15   Reg = 8, 9, 10, 11, 12, 13, 14, 15
	xmm0                                   Reg = 16
)

// AMD64 is the x86-64 target.
//
// Registers: RAX..R15 are 0-15, X0..X15 are 16-31. RSP is the stack
// pointer, RDI the state pointer (emit/doc.go), R11 the scratch register;
// the other 13 general and all 16 XMM registers are allocated.
//
// Helper calls (our convention; helpers are generated code or NOSPLIT
// assembly): the state pointer stays in RDI and the helper preserves it;
// integer arguments in RSI, RDX, RCX, R8, R9, R10, RAX, RBX (the System V
// order after RDI, then three more); float arguments in X0..X7; the result
// in RAX or X0. A call destroys RAX, RBX, RCX, RDX, RSI, R8-R11 and every
// XMM register; it preserves RBP, RDI, R12-R15.
//
// Fixed registers: integer DIV and MOD take the dividend in RAX, never
// have the divisor in RAX or RDX, and leave the quotient in RAX and the
// remainder in RDX (both destroyed); shifts and rotates by a register
// take the count in RCX, and neither the result nor the shifted operand
// may be in RCX (by an immediate count, any register will do). Float POW and MOD, and integer POW, are helper calls.
// Integer ALU ops, comparisons, shifts, MUL and AREF take an immediate
// op2 in int32 range, and so do the stores of integer words (FSTORE,
// ASTORE, XSTORE: mov $imm32, mem, sign-extended to 64 bits). FTOIX gets
// an XMM temporary (convert back and compare).
// ISNUM, UNBOXN, EQ and NE of a value just loaded read its memory, and
// so do integer comparisons of a field just loaded (FuseLoads); loads,
// stores and those checks address memory through an AREF or FREF as
// base+8*index+disp, an i64 index x+k as x with 8*k in disp (FuseAddrs).
var AMD64 = newAMD64()

func newAMD64() *Target {
	t := &Target{Name: "amd64", State: rdi, Scratch: r11, FuseLoads: true, FuseAddrs: true}
	gpr := []string{"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"}
	for i, n := range gpr {
		t.Names[i] = n
		t.Regs[GPR] = t.Regs[GPR].With(Reg(i))
	}
	for i := 0; i < 16; i++ {
		t.Names[16+i] = "x" + itoa(i)
		t.Regs[FPR] = t.Regs[FPR].With(Reg(16 + i))
	}
	t.Alloc[GPR] = t.Regs[GPR] &^ Set(rsp, rdi, r11)
	t.Alloc[FPR] = t.Regs[FPR]
	t.Args[GPR] = []Reg{rsi, rdx, rcx, r8, r9, r10, rax, rbx}
	for i := 0; i < 8; i++ {
		t.Args[FPR] = append(t.Args[FPR], xmm0+Reg(i))
	}
	t.Ret = [NumClasses]Reg{rax, xmm0}
	t.CallerSaved = Set(rax, rbx, rcx, rdx, rsi, r8, r9, r10, r11) | t.Regs[FPR]
	t.ImmMin, t.ImmMax = -1<<31, 1<<31-1

	all := t.Alloc[GPR]
	t.Cons[irkit.DIV][GPR] = Cons{Dest: Set(rax), Op1: Set(rax), Op2: all &^ Set(rax, rdx), Clobber: Set(rax, rdx)}
	t.Cons[irkit.MOD][GPR] = Cons{Dest: Set(rdx), Op1: Set(rax), Op2: all &^ Set(rax, rdx), Clobber: Set(rax, rdx)}
	for _, op := range []irkit.Op{irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROL, irkit.BROR} {
		t.Cons[op][GPR] = Cons{Dest: all.Without(rcx), Op1: all.Without(rcx), Op2: Set(rcx), Imm2: true, ImmFree: true}
	}
	t.setImm2(irkit.ADD, irkit.SUB, irkit.MUL, irkit.BAND, irkit.BOR, irkit.BXOR,
		irkit.ADDOV, irkit.SUBOV, irkit.MULOV,
		irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT,
		irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT, irkit.AREF,
		irkit.FSTORE, irkit.ASTORE, irkit.XSTORE)
	t.Cons[irkit.POW][FPR] = Cons{Call: true}
	t.Cons[irkit.MOD][FPR] = Cons{Call: true}
	t.Cons[irkit.POW][GPR] = Cons{Call: true}
	t.Cons[irkit.FTOIX][GPR] = Cons{Tmp: true, TmpClass: FPR}
	t.setCall(irkit.CALLN, irkit.CALLS)
	return t
}

// -- arm64 ------------------------------------------------------------------

// arm64 register numbers: X0..X30 are 0-30, D0..D31 are 32-63.
const (
	x0  Reg = 0
	x16 Reg = 16
	x18 Reg = 18
	x28 Reg = 28
	x29 Reg = 29
	x30 Reg = 30
	d0  Reg = 32
)

// ARM64 is the AArch64 target.
//
// Registers: X0..X30 are 0-30 (31, SP/XZR, is never allocated), D0..D31
// are 32-63. X0 holds the state pointer (emit/doc.go); X16 is the scratch
// register and X17 is left to the lowering as a second one; X18
// (platform), X28 (goroutine, never written), X29 (frame pointer) and X30
// (link register) are never allocated. That leaves X1..X15 and X19..X27
// (24 registers) and all 32 D registers.
//
// Helper calls (our convention): the state pointer stays in X0 and the
// helper preserves it; integer arguments in X1..X8, float arguments in
// D0..D7 (the AAPCS64 registers, shifted by one for the integers because
// X0 is taken); the result in X1 or D0. A call destroys X1..X17, D0..D7
// and D16..D31 and preserves X19..X27 and D8..D15 (AAPCS64). BL writes
// X30, so the lowering saves the link register around a call.
//
// arm64 is three-address, so only integer ops with a 12-bit unsigned
// immediate form (ADD, SUB, comparisons, shifts) take an immediate op2.
// Float POW and MOD, and integer POW, are helper calls.
var ARM64 = newARM64()

func newARM64() *Target {
	t := &Target{Name: "arm64", State: x0, Scratch: x16}
	for i := 0; i < 31; i++ {
		t.Names[i] = "x" + itoa(i)
		t.Regs[GPR] = t.Regs[GPR].With(Reg(i))
	}
	for i := 0; i < 32; i++ {
		t.Names[32+i] = "d" + itoa(i)
		t.Regs[FPR] = t.Regs[FPR].With(d0 + Reg(i))
	}
	t.Alloc[GPR] = t.Regs[GPR] &^ Set(x0, x16, x16+1, x18, x28, x29, x30)
	t.Alloc[FPR] = t.Regs[FPR]
	for i := 1; i <= 8; i++ {
		t.Args[GPR] = append(t.Args[GPR], Reg(i))
	}
	for i := 0; i < 8; i++ {
		t.Args[FPR] = append(t.Args[FPR], d0+Reg(i))
	}
	t.Ret = [NumClasses]Reg{1, d0}
	for i := 1; i <= 17; i++ {
		t.CallerSaved = t.CallerSaved.With(Reg(i))
	}
	for i := 0; i < 32; i++ {
		if i < 8 || i >= 16 {
			t.CallerSaved = t.CallerSaved.With(d0 + Reg(i))
		}
	}
	t.ImmMin, t.ImmMax = 0, 4095
	t.setImm2(irkit.ADD, irkit.SUB, irkit.ADDOV, irkit.SUBOV,
		irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROR,
		irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT,
		irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT)
	t.Cons[irkit.POW][FPR] = Cons{Call: true}
	t.Cons[irkit.MOD][FPR] = Cons{Call: true}
	t.Cons[irkit.POW][GPR] = Cons{Call: true}
	t.setCall(irkit.CALLN, irkit.CALLS)
	return t
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return string(rune('0'+i/10)) + string(rune('0'+i%10))
}
