package irkit

// Why a window over one flat slice: references must be plain 16-bit
// indices so an instruction stays 8 bytes, and constants must be told apart
// from instructions by a single compare. Constants therefore grow downward
// from Bias and instructions upward from it, both inside one slice that is
// addressed through a moving lower bound (lo). When constants run out of
// room below, the slice is re-laid with more room at the bottom; no Ref
// ever changes, because a Ref is an absolute number, not a slice index.
//
//	refs:   nk ........ Bias-1 | Bias  Bias+1 ....... nins-1
//	        constants (down)   | BASE  instructions (up)
//	t.ir:   [ free | constants | BASE | instructions | free ]
//	         ^ index 0 is Ref lo

import (
	"errors"
	"math"
)

// Ref names a constant or an instruction of a trace: an index, never a
// pointer. Refs below Bias are constants, refs above Bias instructions;
// Bias itself is the BASE pseudo-instruction and 0 is NoRef.
type Ref uint16

const (
	// NoRef is the absent reference (an unused operand, a dropped guard).
	NoRef Ref = 0
	// Bias separates constants (below) from instructions (above).
	Bias Ref = 0x8000
	// First is the reference of the first real instruction of a trace.
	First Ref = Bias + 1
	// MaxRef is the highest reference a trace may use.
	MaxRef Ref = 0xfffe
	// MinConst is the lowest reference a constant may use.
	MinConst Ref = 2
)

// IsConst reports whether r names a constant.
func (r Ref) IsConst() bool { return r < Bias && r != NoRef }

// IsIns reports whether r names an instruction (BASE excluded).
func (r Ref) IsIns() bool { return r > Bias }

// Type is an IR value type. The top bit marks a guard: an instruction that
// may leave the trace. Bit 6 is a scratch mark for passes and is never set
// in a finished trace.
type Type uint8

// IR types. Values are held in a 64-bit word: TInt is sign-extended, TBool
// is 0 or 1, TNum holds the IEEE-754 bits, the rest are raw 64-bit words.
const (
	TVoid Type = iota // no value (stores, LOOP, NOP, CARG)
	TBool             // boolean, 0 or 1
	TInt              // int32, wrapping arithmetic
	TI64              // int64, wrapping arithmetic
	TNum              // float64, IEEE-754 exactly
	TPtr              // a 64-bit machine address
	TVal              // an opaque language value word (e.g. NaN-boxed)
	NumTypes

	TGuard Type = 0x80 // flag: the instruction is a guard
	tMark  Type = 0x40 // scratch flag for passes
	tMask  Type = 0x3f
)

var typeNames = [NumTypes]string{"void", "bool", "int", "i64", "num", "ptr", "val"}

// Base is t without its flags.
func (t Type) Base() Type { return t & tMask }

// IsGuard reports whether the guard flag is set.
func (t Type) IsGuard() bool { return t&TGuard != 0 }

// IsInt reports whether t is TInt or TI64.
func (t Type) IsInt() bool { b := t.Base(); return b == TInt || b == TI64 }

// Is64 reports whether values of t occupy 64 bits (in registers and in
// memory): TI64, TNum, TPtr, TVal.
func (t Type) Is64() bool { b := t.Base(); return b >= TI64 && b < NumTypes }

// Size is the number of bytes a load or store of type t touches: 1 for
// bool, 4 for int, 8 for the 64-bit types, 0 for void.
func (t Type) Size() int {
	switch t.Base() {
	case TBool:
		return 1
	case TInt:
		return 4
	case TVoid:
		return 0
	}
	return 8
}

// String is the short name used in dumps ("int", "num", ...).
func (t Type) String() string {
	if b := t.Base(); b < NumTypes {
		return typeNames[b]
	}
	return "type?"
}

// Ins is one IR instruction, exactly 8 bytes (a test asserts it):
//
//	 0      2      4      6    7    8
//	+------+------+------+----+----+
//	| Op1  | Op2  | Prev | Op | T  |
//	+------+------+------+----+----+
//
// Op1 and Op2 are Refs or literals, as the opcode table says. Prev chains
// instructions of the same opcode, newest first, for CSE and interning.
// Constants keep their payload in the operands: KINT holds the int32 in
// Op1 (low half) and Op2 (high half); the 64-bit constants hold an index
// into the trace's side array of 64-bit payloads in Op1.
type Ins struct {
	Op1, Op2 Ref
	Prev     Ref
	Op       Op
	T        Type
}

