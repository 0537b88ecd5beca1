package amd64

import (
	"encoding/binary"
	"fmt"

	"github.com/jitkit/jitkit/emit"
)

// -- The assembler -----------------------------------------------------------

// Asm encodes x86-64 instructions backwards into an emit.Buf: every method
// prepends its instruction, so the last instruction of a function is
// emitted first.
//
// Errors are sticky: an instruction that cannot be encoded (an SSE register
// where a general one belongs, RSP as an index, a scale of 3) is not
// emitted, and the first error is kept for Err and Finish.
//
// Asm does no allocation per instruction: labels, fixups and relocations
// live in flat slices that Reset keeps.
type Asm struct {
	Buf *emit.Buf

	err    error
	labels []label
	fixups []fixup
	relocs []reloc
}

// Label names a position in the code. The zero Label is not a label; get
// labels from NewLabel.
type Label int32

type label struct {
	pos   emit.Pos
	bound bool
	head  int32 // first pending fixup, -1 if none
}

// fixup is a rel32 field waiting for its label to be bound.
type fixup struct {
	at    emit.Pos // Pos of the field's first byte
	end   emit.Pos // Pos of the end of the instruction
	label Label
	next  int32 // next pending fixup of the same label, -1 ends
	done  bool
}

// reloc is a rel32 field whose target is an absolute address, resolved by
// Link once the code's address is known.
type reloc struct {
	at, end emit.Pos
	target  uintptr
}

// New returns an assembler that emits into b (a new buffer if b is nil).
func New(b *emit.Buf) *Asm {
	if b == nil {
		b = emit.NewBuf(4096)
	}
	return &Asm{Buf: b}
}

// Reset empties the buffer and forgets labels, fixups, relocations and
// errors, keeping their memory.
func (a *Asm) Reset() {
	a.Buf.Reset()
	a.err = nil
	a.labels = a.labels[:0]
	a.fixups = a.fixups[:0]
	a.relocs = a.relocs[:0]
}

// Err returns the first encoding error, or nil.
func (a *Asm) Err() error { return a.err }

// Finish reports the first encoding error, or an error if a branch still
// refers to a label that was never bound.
func (a *Asm) Finish() error {
	if a.err != nil {
		return a.err
	}
	for i := range a.fixups {
		if !a.fixups[i].done {
			return fmt.Errorf("amd64: label %d used but never bound", a.fixups[i].label)
		}
	}
	return nil
}

// fail records the first error.
func (a *Asm) fail(format string, args ...any) {
	if a.err == nil {
		a.err = fmt.Errorf("amd64: "+format, args...)
	}
}

// Here is the Pos of the start of the code emitted so far.
func (a *Asm) Here() emit.Pos { return a.Buf.Here() }

// Raw prepends raw bytes, for encodings this package does not name.
func (a *Asm) Raw(p ...byte) { a.Buf.Put(p...) }

// Const prepends an 8-byte constant and returns a label bound to it, for
// LabelMem operands (movsd k(%rip),%xmm0). Place constants where they are
// never executed: emit them first, so they follow the final ret or jmp.
func (a *Asm) Const(v uint64) Label {
	a.Buf.Put8(v)
	l := a.NewLabel()
	a.Bind(l)
	return l
}

// -- Labels, fixups and relocations -------------------------------------------

// NewLabel returns a fresh, unbound label.
func (a *Asm) NewLabel() Label {
	a.labels = append(a.labels, label{head: -1})
	return Label(len(a.labels))
}

func (a *Asm) lab(l Label) *label {
	if l <= 0 || int(l) > len(a.labels) {
		return nil
	}
	return &a.labels[l-1]
}

// Bind binds l to the current start of the code: the label names the
// instruction emitted most recently (the next one in program order), and
// code emitted afterwards comes before it. Branches already emitted to l
// (backward branches in program order) are patched.
func (a *Asm) Bind(l Label) {
	lb := a.lab(l)
	if lb == nil {
		a.fail("bind of invalid label %d", l)
		return
	}
	if lb.bound {
		a.fail("label %d bound twice", l)
		return
	}
	lb.pos, lb.bound = a.Buf.Here(), true
	for i := lb.head; i >= 0; i = a.fixups[i].next {
		f := &a.fixups[i]
		f.done = true
		binary.LittleEndian.PutUint32(a.Buf.At(f.at, 4), uint32(int32(f.end)-int32(lb.pos)))
	}
	lb.head = -1
}

