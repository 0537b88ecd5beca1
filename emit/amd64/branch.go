package amd64

import (
	"encoding/binary"
	"fmt"

	"github.com/jitkit/jitkit/emit"
)

// -- Jumps and calls ---------------------------------------------------------
//
// A branch to a label that is already bound goes forward in program order
// (the target was emitted earlier, so it lies later in the code) and its
// displacement is known: the 2-byte rel8 form is used when it reaches. A
// branch to a label not bound yet goes backward (a loop's back edge) and
// gets a rel32 field that Bind patches.

// Jmp emits an unconditional jump to l.
func (a *Asm) Jmp(l Label) {
	end := a.Buf.Here()
	d, bound, ok := a.rel(l, end)
	switch {
	case !ok:
	case bound && fits8(d):
		a.Buf.Put(0xEB, byte(d))
	case bound:
		a.rel32(op1(0xE9), d)
	default:
		a.rel32(op1(0xE9), 0)
		a.addFixup(end+4, end, l)
	}
}

// Jcc emits a jump to l taken when c holds.
func (a *Asm) Jcc(c Cond, l Label) {
	end := a.Buf.Here()
	d, bound, ok := a.rel(l, end)
	switch {
	case !ok:
	case bound && fits8(d):
		a.Buf.Put(0x70|byte(c&15), byte(d))
	case bound:
		a.rel32(op2(0x0F, 0x80|byte(c&15)), d)
	default:
		a.rel32(op2(0x0F, 0x80|byte(c&15)), 0)
		a.addFixup(end+4, end, l)
	}
}

// JmpLong is Jmp that always uses the 5-byte rel32 form, so the jump can
// later be retargeted in place (see PatchJmp).
func (a *Asm) JmpLong(l Label) {
	end := a.Buf.Here()
	d, bound, ok := a.rel(l, end)
	if !ok {
		return
	}
	a.rel32(op1(0xE9), d)
	if !bound {
		a.addFixup(end+4, end, l)
	}
}

// JccLong is Jcc that always uses the 6-byte rel32 form, so an exit branch
// can later be retargeted to a side trace (see PatchJcc).
func (a *Asm) JccLong(c Cond, l Label) {
	end := a.Buf.Here()
	d, bound, ok := a.rel(l, end)
	if !ok {
		return
	}
	a.rel32(op2(0x0F, 0x80|byte(c&15)), d)
	if !bound {
		a.addFixup(end+4, end, l)
	}
}

// CallLabel emits a call (rel32) to code at l in the same buffer, such as
// a leaf helper.
func (a *Asm) CallLabel(l Label) {
	end := a.Buf.Here()
	d, bound, ok := a.rel(l, end)
	if !ok {
		return
	}
	a.rel32(op1(0xE8), d)
	if !bound {
		a.addFixup(end+4, end, l)
	}
}

// rel32 prepends opcode o followed by a rel32 d, where d is the distance
// counted from the end of the instruction.
func (a *Asm) rel32(o opcode, d int64) {
	if d != int64(int32(d)) {
		a.fail("branch displacement %d out of range", d)
		return
	}
	w := bw{s: a.Buf.Front(maxInsn)}
	w.i = len(w.s)
	w.imm(4, d)
	w.op(o)
	a.done(&w)
}

// JmpAbs emits a jmp rel32 to an absolute address outside this code (an
// exit handler, another trace), resolved by Link.
func (a *Asm) JmpAbs(target uintptr) { a.abs(op1(0xE9), target) }

// JccAbs emits a jcc rel32 to an absolute address, resolved by Link.
func (a *Asm) JccAbs(c Cond, target uintptr) { a.abs(op2(0x0F, 0x80|byte(c&15)), target) }

// CallAbs emits a call rel32 to an absolute address, resolved by Link.
func (a *Asm) CallAbs(target uintptr) { a.abs(op1(0xE8), target) }