// Errors reported by the builder, the passes and the interpreter.
var (
	ErrTooLong    = errors.New("irkit: trace too long (out of references)")
	ErrTooManyK   = errors.New("irkit: too many constants")
	ErrBadRef     = errors.New("irkit: operand reference out of range")
	ErrBadOp      = errors.New("irkit: unknown opcode")
	ErrGuardFails = errors.New("irkit: guard always fails (trace is known to exit)")
)

// Trace is the IR of one trace: constants, instructions, snapshots and
// the descriptors its instructions refer to (helpers, the box layout).
// A Trace is reused across recordings with Reset; its slices keep their
// memory.
type Trace struct {
	ir   []Ins // window: ir[0] is Ref lo
	lo   Ref
	nk   Ref // lowest constant in use
	nins Ref // next instruction
	k64  []uint64
	// kidx is the constant hash index (see kfind); kcount its entries.
	kidx   []Ref
	kcount int
	// chain heads per opcode: newest instruction (or constant) of that op.
	chain [NumOps]Ref

	// Snaps are the snapshot headers in instruction order; SnapEntries
	// and SnapFrames are the flat arrays they index. See snap.go.
	Snaps       []Snap
	SnapEntries []SnapEntry
	SnapFrames  []Frame

	// Box describes the value-word layout the tag and box ops use.
	Box BoxLayout
	// Helpers is the helper table CALLN and CALLS name entries of; nil
	// means the process-wide DefaultHelpers.
	Helpers *Helpers

	// Loop is the LOOP instruction after loop optimization, else NoRef.
	Loop Ref
	// Looping marks a trace that jumps back to its own start when it runs
	// off its end (a recorded loop before loop optimization). Its last
	// snapshot tells which slots to write before the jump.
	Looping bool

	// scratch buffers of the passes, kept for reuse; substBuf also
	// keeps LoopOpt's substitution for LoopCopy
	substBuf []Ref
	markBuf  []bool
	workBuf  []Ref
	entBuf   []SnapEntry
	frameBuf []Frame
}

// NewTrace returns an empty trace with room for about n instructions and
// n/2 constants.
func NewTrace(n int) *Trace {
	if n < 16 {
		n = 16
	}
	t := &Trace{Box: DefaultBox}
	t.ir = make([]Ins, n/2+1, n/2+1+n)
	t.lo = Bias - Ref(n/2)
	t.Reset()
	return t
}

// Reset empties t for a new recording, keeping its memory. Box and Helpers
// are kept.
func (t *Trace) Reset() {
	if len(t.ir) == 0 {
		t.ir = make([]Ins, 9, 64)
		t.lo = Bias - 8
	}
	// Keep the room below Bias the previous traces needed for constants.
	t.ir = t.ir[:int(Bias-t.lo)+1]
	t.nk = Bias
	t.nins = First
	t.ir[Bias-t.lo] = Ins{Op: BASE, T: TVoid}
	t.k64 = t.k64[:0]
	clear(t.kidx)
	t.kcount = 0
	t.chain = [NumOps]Ref{}
	t.Snaps = t.Snaps[:0]
	t.SnapEntries = t.SnapEntries[:0]
	t.SnapFrames = t.SnapFrames[:0]
	t.Loop = NoRef
	t.Looping = false
}

// Ins returns the instruction or constant r. r must be a valid reference
// (see Valid); an invalid one returns a NOP.
func (t *Trace) Ins(r Ref) Ins {
	if r < t.nk || r >= t.nins {
		return Ins{Op: NOP}
	}
	return t.ir[r-t.lo]
}

// At returns a pointer to instruction r, for passes that rewrite in place.
// r must be valid.
func (t *Trace) At(r Ref) *Ins { return &t.ir[r-t.lo] }

// Valid reports whether r names an existing constant or instruction.
func (t *Trace) Valid(r Ref) bool { return r >= t.nk && r < t.nins && r != Bias }

// Next is the reference the next instruction will get; the instructions
// are First..Next()-1.
func (t *Trace) Next() Ref { return t.nins }

// Len is the number of instructions (constants excluded).
func (t *Trace) Len() int { return int(t.nins - First) }

// KLow is the lowest constant reference; the constants are KLow()..Bias-1.
func (t *Trace) KLow() Ref { return t.nk }

// Chain returns the newest instruction or constant of opcode op (the head
// of its CSE chain); follow Ins.Prev for older ones.
func (t *Trace) Chain(op Op) Ref {
	if op >= NumOps {
		return NoRef
	}
	return t.chain[op]
}

// -- Appending ---------------------------------------------------------------