// LabelPos returns the Pos a label is bound to.
func (a *Asm) LabelPos(l Label) (emit.Pos, bool) {
	lb := a.lab(l)
	if lb == nil || !lb.bound {
		return 0, false
	}
	return lb.pos, true
}

// rel returns the displacement from the end Pos of an instruction to l,
// or ok=false if l is not bound yet (bad labels fail).
func (a *Asm) rel(l Label, end emit.Pos) (d int64, bound, ok bool) {
	lb := a.lab(l)
	if lb == nil {
		a.fail("reference to invalid label %d", l)
		return 0, false, false
	}
	if !lb.bound {
		return 0, false, true
	}
	return int64(end) - int64(lb.pos), true, true
}

// addFixup records that the rel32 field at Pos at of the instruction
// ending at end refers to l.
func (a *Asm) addFixup(at, end emit.Pos, l Label) {
	lb := &a.labels[l-1]
	a.fixups = append(a.fixups, fixup{at: at, end: end, label: l, next: lb.head})
	lb.head = int32(len(a.fixups) - 1)
}

// Link resolves the relocations of code that refers to absolute addresses
// (JmpAbs, CallAbs, JccAbs) once the code's address is known: code is the
// finished code (Buf.Bytes() or a copy of it) and addr is where its first
// byte will live. It fails if a target is beyond the ±2 GiB a rel32
// reaches; use MovRI and CallR for such targets.
func (a *Asm) Link(code []byte, addr uintptr) error {
	for _, r := range a.relocs {
		if int(r.at) > len(code) {
			return fmt.Errorf("amd64: Link: code is %d bytes, shorter than the emitted code", len(code))
		}
		end := addr + uintptr(len(code)) - uintptr(r.end)
		d := int64(r.target - end)
		if d != int64(int32(d)) {
			return fmt.Errorf("amd64: Link: target %#x is out of rel32 range of %#x", r.target, end)
		}
		i := len(code) - int(r.at)
		binary.LittleEndian.PutUint32(code[i:], uint32(int32(d)))
	}
	return nil
}

// Install finishes the code and puts it into executable memory: it checks
// Finish, allocates a block, resolves the relocations for the block's
// address (Link) and writes the code. The code's entry is Block.Addr.
func (a *Asm) Install(mem *emit.Mem) (emit.Block, error) {
	if err := a.Finish(); err != nil {
		return emit.Block{}, err
	}
	code := a.Buf.Bytes()
	blk, err := mem.Alloc(len(code))
	if err != nil {
		return emit.Block{}, err
	}
	err = a.Link(code, blk.Addr)
	if err == nil {
		err = mem.Write(blk, 0, code)
	}
	if err != nil {
		mem.Free(blk)
		return emit.Block{}, err
	}
	return blk, nil
}

// -- Instruction encoding ----------------------------------------------------
//
// Every instruction is laid out front to back in a small array and then
// prepended to the buffer:
//
//	[66|F2|F3] [REX 0100WRXB] opcode(1-3) ModRM [SIB] [disp8|disp32] [imm]
//
// ModRM = mod(2) reg(3) rm(3); REX.R extends reg, REX.X the SIB index,
// REX.B rm or the SIB base. An opcode is packed into a uint32: its length in
// the top byte and its bytes, first byte most significant, below.

type opcode uint32

func op1(b byte) opcode    { return 1<<24 | opcode(b) }
func op2(b, c byte) opcode { return 2<<24 | opcode(b)<<8 | opcode(c) }
func op3(b, c, d byte) opcode {
	return 3<<24 | opcode(b)<<16 | opcode(c)<<8 | opcode(d)
}

// maxInsn is the longest x86 instruction.
const maxInsn = 15

// bw writes one instruction backwards, last byte first, straight into the
// free space in front of the code (emit.Buf.Front), so nothing is copied.
type bw struct {
	s []byte
	i int
}

func (a *Asm) done(w *bw) { a.Buf.Commit(len(w.s) - w.i) }

func (w *bw) byte1(c byte) { w.i--; w.s[w.i] = c }

// op writes the opcode bytes, last first.
func (w *bw) op(o opcode) {
	switch o >> 24 {
	case 3:
		w.i -= 3
		w.s[w.i], w.s[w.i+1], w.s[w.i+2] = byte(o>>16), byte(o>>8), byte(o)
	case 2:
		w.i -= 2
		w.s[w.i], w.s[w.i+1] = byte(o>>8), byte(o)
	default:
		w.i--
		w.s[w.i] = byte(o)
	}
}