func (a *Asm) abs(o opcode, target uintptr) {
	end := a.Buf.Here()
	a.rel32(o, 0)
	a.relocs = append(a.relocs, reloc{at: end + 4, end: end, target: target})
}

// JmpR emits an indirect jump to the address in r.
func (a *Asm) JmpR(r Reg) {
	if a.gp("jmp", r) {
		a.emitRR(0, 0, op1(0xFF), 4, r.Num(), false, 0, 0)
	}
}

// JmpM emits an indirect jump to the address stored at m (a jump table or
// a link slot that a side trace retargets without patching code).
func (a *Asm) JmpM(m Mem) {
	if a.checkMem(m) {
		a.emitRM(0, 0, op1(0xFF), 4, m, false, 0, 0)
	}
}

// CallR emits an indirect call to the address in r.
func (a *Asm) CallR(r Reg) {
	if a.gp("call", r) {
		a.emitRR(0, 0, op1(0xFF), 2, r.Num(), false, 0, 0)
	}
}

// CallM emits an indirect call to the address stored at m.
func (a *Asm) CallM(m Mem) {
	if a.checkMem(m) {
		a.emitRM(0, 0, op1(0xFF), 2, m, false, 0, 0)
	}
}

// Ret emits ret.
func (a *Asm) Ret() { a.Buf.Put1(0xC3) }

// Ud2 emits ud2, an instruction that always faults: a marker for code that
// must be unreachable.
func (a *Asm) Ud2() { a.Buf.Put(0x0F, 0x0B) }

// Int3 emits int3, a breakpoint.
func (a *Asm) Int3() { a.Buf.Put1(0xCC) }

// nops are the recommended multi-byte no-ops, indexed by length.
var nops = [10][]byte{
	1: {0x90},
	2: {0x66, 0x90},
	3: {0x0F, 0x1F, 0x00},
	4: {0x0F, 0x1F, 0x40, 0x00},
	5: {0x0F, 0x1F, 0x44, 0x00, 0x00},
	6: {0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00},
	7: {0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00},
	8: {0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
	9: {0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
}

// Nop emits n bytes of no-ops, in as few instructions as possible (for
// aligning a loop header or padding a patchable site).
func (a *Asm) Nop(n int) {
	for n > 0 {
		k := min(n, 9)
		a.Buf.Put(nops[k]...)
		n -= k
	}
}

// -- Patching linked code ----------------------------------------------------

// PatchJmp returns the 5 bytes of a jmp rel32 placed at address at that
// jumps to target, for emit.Mem.Patch: linking an exit to a side trace.
func PatchJmp(at, target uintptr) ([5]byte, error) {
	var b [5]byte
	b[0] = 0xE9
	d, err := relTo(at+5, target)
	binary.LittleEndian.PutUint32(b[1:], d)
	return b, err
}

// PatchJcc returns the 6 bytes of a jcc rel32 placed at address at that
// jumps to target when c holds.
func PatchJcc(c Cond, at, target uintptr) ([6]byte, error) {
	var b [6]byte
	b[0], b[1] = 0x0F, 0x80|byte(c&15)
	d, err := relTo(at+6, target)
	binary.LittleEndian.PutUint32(b[2:], d)
	return b, err
}

func relTo(end, target uintptr) (uint32, error) {
	d := int64(target - end)
	if d != int64(int32(d)) {
		return 0, fmt.Errorf("amd64: target %#x is out of rel32 range of %#x", target, end)
	}
	return uint32(int32(d)), nil
}

// Size of the patchable branch forms, for callers that locate them by Pos.
const (
	JmpLongSize = 5
	JccLongSize = 6
)

// PosAddr converts a Pos of finished code into an address, given the code's
// length and the address of its first byte.
func PosAddr(p emit.Pos, codeLen int, addr uintptr) uintptr {
	return addr + uintptr(codeLen) - uintptr(p)
}