// push appends ins as a new instruction and links it into its chain.
func (t *Trace) push(ins Ins) (Ref, error) {
	if t.nins > MaxRef {
		return NoRef, ErrTooLong
	}
	ins.Prev = t.chain[ins.Op]
	r := t.nins
	t.ir = append(t.ir, ins)
	t.chain[ins.Op] = r
	t.nins++
	return r, nil
}

// pushK adds a constant below the lowest one, growing the bottom room if
// needed, and links it into its chain.
func (t *Trace) pushK(ins Ins) (Ref, error) {
	if t.nk <= MinConst {
		return NoRef, ErrTooManyK
	}
	if t.nk == t.lo {
		t.growBottom()
	}
	t.nk--
	ins.Prev = t.chain[ins.Op]
	t.ir[t.nk-t.lo] = ins
	t.chain[ins.Op] = t.nk
	return t.nk, nil
}

// growBottom re-lays the window with twice the room below Bias.
func (t *Trace) growBottom() {
	old := int(Bias - t.lo)
	room := 2 * old
	if room < 16 {
		room = 16
	}
	if room > int(Bias-MinConst) {
		room = int(Bias - MinConst)
	}
	nlo := Bias - Ref(room)
	n := make([]Ins, int(t.nins-nlo), int(t.nins-nlo)+cap(t.ir)-len(t.ir)+16)
	copy(n[t.lo-nlo:], t.ir)
	t.ir = n
	t.lo = nlo
}

// -- Constants ---------------------------------------------------------------

// KInt interns the int32 constant v (type TInt).
func (t *Trace) KInt(v int32) (Ref, error) { return t.kint(TInt, v) }

// KBool interns the boolean constant v (type TBool, op KINT).
func (t *Trace) KBool(v bool) (Ref, error) {
	if v {
		return t.kint(TBool, 1)
	}
	return t.kint(TBool, 0)
}

func (t *Trace) kint(ty Type, v int32) (Ref, error) {
	w := uint64(int64(v))
	h, r := t.kfind(KINT, ty, w)
	if r != NoRef {
		return r, nil
	}
	r, err := t.pushK(Ins{Op: KINT, T: ty, Op1: Ref(uint32(v)), Op2: Ref(uint32(v) >> 16)})
	if err == nil {
		t.kinsert(h, r)
	}
	return r, err
}

// KI64 interns the int64 constant v.
func (t *Trace) KI64(v int64) (Ref, error) { return t.k64op(KI64, TI64, uint64(v)) }

// KNum interns the float64 constant v by its bit pattern: -0.0 and 0.0 are
// different constants and NaN payloads are kept.
func (t *Trace) KNum(v float64) (Ref, error) { return t.k64op(KNUM, TNum, math.Float64bits(v)) }

// KNumBits interns the float64 constant with bit pattern bits.
func (t *Trace) KNumBits(bits uint64) (Ref, error) { return t.k64op(KNUM, TNum, bits) }

// KPtr interns the address constant p.
func (t *Trace) KPtr(p uintptr) (Ref, error) { return t.k64op(KPTR, TPtr, uint64(p)) }

// KVal interns the language-value constant with word w.
func (t *Trace) KVal(w uint64) (Ref, error) { return t.k64op(KVAL, TVal, w) }

// K interns a constant of type ty whose value word is w (the same word
// the interpreter uses: TInt sign-extended, TBool 0 or 1, TNum its bits).
func (t *Trace) K(ty Type, w uint64) (Ref, error) {
	switch ty.Base() {
	case TInt:
		return t.kint(TInt, int32(w))
	case TBool:
		return t.kint(TBool, int32(w&1))
	case TI64:
		return t.k64op(KI64, TI64, w)
	case TNum:
		return t.k64op(KNUM, TNum, w)
	case TPtr:
		return t.k64op(KPTR, TPtr, w)
	case TVal:
		return t.k64op(KVAL, TVal, w)
	}
	return NoRef, errors.New("irkit: no constants of type " + ty.String())
}

func (t *Trace) k64op(op Op, ty Type, w uint64) (Ref, error) {
	h, r := t.kfind(op, ty, w)
	if r != NoRef {
		return r, nil
	}
	if len(t.k64) > 0xffff {
		return NoRef, ErrTooManyK
	}
	t.k64 = append(t.k64, w)
	r, err := t.pushK(Ins{Op: op, T: ty, Op1: Ref(len(t.k64) - 1)})
	if err == nil {
		t.kinsert(h, r)
	}
	return r, err
}

// -- Constant index ----------------------------------------------------------

