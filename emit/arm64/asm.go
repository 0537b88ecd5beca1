package arm64

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jitkit/jitkit/emit"
)

// -- The assembler -----------------------------------------------------------

// Asm encodes arm64 instructions backwards into an emit.Buf: every method
// prepends its instruction, so the last instruction of a function is
// emitted first. Labels bind to the current start of the code; branches to
// a label that is already bound go forward in program order, branches to a
// label that is bound later go backward and are patched when it is bound.
//
// Errors are sticky: an instruction that cannot be encoded (a register that
// its slot does not accept, an immediate out of range) is not emitted, and
// the first such error is kept for Err and Finish. Callers that want a
// fallback ask first: LogicalImm, AddImmOK, MemOK and FMovImmOK say whether
// an immediate form exists.
//
// Asm does no allocation per instruction: labels and fixups live in flat
// slices that Reset keeps.
type Asm struct {
	Buf *emit.Buf

	// AllowReserved lets instructions write X18 and X28. Code that runs
	// inside a Go process must never do that (X28 is the goroutine
	// pointer, X18 the platform register), so by default the encoder
	// refuses; only tests of the encodings themselves set it.
	AllowReserved bool

	err    error
	labels []label
	fixups []fixup
	relocs []reloc

	// Short-range branches (b.cond, cbz, tbz, ...) to labels not bound yet
	// are kept in range by veneer islands: when the code emitted since the
	// oldest such branch approaches its reach, the branch is retargeted to
	// an unconditional b placed here, and the code jumps over the island.
	pendingShort int      // unresolved short fixups
	shortLimit   emit.Pos // farthest Pos every pending short fixup still reaches
	islands      int      // islands inserted so far
}

// Label names a position in the code. The zero Label is not a label; get
// labels from NewLabel.
type Label int32

type label struct {
	pos   emit.Pos
	bound bool
	head  int32 // first pending fixup, -1 if none
}

// fixKind is how a pc-relative field is placed in an instruction word.
type fixKind uint8

const (
	fixB26   fixKind = iota // b, bl: imm26 at bit 0, words
	fixBr19                 // b.cond, cbz, cbnz: imm19 at bit 5, words
	fixTb14                 // tbz, tbnz: imm14 at bit 5, words
	fixAdr                  // adr: 21-bit byte offset split immlo:immhi
	fixLit19                // ldr literal: imm19 at bit 5, words; no veneer possible
)

// reach is the largest backward distance in bytes a field can express.
var reach = [...]int64{fixB26: 1 << 27, fixBr19: 1 << 20, fixTb14: 1 << 15, fixAdr: 1 << 20, fixLit19: 1 << 20}

type fixup struct {
	at    emit.Pos // Pos of the instruction
	kind  fixKind
	done  bool
	label Label
	next  int32
}

const noLimit = emit.Pos(math.MaxInt32)

// New returns an assembler that emits into buf.
func New(buf *emit.Buf) *Asm {
	return &Asm{Buf: buf, shortLimit: noLimit}
}

// Reset empties the buffer and forgets labels, fixups and errors, keeping
// their memory.
func (a *Asm) Reset() {
	a.Buf.Reset()
	a.err = nil
	a.labels = a.labels[:0]
	a.fixups = a.fixups[:0]
	a.relocs = a.relocs[:0]
	a.pendingShort = 0
	a.shortLimit = noLimit
	a.islands = 0
}

// Err returns the first encoding error, or nil.
func (a *Asm) Err() error { return a.err }

// Islands is the number of veneer islands inserted to keep short branches
// in range.
func (a *Asm) Islands() int { return a.islands }

// Finish reports the first encoding error, or an error if a branch still
// refers to a label that was never bound.
func (a *Asm) Finish() error {
	if a.err != nil {
		return a.err
	}
	for i := range a.fixups {
		if !a.fixups[i].done {
			return fmt.Errorf("arm64: label %d used but never bound", a.fixups[i].label)
		}
	}
	return nil
}

// fail records the first error.
func (a *Asm) fail(format string, args ...any) {
	if a.err == nil {
		a.err = fmt.Errorf("arm64: "+format, args...)
	}
}

// Here is the Pos of the start of the code emitted so far.
func (a *Asm) Here() emit.Pos { return a.Buf.Here() }

// put prepends one instruction word.
func (a *Asm) put(w uint32) {
	if a.Buf.Here()+4 > a.shortLimit-a.islandRoom() {
		a.island(1)
	}
	a.Buf.Put4(w)
}

// room makes sure the next n words can be emitted without an island
// between them (used for sequences with internal pc-relative offsets).
func (a *Asm) room(n int) {
	if a.Buf.Here()+emit.Pos(4*n) > a.shortLimit-a.islandRoom() {
		a.island(n)
	}
}

// islandRoom is the size of the island that would be needed now.
func (a *Asm) islandRoom() emit.Pos { return emit.Pos(4 * (a.pendingShort + 1)) }

// Word prepends a raw instruction word, for encodings this package does not
// name.
func (a *Asm) Word(w uint32) { a.put(w) }

