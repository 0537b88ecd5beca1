package snapshot

import (
	"bytes"
	"errors"
	"math/rand"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jitkit/jitkit/irkit"
)

// randExit makes a random valid exit record from rng.
func randExit(rng *rand.Rand, nspill int) Exit {
	x := Exit{Snap: rng.Intn(50), PC: rng.Uint64() >> uint(rng.Intn(64)), NSlots: rng.Intn(MaxSlot + 2)}
	for d := rng.Intn(4); d > 0; d-- {
		x.Frames = append(x.Frames, irkit.Frame{Base: uint16(rng.Intn(1 << 16)), PC: rng.Uint64() >> uint(rng.Intn(64))})
	}
	slot := -1
	for n := rng.Intn(12); n > 0; n-- {
		slot += 1 + rng.Intn(1+[]int{0, 3, 300}[rng.Intn(3)])
		if slot > MaxSlot {
			break
		}
		e := Entry{Slot: slot, Type: irkit.Type(rng.Intn(int(irkit.NumTypes))), Kind: Kind(rng.Intn(int(numKinds))),
			Flags: uint8(rng.Intn(8))}
		switch e.Kind {
		case InReg:
			e.Val = uint64(rng.Intn(MaxRegs))
		case InSpill:
			e.Val = uint64(rng.Intn(nspill))
		case InConst:
			e.Val = []uint64{0, 1, rng.Uint64(), uint64(rng.Intn(3))}[rng.Intn(4)]
			e.Flags |= irkit.SnapConst
		}
		x.Entries = append(x.Entries, e)
	}
	return x
}

// TestRoundTrip: random records encode and decode exactly, through the
// Encoder and through Bytes and Decode; shared records are stored once.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	var enc Encoder
	for it := 0; it < scale(t, 2000); it++ {
		var xs []Exit
		g := irkit.Bias + 1
		for n := rng.Intn(20); n > 0; n-- {
			var x Exit
			if len(xs) > 0 && rng.Intn(4) == 0 {
				x = xs[rng.Intn(len(xs))] // a guard sharing a record
			} else {
				x = randExit(rng, 1+rng.Intn(300))
			}
			g += irkit.Ref(rng.Intn(3))
			if _, err := enc.Add(g, &x); err != nil {
				t.Fatalf("add %v: %v", x, err)
			}
			xs = append(xs, x)
		}
		m := enc.Map()
		m2, err := Decode(m.Bytes())
		if err != nil {
			t.Fatalf("decode: %v\n%s", err, m)
		}
		if !bytes.Equal(m.Bytes(), m2.Bytes()) {
			t.Fatalf("Bytes differ after Decode")
		}
		for i, want := range xs {
			for _, mm := range []*Map{m, m2} {
				got, err := mm.Exit(i)
				if err != nil {
					t.Fatal(err)
				}
				if !exitEqual(want, got) {
					t.Fatalf("exit %d:\nwant %v\ngot  %v", i, want, got)
				}
			}
		}
	}
}

// TestDecodeRejects: every truncation and many corruptions of a real map
// give an error or a map that still restores every exit without panicking.
func TestDecodeRejects(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	var enc Encoder
	for i := 0; i < 8; i++ {
		x := randExit(rng, 20)
		if _, err := enc.Add(irkit.Bias+1+irkit.Ref(i), &x); err != nil {
			t.Fatal(err)
		}
	}
	b := enc.Map().Bytes()
	for n := 0; n < len(b); n++ {
		if _, err := Decode(b[:n]); !errors.Is(err, ErrBad) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
	for it := 0; it < scale(t, 5000); it++ {
		c := append([]byte(nil), b...)
		for k := 1 + rng.Intn(3); k > 0; k-- {
			c[rng.Intn(len(c))] ^= byte(1 << rng.Intn(8))
		}
		exercise(t, c)
	}
}

// exercise decodes b and, if it is accepted, decodes and restores every
// exit: a map Decode accepts must never fail or panic later.
func exercise(t *testing.T, b []byte) {
	m, err := Decode(b)
	if err != nil {
		if !errors.Is(err, ErrBad) {
			t.Fatalf("error %v is not ErrBad", err)
		}
		return
	}
	var regs [64]uint64
	spill := make([]uint64, m.NumSpill())
	var s Slots
	for i := 0; i < m.NumExits(); i++ {
		if _, err := m.Exit(i); err != nil {
			t.Fatalf("accepted map, exit %d: %v", i, err)
		}
		if err := m.Restore(i, &regs, spill, &s); err != nil {
			t.Fatalf("accepted map, restore %d: %v", i, err)
		}
	}
	_ = m.String()
}

// FuzzDecode: Decode never panics, and what it accepts restores.
func FuzzDecode(f *testing.F) {
	rng := rand.New(rand.NewSource(1))
	var enc Encoder
	for i := 0; i < 4; i++ {
		x := randExit(rng, 8)
		enc.Add(irkit.Bias+1+irkit.Ref(i), &x)
		f.Add(enc.Map().Bytes())
	}
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, b []byte) { exercise(t, b) })
}

// FuzzRoundTrip: exits built from fuzz input either are rejected by Add
// or decode to exactly what was added.
func FuzzRoundTrip(f *testing.F) {
	f.Add(uint64(1), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(uint64(7), []byte{255, 254, 0, 0, 3, 9})
	f.Fuzz(func(t *testing.T, pc uint64, b []byte) {
		x := Exit{PC: pc, NSlots: len(b), Frames: []irkit.Frame{{Base: 0, PC: pc}}}
		slot := -1
		for i := 0; i+3 <= len(b); i += 3 {
			slot += 1 + int(b[i]&3)
			e := Entry{Slot: slot, Type: irkit.Type(b[i+1] & 7), Kind: Kind(b[i+1] >> 3 & 3), Flags: b[i+1] >> 5, Val: uint64(b[i+2])}
			if e.Kind == InConst {
				e.Flags |= irkit.SnapConst
				e.Val *= 0x0101010101010101
			}
			x.Entries = append(x.Entries, e)
		}
		var enc Encoder
		if _, err := enc.Add(irkit.Bias+1, &x); err != nil {
			if !errors.Is(err, ErrBad) {
				t.Fatal(err)
			}
			return
		}
		m := enc.Map()
		for _, mm := range []*Map{m, mustDecode(t, m.Bytes())} {
			got, err := mm.Exit(0)
			if err != nil {
				t.Fatal(err)
			}
			if len(x.Entries) == 0 {
				x.Entries = got.Entries[:0:0]
				got.Entries = x.Entries
			}
			if d := cmp.Diff(x, got); d != "" {
				t.Fatalf("(-added +decoded):\n%s", d)
			}
		}
	})
}

func exitEqual(a, b Exit) bool {
	return a.Snap == b.Snap && a.PC == b.PC && a.NSlots == b.NSlots &&
		slices.Equal(a.Frames, b.Frames) && slices.Equal(a.Entries, b.Entries)
}

func mustDecode(t *testing.T, b []byte) *Map {
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