// Constants are found through an open-addressing hash index (a flat slice
// of Refs, linear probing), so interning stays O(1) however many constants
// a trace has; LuaJIT's linear chain walk would be quadratic here. The
// index is rebuilt from the constants when it grows, and cleared by Reset.

func khash(op Op, ty Type, w uint64) uint32 {
	h := (w ^ uint64(op)<<56 ^ uint64(ty)<<48) * 0x9e3779b97f4a7c15
	return uint32(h >> 32)
}

// kfind returns the probe position for (op, ty, w) and the constant there,
// or NoRef if there is none.
func (t *Trace) kfind(op Op, ty Type, w uint64) (uint32, Ref) {
	if len(t.kidx) == 0 {
		t.kidx = make([]Ref, 64)
	}
	mask := uint32(len(t.kidx) - 1)
	h := khash(op, ty, w) & mask
	for {
		r := t.kidx[h]
		if r == NoRef {
			return h, NoRef
		}
		k := &t.ir[r-t.lo]
		if k.Op == op && k.T == ty {
			if kw, _ := t.KWord(r); kw == w {
				return h, r
			}
		}
		h = (h + 1) & mask
	}
}

func (t *Trace) kinsert(h uint32, r Ref) {
	t.kidx[h] = r
	t.kcount++
	if t.kcount*2 <= len(t.kidx) {
		return
	}
	t.kidx = make([]Ref, 2*len(t.kidx))
	mask := uint32(len(t.kidx) - 1)
	for k := t.nk; k < Bias; k++ {
		w, _ := t.KWord(k)
		ins := &t.ir[k-t.lo]
		h := khash(ins.Op, ins.T, w) & mask
		for t.kidx[h] != NoRef {
			h = (h + 1) & mask
		}
		t.kidx[h] = k
	}
}

// KWord returns the value word of constant r (as the interpreter holds
// it: TInt sign-extended, TBool 0/1, TNum its bits) and whether r is a
// constant at all.
func (t *Trace) KWord(r Ref) (uint64, bool) {
	if r < t.nk || r >= Bias {
		return 0, false
	}
	k := &t.ir[r-t.lo]
	switch k.Op {
	case KINT:
		return uint64(int64(int32(uint32(k.Op1) | uint32(k.Op2)<<16))), true
	case KI64, KNUM, KPTR, KVAL:
		return t.k64[k.Op1], true
	}
	return 0, false
}

// KIntValue returns the int32 of a KINT constant.
func (t *Trace) KIntValue(r Ref) (int32, bool) {
	w, ok := t.KWord(r)
	if !ok || t.ir[r-t.lo].Op != KINT {
		return 0, false
	}
	return int32(w), true
}

// KNumValue returns the float64 of a KNUM constant.
func (t *Trace) KNumValue(r Ref) (float64, bool) {
	w, ok := t.KWord(r)
	if !ok || t.ir[r-t.lo].Op != KNUM {
		return 0, false
	}
	return math.Float64frombits(w), true
}

// -- Value words -------------------------------------------------------------

// Norm returns the canonical value word of type ty for the raw word w:
// int32 sign-extended from the low 32 bits, bool reduced to 0 or 1, the
// 64-bit types unchanged. Slot and memory loads produce normalized words.
func Norm(ty Type, w uint64) uint64 {
	switch ty.Base() {
	case TInt:
		return uint64(int64(int32(uint32(w))))
	case TBool:
		if w&0xff != 0 {
			return 1
		}
		return 0
	case TVoid:
		return 0
	}
	return w
}

// Operands returns the operands of instruction r that are references (a
// literal or absent operand is returned as NoRef). For a call, the first
// is the argument list (a CARG tree or a single value) or Bias for none.
func (t *Trace) Operands(r Ref) (a, c Ref) {
	if !t.Valid(r) {
		return NoRef, NoRef
	}
	ins := t.ir[r-t.lo]
	info := ins.Op.Info()
	if info.Mode1 == ModeRef {
		a = ins.Op1
	}
	if info.Mode2 == ModeRef {
		c = ins.Op2
	}
	return a, c
}

// CallArgs writes the argument refs of the call instruction r (CALLN or
// CALLS), left to right, into buf (which needs room for MaxArgs) and
// returns their number; ok is false if r is not a well-formed call.
func (t *Trace) CallArgs(r Ref, buf []Ref) (n int, ok bool) {
	if !t.Valid(r) || !t.ir[r-t.lo].Op.Has(FCall) || len(buf) < MaxArgs {
		return 0, false
	}
	return t.argRefs(t.ir[r-t.lo].Op1, buf)
}