// -- Labels and fixups -------------------------------------------------------

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
// are patched.
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
		if f.done {
			continue
		}
		f.done = true
		if f.kind == fixBr19 || f.kind == fixTb14 {
			a.pendingShort--
		}
		a.patch(f.at, f.kind, int64(f.at)-int64(lb.pos))
	}
	lb.head = -1
	if a.pendingShort == 0 {
		a.shortLimit = noLimit
	}
}

// LabelPos returns the Pos a label is bound to.
func (a *Asm) LabelPos(l Label) (emit.Pos, bool) {
	lb := a.lab(l)
	if lb == nil || !lb.bound {
		return 0, false
	}
	return lb.pos, true
}

// patch writes the byte offset off into the instruction at Pos at.
func (a *Asm) patch(at emit.Pos, k fixKind, off int64) {
	b := a.Buf.At(at, 4)
	w, ok := setOffset(binary.LittleEndian.Uint32(b), k, off)
	if !ok {
		a.fail("branch offset %d out of range", off)
		return
	}
	binary.LittleEndian.PutUint32(b, w)
}

// setOffset inserts a byte offset into the pc-relative field of w.
func setOffset(w uint32, k fixKind, off int64) (uint32, bool) {
	if !offsetOK(k, off) {
		return w, false
	}
	switch k {
	case fixB26:
		return w&^0x03ffffff | uint32(off>>2)&0x03ffffff, true
	case fixBr19, fixLit19:
		return w&^(0x7ffff<<5) | (uint32(off>>2)&0x7ffff)<<5, true
	case fixTb14:
		return w&^(0x3fff<<5) | (uint32(off>>2)&0x3fff)<<5, true
	case fixAdr:
		return w&^(3<<29|0x7ffff<<5) | (uint32(off)&3)<<29 | (uint32(off>>2)&0x7ffff)<<5, true
	}
	return w, false
}

// offsetOK reports whether a byte offset fits a field of kind k.
func offsetOK(k fixKind, off int64) bool {
	if k != fixAdr && off&3 != 0 {
		return false
	}
	return off >= -reach[k] && off < reach[k]
}

// branch emits w, whose pc-relative field of kind k refers to l.
func (a *Asm) branch(w uint32, k fixKind, l Label) {
	lb := a.lab(l)
	if lb == nil {
		a.fail("branch to invalid label %d", l)
		return
	}
	if lb.bound {
		a.room(1)
		off := int64(a.Buf.Here()) + 4 - int64(lb.pos)
		w2, ok := setOffset(w, k, off)
		if !ok {
			a.fail("branch offset %d out of range", off)
			return
		}
		a.Buf.Put4(w2)
		return
	}
	if k == fixTb14 || k == fixBr19 {
		// The new fixup grows the island that may be needed by one veneer.
		a.room(2)
	}
	a.put(w)
	a.addFixup(a.Buf.Here(), k, l)
}

// boundFar reports whether l is bound and a branch of kind k emitted now
// could not reach it: the caller then branches over an unconditional b.
func (a *Asm) boundFar(k fixKind, l Label) bool {
	lb := a.lab(l)
	if lb == nil || !lb.bound {
		return false
	}
	return !offsetOK(k, int64(a.Buf.Here())+4-int64(lb.pos))
}

func (a *Asm) addFixup(at emit.Pos, k fixKind, l Label) {
	lb := &a.labels[l-1]
	a.fixups = append(a.fixups, fixup{at: at, kind: k, label: l, next: lb.head})
	lb.head = int32(len(a.fixups) - 1)
	if k == fixTb14 || k == fixBr19 {
		a.pendingShort++
		if lim := at + emit.Pos(reach[k]); lim < a.shortLimit {
			a.shortLimit = lim
		}
	}
}

// island inserts veneers for the pending short branches, so that the next
// n words fit. Program order of an island:
//
//	b    over        ; fall-through skips the island
//	b    label1      ; veneer: the short branch now lands here
//	...
//	over:
func (a *Asm) island(n int) {
	// The limit may be stale (fixups resolved since); recompute it.
	a.shortLimit = noLimit
	for i := range a.fixups {
		f := &a.fixups[i]
		if !f.done && (f.kind == fixTb14 || f.kind == fixBr19) {
			if lim := f.at + emit.Pos(reach[f.kind]); lim < a.shortLimit {
				a.shortLimit = lim
			}
		}
	}
	if a.Buf.Here()+emit.Pos(4*n) <= a.shortLimit-a.islandRoom() {
		return
	}
	a.islands++
	over := a.Buf.Here()
	for i := range a.fixups {
		f := &a.fixups[i]
		if f.done || (f.kind != fixTb14 && f.kind != fixBr19) {
			continue
		}
		f.done = true
		a.Buf.Put4(0x14000000) // b label, patched when label is bound
		v := a.Buf.Here()
		a.addFixup(v, fixB26, a.fixups[i].label)
		f = &a.fixups[i] // addFixup may have moved the slice
		a.patch(f.at, f.kind, int64(f.at)-int64(v))
	}
	a.pendingShort = 0
	a.shortLimit = noLimit
	a.Buf.Put4(0x14000000)
	at := a.Buf.Here()
	a.patch(at, fixB26, int64(at)-int64(over))
}