func (w *bw) imm(size int, v int64) {
	switch size {
	case 1:
		w.i--
		w.s[w.i] = byte(v)
	case 2:
		w.i -= 2
		binary.LittleEndian.PutUint16(w.s[w.i:], uint16(v))
	case 4:
		w.i -= 4
		binary.LittleEndian.PutUint32(w.s[w.i:], uint32(v))
	case 8:
		w.i -= 8
		binary.LittleEndian.PutUint64(w.s[w.i:], uint64(v))
	}
}

// prefix writes a REX byte if any of its bits is set or force (byte
// registers SPL..DIL) asks for it, then the mandatory/size prefix p (0 for
// none), which precedes it.
func (w *bw) prefix(p byte, rex byte, force bool) {
	if rex != 0 || force {
		w.byte1(0x40 | rex)
	}
	if p != 0 {
		w.byte1(p)
	}
}

// rexW is REX.W; the other REX bits (R=4, X=2, B=1) are computed from
// register numbers where the prefix is written.
const rexW = 8

// wbit is REX.W for 64-bit operands.
func wbit(s Size) byte {
	if s == S64 {
		return rexW
	}
	return 0
}

// opsize is the 66 prefix for 16-bit operands.
func opsize(s Size) byte {
	if s == S16 {
		return 0x66
	}
	return 0
}

// byteReg reports whether r, used as an 8-bit register, needs a REX prefix
// (spl, bpl, sil, dil; without REX these numbers mean ah, ch, dh, bh).
func byteReg(s Size, r Reg) bool { n := r.Num(); return s == S8 && n >= 4 && n < 8 }

// emitRR prepends an instruction whose ModRM names two registers: reg is
// the 4-bit number (or opcode extension) of the reg field, rm the number of
// the register in the rm field.
func (a *Asm) emitRR(p, rex byte, o opcode, reg, rm byte, force bool, isz int, imm int64) {
	w := bw{s: a.Buf.Front(maxInsn)}
	w.i = len(w.s)
	w.imm(isz, imm)
	w.byte1(0xC0 | (reg&7)<<3 | rm&7)
	w.op(o)
	w.prefix(p, rex|(reg>>3)<<2|rm>>3, force)
	a.done(&w)
}

// emitO prepends an instruction whose register is in the opcode's low bits
// (push, pop, mov r, imm, bswap).
func (a *Asm) emitO(p, rex byte, o opcode, r byte, isz int, imm int64) {
	w := bw{s: a.Buf.Front(maxInsn)}
	w.i = len(w.s)
	w.imm(isz, imm)
	w.op(o | opcode(r&7))
	w.prefix(p, rex|r>>3, false)
	a.done(&w)
}

// checkMem validates a memory operand, reporting the first problem.
func (a *Asm) checkMem(m Mem) bool {
	if m.Base-RAX < 16 && uint8(m.Index)|m.Scale <= 1 {
		return true // the common cases (no index, or RAX), inlined
	}
	return a.checkMemSlow(m)
}

func (a *Asm) checkMemSlow(m Mem) bool {
	switch {
	case m.Base != NoReg && !m.Base.IsGP() && m.Base != RIP && m.Base != ripLabel:
		a.fail("bad base register %v in %v", m.Base, m)
	case m.Index != NoReg && !m.Index.IsGP():
		a.fail("bad index register %v in %v", m.Index, m)
	case m.Index == RSP:
		a.fail("rsp cannot be an index register (%v)", m)
	case m.Index != NoReg && (m.Base == RIP || m.Base == ripLabel):
		a.fail("rip-relative operand cannot have an index (%v)", m)
	case m.Scale != 0 && m.Scale != 1 && m.Scale != 2 && m.Scale != 4 && m.Scale != 8:
		a.fail("bad scale %d in %v", m.Scale, m)
	default:
		return true
	}
	return false
}

var scaleBits = [16]byte{0, 0, 1, 0, 2, 0, 0, 0, 3}

