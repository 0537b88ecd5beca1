package bytecode

// -- Instruction encoding ----------------------------------------------------------
//
// An instruction is one 32-bit word, LuaJIT's layout:
//
//	 31      24 23      16 15       8 7        0
//	+----------+----------+----------+----------+
//	|    B     |    C     |    A     |    OP    |   ABC form
//	+----------+----------+----------+----------+
//	|          D          |    A     |    OP    |   AD form
//	+---------------------+----------+----------+
//
// D overlaps B and C (D = B<<8 | C), so decoding any field is one shift and
// at most one mask. Jump offsets live in D, biased by JumpBias.

// Ins is one encoded instruction.
type Ins uint32

// Limits of the encoding and of a frame.
const (
	// JumpBias is added to a signed jump offset to store it in D.
	JumpBias = 0x8000
	// MaxSlots is the number of frame slots a function may use (0..249).
	MaxSlots = 250
	// MaxD is the largest value of D.
	MaxD = 0xffff
	// MaxBC is the largest value of B or C.
	MaxBC = 0xff
	// NoJump is the D value of a jump to the next instruction (offset 0).
	NoJump = JumpBias
)

// Op returns the opcode.
func (i Ins) Op() Op { return Op(i & 0xff) }

// A returns the A field.
func (i Ins) A() int { return int(i>>8) & 0xff }

// B returns the B field (ABC form).
func (i Ins) B() int { return int(i >> 24) }

// C returns the C field (ABC form).
func (i Ins) C() int { return int(i>>16) & 0xff }

// D returns the D field (AD form).
func (i Ins) D() int { return int(i >> 16) }

// SD returns D as a signed 16-bit literal (KSHORT).
func (i Ins) SD() int { return int(int16(uint16(i >> 16))) }

// J returns the signed jump offset stored in D: the jump goes to pc+1+J().
func (i Ins) J() int { return int(i>>16) - JumpBias }

// Target returns the pc a jump at pc goes to.
func (i Ins) Target(pc int) int { return pc + 1 + i.J() }

// ABC encodes an instruction in ABC form.
func ABC(op Op, a, b, c int) Ins {
	return Ins(op) | Ins(a&0xff)<<8 | Ins(c&0xff)<<16 | Ins(b&0xff)<<24
}

// AD encodes an instruction in AD form.
func AD(op Op, a, d int) Ins {
	return Ins(op) | Ins(a&0xff)<<8 | Ins(d&0xffff)<<16
}

// AJ encodes a jump-form instruction (D mode MJump) with a signed offset:
// the jump goes to pc+1+off.
func AJ(op Op, a, off int) Ins { return AD(op, a, off+JumpBias) }

// SetA returns i with its A field replaced.
func (i Ins) SetA(a int) Ins { return i&^0xff00 | Ins(a&0xff)<<8 }

// SetB returns i with its B field replaced.
func (i Ins) SetB(b int) Ins { return i&^0xff000000 | Ins(b&0xff)<<24 }

// SetC returns i with its C field replaced.
func (i Ins) SetC(c int) Ins { return i&^0xff0000 | Ins(c&0xff)<<16 }

// SetD returns i with its D field replaced.
func (i Ins) SetD(d int) Ins { return i&0xffff | Ins(d&0xffff)<<16 }

// SetJ returns i with its jump offset replaced.
func (i Ins) SetJ(off int) Ins { return i.SetD(off + JumpBias) }

// SetOp returns i with its opcode replaced.
func (i Ins) SetOp(op Op) Ins { return i&^0xff | Ins(op) }
