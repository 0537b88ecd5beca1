package regalloc

import (
	"errors"
	"math/rand"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// TestBadTraces: malformed traces are reported as errors, never panics.
func TestBadTraces(t *testing.T) {
	build := func(f func(b *irkit.Builder, tr *irkit.Trace)) *irkit.Trace {
		b := irkit.NewBuilder(nil)
		tr := b.T
		tr.Helpers = testHelpers
		tr.AddSnap(0, 4, nil, nil)
		f(b, tr)
		return tr
	}
	cases := map[string]struct {
		tr   *irkit.Trace
		want error
	}{
		"forward operand": {build(func(b *irkit.Builder, tr *irkit.Trace) {
			x := b.SLoad(0, irkit.TInt)
			y := b.Arith(irkit.ADD, irkit.TInt, x, x)
			tr.At(y).Op2 = y + 5
		}), ErrBadTrace},
		"PHI without LOOP": {build(func(b *irkit.Builder, tr *irkit.Trace) {
			x := b.SLoad(0, irkit.TInt)
			y := b.Arith(irkit.ADD, irkit.TInt, x, b.KInt(1))
			b.Emit(irkit.PHI, irkit.TInt, x, y)
		}), ErrBadTrace},
		"guard without snapshot": {func() *irkit.Trace {
			b := irkit.NewBuilder(nil)
			x := b.SLoad(0, irkit.TInt)
			b.Guard(irkit.LT, x, b.KInt(3))
			return b.T
		}(), ErrBadTrace},
		"value of a store": {build(func(b *irkit.Builder, tr *irkit.Trace) {
			x := b.SLoad(0, irkit.TInt)
			s := b.Emit(irkit.SSTORE, irkit.TInt, 1, x)
			y := b.Arith(irkit.ADD, irkit.TInt, x, x)
			tr.At(y).Op2 = s
		}), ErrBadTrace},
		"too many float args": {build(func(b *irkit.Builder, tr *irkit.Trace) {
			x := b.SLoad(0, irkit.TNum)
			a := x
			for i := 0; i < 8; i++ {
				a = b.Emit(irkit.CARG, irkit.TVoid, a, x)
			}
			b.Emit(irkit.CALLS, irkit.TNum, a, 1)
		}), ErrBadTrace},
	}
	for name, c := range cases {
		for _, tg := range targets {
			if _, err := Alloc(tg, c.tr); !errors.Is(err, c.want) {
				t.Errorf("%s on %s: got %v, want %v", name, tg.Name, err, c.want)
			}
		}
	}
}

// TestCheckCatches corrupts correct allocations at random and requires
// the checker to reject most of them, and never to panic.
func TestCheckCatches(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	caught, tried := 0, 0
	for seed := 0; seed < scale(200); seed++ {
		tr := genTrace(rand.New(rand.NewSource(int64(seed))), genCfg{n: 60, slots: 8, snaps: 50, live: 10, loop: seed%2 == 0, calls: true})
		if tr == nil {
			continue
		}
		res, err := Alloc(AMD64, tr)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 5; k++ {
			bad := clone2(res)
			switch rng.Intn(5) {
			case 0:
				if len(bad.Moves) == 0 {
					continue
				}
				m := &bad.Moves[rng.Intn(len(bad.Moves))]
				m.Src = RegLoc(Reg(rng.Intn(80)))
			case 1:
				ir := &bad.Ins[rng.Intn(len(bad.Ins))]
				if ir.Dest == NoReg {
					continue
				}
				ir.Dest = Reg(rng.Intn(70))
			case 2:
				ir := &bad.Ins[rng.Intn(len(bad.Ins))]
				if ir.Op1 == NoReg {
					continue
				}
				ir.Op1 = Reg(rng.Intn(70))
			case 3:
				if len(bad.Locs) == 0 {
					continue
				}
				l := &bad.Locs[rng.Intn(len(bad.Locs))]
				l.Loc = SlotLoc(rng.Intn(bad.NSlots + 3))
			default:
				if len(bad.Moves) == 0 {
					continue
				}
				i := rng.Intn(len(bad.Moves))
				bad.Moves = append(bad.Moves[:i], bad.Moves[i+1:]...)
			}
			tried++
			if Check(tr, bad) != nil {
				caught++
			}
		}
	}
	// Some corruptions are harmless (a dead register, an unread move), so
	// demand most, not all, are caught.
	if caught*10 < tried*6 {
		t.Fatalf("checker caught %d of %d corruptions", caught, tried)
	}
	t.Logf("checker caught %d of %d random corruptions", caught, tried)
}

func clone2(r *Result) *Result {
	c := *r
	c.Ins = append([]InsRegs(nil), r.Ins...)
	c.Moves = append([]Move(nil), r.Moves...)
	c.Locs = append([]RefLoc(nil), r.Locs...)
	c.Exits = append([]Exit(nil), r.Exits...)
	return &c
}