// emitRM prepends an instruction with a memory operand in the rm field;
// reg is the 4-bit number or opcode extension of the reg field. The caller
// has checked m.
func (a *Asm) emitRM(p, rex byte, o opcode, reg byte, m Mem, force bool, isz int, imm int64) {
	end := a.Buf.Here()
	w := bw{s: a.Buf.Front(maxInsn)}
	w.i = len(w.s)
	w.imm(isz, imm)
	rex |= (reg >> 3) << 2
	r := (reg & 7) << 3
	d := m.Disp
	var idx byte
	if m.Index != NoReg {
		idx = m.Index.Num()
		rex |= (idx >> 3) << 1
	}
	switch {
	case m.Base == RIP || m.Base == ripLabel:
		if m.Base == ripLabel {
			rel, bound, ok := a.rel(Label(d), end)
			if !ok {
				return
			}
			if bound {
				d = int32(rel)
				if rel != int64(d) {
					a.fail("rip-relative label %d out of range", m.Disp)
					return
				}
			} else {
				d = 0
				a.addFixup(end+emit.Pos(isz+4), end, Label(m.Disp))
			}
		}
		w.imm(4, int64(d))
		w.byte1(r | 5)
	case m.Base == NoReg:
		// No base: SIB with base 101 and mod 00 means disp32 only.
		w.imm(4, int64(d))
		if m.Index == NoReg {
			w.byte1(4<<3 | 5)
		} else {
			w.byte1(scaleBits[m.Scale&15]<<6 | (idx&7)<<3 | 5)
		}
		w.byte1(r | 4)
	default:
		base := m.Base.Num()
		rex |= base >> 3
		var mod byte
		switch {
		case d == 0 && base&7 != 5:
		case d >= -128 && d <= 127:
			mod = 0x40
			w.byte1(byte(d))
		default:
			mod = 0x80
			w.imm(4, int64(d))
		}
		if m.Index == NoReg && base&7 != 4 {
			w.byte1(mod | r | base&7)
		} else {
			ix := byte(4) // no index
			if m.Index != NoReg {
				ix = idx & 7
			}
			w.byte1(scaleBits[m.Scale&15]<<6 | ix<<3 | base&7)
			w.byte1(mod | r | 4)
		}
	}
	w.op(o)
	w.prefix(p, rex, force)
	a.done(&w)
}

// -- Operand checks ----------------------------------------------------------

// gp checks that r is a general-purpose register; gp2 checks two. The
// fast paths inline; failures go to a separate function.
func (a *Asm) gp(op string, r Reg) bool {
	if r.IsGP() {
		return true
	}
	return a.badReg(op, "a general-purpose", r)
}

func (a *Asm) gp2(op string, r, s Reg) bool {
	if (r-RAX)|(s-RAX) < 16 {
		return true
	}
	return a.badReg2(op, true, r, s)
}

func (a *Asm) xmm(op string, r Reg) bool {
	if r.IsX() {
		return true
	}
	return a.badReg(op, "an SSE", r)
}

func (a *Asm) xmm2(op string, r, s Reg) bool {
	if (r-X0)|(s-X0) < 16 {
		return true
	}
	return a.badReg2(op, false, r, s)
}

//go:noinline
func (a *Asm) badReg2(op string, gp bool, r, s Reg) bool {
	if gp {
		if r.IsGP() {
			r = s
		}
		return a.badReg(op, "a general-purpose", r)
	}
	if r.IsX() {
		r = s
	}
	return a.badReg(op, "an SSE", r)
}

//go:noinline
func (a *Asm) badReg(op, kind string, r Reg) bool {
	a.fail("%s: %v is not %s register", op, r, kind)
	return false
}

// size checks s against the sizes an instruction accepts (a bit set of
// 1<<S8 | 1<<S16 ...).
func (a *Asm) size(op string, s Size, ok uint16) bool {
	if s <= 8 && ok&(1<<s) != 0 {
		return true
	}
	return a.badSize(op, s)
}

//go:noinline
func (a *Asm) badSize(op string, s Size) bool {
	a.fail("%s: operand size %d not supported", op, s)
	return false
}

const (
	sizes     = 1<<S8 | 1<<S16 | 1<<S32 | 1<<S64
	sizesW    = 1<<S16 | 1<<S32 | 1<<S64
	sizes3264 = 1<<S32 | 1<<S64
)

// fits8 reports whether v is a sign-extended 8-bit immediate.
func fits8(v int64) bool { return v >= -128 && v <= 127 }

// sizedImm truncates an immediate to the operand size, so the choice of
// the imm8 form looks at the value the instruction will really use.
func sizedImm(s Size, v int32) int64 {
	switch s {
	case S8:
		return int64(int8(v))
	case S16:
		return int64(int16(v))
	}
	return int64(v)
}

// immSize is the width of a full immediate at operand size s (imm32 for
// 64-bit operands, sign-extended).
func immSize(s Size) int {
	if s == S64 {
		return 4
	}
	return int(s)
}
