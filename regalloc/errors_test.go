package regalloc

import (
	"errors"
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
