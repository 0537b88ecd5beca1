package emit

import "encoding/binary"

// Buf is a machine-code buffer that is filled backwards, from the end of the
// code toward its start, as LuaJIT's assembler does: lowering walks a trace
// from its last instruction to its first, so the code for an instruction is
// emitted after the code of everything that follows it.
//
// Positions are measured as a distance from the end of the code (Pos). A
// Pos never changes once taken, however much is prepended or however often
// the buffer grows, so it is the natural name for a label or a fixup.
//
//	b.b:  [ free ........ | code emitted so far ]
//	                       ^ b.pos             ^ len(b.b)
type Buf struct {
	b   []byte
	pos int
}

// Pos is a position in a Buf, counted in bytes from the end of the code.
// Pos 0 is the very end; the code emitted so far starts at Pos Len().
type Pos int32

// NewBuf returns an empty buffer with room for size bytes before it grows.
func NewBuf(size int) *Buf {
	if size < 64 {
		size = 64
	}
	return &Buf{b: make([]byte, size), pos: size}
}

// Reset empties the buffer, keeping its memory.
func (b *Buf) Reset() { b.pos = len(b.b) }

// Len is the number of bytes emitted so far.
func (b *Buf) Len() int { return len(b.b) - b.pos }

// Here is the Pos of the first byte of the code emitted so far: the Pos the
// next instruction will end at.
func (b *Buf) Here() Pos { return Pos(len(b.b) - b.pos) }

// Bytes returns the code emitted so far, first byte first. The slice aliases
// the buffer until the next write.
func (b *Buf) Bytes() []byte { return b.b[b.pos:] }

// At returns the n bytes of code that start at Pos p, for patching.
func (b *Buf) At(p Pos, n int) []byte {
	i := len(b.b) - int(p)
	return b.b[i : i+n]
}

// grow makes room for at least n more bytes in front of the code.
func (b *Buf) grow(n int) {
	used := len(b.b) - b.pos
	size := 2 * len(b.b)
	for size-used < n {
		size *= 2
	}
	nb := make([]byte, size)
	copy(nb[size-used:], b.b[b.pos:])
	b.b, b.pos = nb, size-used
}

// Reserve prepends n zero bytes and returns them for the caller to fill.
func (b *Buf) Reserve(n int) []byte {
	s := b.room(n)
	clear(s)
	return s
}

// room prepends n bytes without clearing them.
func (b *Buf) room(n int) []byte {
	if b.pos < n {
		b.grow(n)
	}
	b.pos -= n
	return b.b[b.pos : b.pos+n]
}

// Front returns the free space in front of the code, at least n bytes
// long, growing the buffer if needed. An encoder writes a new instruction
// at the end of the slice, last byte first, and then calls Commit with the
// number of bytes it wrote: no temporary copy, no clearing.
func (b *Buf) Front(n int) []byte {
	if b.pos < n {
		b.grow(n)
	}
	return b.b[:b.pos]
}

// Commit prepends the last n bytes of the slice Front returned.
func (b *Buf) Commit(n int) { b.pos -= n }

// Put prepends bytes, keeping their order.
func (b *Buf) Put(p ...byte) { copy(b.room(len(p)), p) }

// Put1 prepends one byte.
func (b *Buf) Put1(x byte) {
	if b.pos < 1 {
		b.grow(1)
	}
	b.pos--
	b.b[b.pos] = x
}

// Put4 prepends a 32-bit little-endian word: one arm64 instruction, or an
// x86 imm32/disp32.
func (b *Buf) Put4(x uint32) {
	if b.pos < 4 {
		b.grow(4)
	}
	b.pos -= 4
	binary.LittleEndian.PutUint32(b.b[b.pos:], x)
}

// Put8 prepends a 64-bit little-endian word.
func (b *Buf) Put8(x uint64) {
	if b.pos < 8 {
		b.grow(8)
	}
	b.pos -= 8
	binary.LittleEndian.PutUint64(b.b[b.pos:], x)
}
