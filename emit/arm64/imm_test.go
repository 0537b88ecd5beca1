package arm64

import (
	"math"
	"math/bits"
	"os"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// evalMov runs a movz/movn/movk/orr-immediate sequence on one register.
func evalMov(t *testing.T, code []byte) uint64 {
	var x uint64
	for i := 0; i < len(code); i += 4 {
		w := word(code, i)
		is32 := w>>31 == 0
		imm, sh := uint64(w>>5&0xffff), 16*(w>>21&3)
		switch w & 0x7f800000 {
		case 0x52800000:
			x = imm << sh
		case 0x12800000:
			x = ^(imm << sh)
		case 0x72800000:
			x = x&^(0xffff<<sh) | imm<<sh
		case 0x32000000:
			v, ok := DecodeLogicalImm(w>>10&0x1fff, is32)
			if !ok || w>>5&31 != 31 {
				t.Fatalf("bad orr %#x", w)
			}
			x = v
		default:
			t.Fatalf("unexpected word %#x", w)
		}
		if is32 {
			x &= math.MaxUint32
		}
	}
	return x
}

// TestMovImm checks, on any host, that MovImm computes its constant and
// that MovImmLen matches; and for some values that no shorter sequence of
// movz/movn/orr and movk exists (searching all 65536 fillers).
func TestMovImm(t *testing.T) {
	a := New(emit.NewBuf(64))
	g := newGen()
	for i, v := range g.movValues() {
		for _, w := range []bool{false, true} {
			r, want := X5, v
			if w {
				r, want = W5, v&math.MaxUint32
			}
			a.Reset()
			a.MovImm(r, v)
			code := a.Buf.Bytes()
			if got := evalMov(t, code); got != want {
				t.Fatalf("MovImm(%v, %#x) computes %#x", r, v, got)
			}
			if n := MovImmLen(v, w); n != len(code)/4 {
				t.Errorf("MovImmLen(%#x) = %d, MovImm emits %d", v, n, len(code)/4)
			}
			if !w && i%10 == 0 && !testing.Short() && os.Getenv("JITKIT_QEMU") != "1" {
				if best := bruteMovLen(v); best < len(code)/4 {
					t.Errorf("MovImm(%#x): %d instructions, %d possible", v, len(code)/4, best)
				}
			}
		}
	}
}

// bruteMovLen is the shortest movz/movn/orr + movk sequence for a 64-bit
// v, by exhaustive search over one replaced halfword (and the counts of the
// wide moves).
func bruteMovLen(v uint64) int {
	zeros, ones := 0, 0
	for h := 0; h < 4; h++ {
		switch uint16(v >> (16 * h)) {
		case 0:
			zeros++
		case 0xffff:
			ones++
		}
	}
	best := 4 - max(zeros, ones)
	if best == 0 {
		best = 1
	}
	if _, ok := LogicalImm(v, false); ok {
		return 1
	}
	for i := 0; i < 4 && best > 2; i++ {
		for x := 0; x < 1<<16; x++ {
			c := v&^(0xffff<<(16*i)) | uint64(x)<<(16*i)
			if _, ok := LogicalImm(c, false); ok {
				best = 2
				break
			}
		}
	}
	return best
}

// TestLogicalImmRoundTrip checks LogicalImm against DecodeLogicalImm for
// every valid field, and that the quick reject agrees with the full search.
func TestLogicalImmRoundTrip(t *testing.T) {
	for _, w := range []bool{false, true} {
		n := 0
		for f := uint32(0); f < 1<<13; f++ {
			v, ok := DecodeLogicalImm(f, w)
			if !ok {
				continue
			}
			n++
			g, ok := LogicalImm(v, w)
			if !ok {
				t.Fatalf("LogicalImm(%#x) refused a value of field %#x", v, f)
			}
			if back, _ := DecodeLogicalImm(g, w); back != v {
				t.Fatalf("LogicalImm(%#x) = field %#x which decodes to %#x", v, g, back)
			}
		}
		if n == 0 {
			t.Fatal("no valid fields")
		}
	}
	// Values with a non-power-of-two transition count never encode.
	for _, v := range []uint64{0b101 << 3, 0x1234, 0xf0f0f0f0f0f0f0f1} {
		if tr := bits.OnesCount64(v ^ bits.RotateLeft64(v, 1)); tr&(tr-1) == 0 {
			continue
		}
		if _, ok := LogicalImm(v, false); ok {
			t.Errorf("LogicalImm(%#x) accepted", v)
		}
	}
}

// TestMovImmOrrComplete takes every 64-bit logical immediate, spoils one or
// two of its halfwords with random values, and checks that MovImm still
// finds orr plus one or two movk (or something shorter): the fillers the
// planner tries must cover every pattern.
func TestMovImmOrrComplete(t *testing.T) {
	r := newGen().r
	spoil := func() uint16 {
		for {
			if x := uint16(r.Uint32()); x != 0 && x != 0xffff {
				return x
			}
		}
	}
	n := 0
	for f := uint32(0); f < 1<<13; f++ {
		c, ok := DecodeLogicalImm(f, false)
		if !ok {
			continue
		}
		for i := 0; i < 4; i++ {
			v := c&^(0xffff<<(16*i)) | uint64(spoil())<<(16*i)
			if got := MovImmLen(v, false); got > 2 {
				t.Fatalf("%#x (logical %#x with halfword %d spoiled): %d instructions, 2 possible", v, c, i, got)
			}
			for j := i + 1; j < 4; j++ {
				w := v&^(0xffff<<(16*j)) | uint64(spoil())<<(16*j)
				if got := MovImmLen(w, false); got > 3 {
					t.Fatalf("%#x (logical %#x with halfwords %d, %d spoiled): %d instructions, 3 possible", w, c, i, j, got)
				}
				n++
			}
		}
	}
	t.Logf("%d spoiled constants", n)
}
