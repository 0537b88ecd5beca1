package lab3

import (
	"math/rand"
	"os"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// raw returns a builder that records without fold and CSE, and a snapshot
// of no slots at pc 0 so that guards have one.
func raw() *irkit.Builder {
	b := irkit.NewBuilder(nil)
	b.NoFold, b.NoCSE = true, true
	b.T.AddSnap(0, 4, nil, nil)
	return b
}

// end closes a raw trace with a snapshot at pc 1 that writes v into slot 3.
func end(b *irkit.Builder, v irkit.Ref) *irkit.Trace {
	b.T.AddSnap(1, 4, []irkit.SnapEntry{irkit.MakeEntry(3, v, 0)}, nil)
	return b.T
}

// count is the number of instructions that are not NOPs.
func count(t *irkit.Trace) int {
	n := 0
	for r := irkit.First; r < t.Next(); r++ {
		if t.Ins(r).Op != irkit.NOP {
			n++
		}
	}
	return n
}

// same runs both traces on the same slots and compares exits and slots.
func same(t *testing.T, name string, rawT, opt *irkit.Trace, in []uint64) {
	t.Helper()
	var ip irkit.Interp
	s1 := append([]uint64(nil), in...)
	s2 := append([]uint64(nil), in...)
	e1, err1 := ip.Run(rawT, s1)
	e2, err2 := ip.Run(opt, s2)
	if err1 != nil || err2 != nil || e1.PC != e2.PC {
		t.Fatalf("%s: raw exits at pc %d (%v), optimized at pc %d (%v)\nraw:\n%s\noptimized:\n%s", name, e1.PC, err1, e2.PC, err2, rawT, opt)
	}
	for i := range s1 {
		if s1[i] != s2[i] {
			t.Fatalf("%s: input %x: slot %d = %#x, want %#x\nraw:\n%s\noptimized:\n%s", name, in, i, s2[i], s1[i], rawT, opt)
		}
	}
}

func optimize(t *testing.T, name string, rawT *irkit.Trace) *irkit.Trace {
	t.Helper()
	before := rawT.String()
	opt, err := newImpl().Optimize(rawT)
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, rawT)
	}
	if rawT.String() != before {
		t.Fatalf("%s: Optimize modified the raw trace", name)
	}
	if err := opt.Verify(); err != nil {
		t.Fatalf("%s: Verify: %v\n%s", name, err, opt)
	}
	return opt
}

// TestRules: each rule, on a trace that needs it, and the most
// instructions the optimized trace may keep.
func TestRules(t *testing.T) {
	I := irkit.TInt
	cases := []struct {
		name  string
		build func(b *irkit.Builder) irkit.Ref
		max   int
	}{
		{"constants", func(b *irkit.Builder) irkit.Ref { // (2+3)*4: no instruction at all
			return b.Emit(irkit.MUL, I, b.Emit(irkit.ADD, I, b.KInt(2), b.KInt(3)), b.KInt(4))
		}, 0},
		{"x+0", func(b *irkit.Builder) irkit.Ref {
			return b.Emit(irkit.ADD, I, b.SLoad(0, I), b.KInt(0))
		}, 1},
		{"x*1", func(b *irkit.Builder) irkit.Ref {
			return b.Emit(irkit.MUL, I, b.SLoad(0, I), b.KInt(1))
		}, 1},
		{"x-x", func(b *irkit.Builder) irkit.Ref {
			x := b.SLoad(0, I)
			return b.Emit(irkit.SUB, I, x, x)
		}, 0},
		{"mask twice", func(b *irkit.Builder) irkit.Ref {
			x := b.SLoad(0, I)
			return b.Emit(irkit.BAND, I, b.Emit(irkit.BAND, I, x, b.KInt(255)), b.KInt(255))
		}, 2},
		{"cse", func(b *irkit.Builder) irkit.Ref { // x*y + x*y, x and y loaded twice
			m1 := b.Emit(irkit.MUL, I, b.SLoad(0, I), b.SLoad(1, I))
			m2 := b.Emit(irkit.MUL, I, b.SLoad(0, I), b.SLoad(1, I))
			return b.Emit(irkit.ADD, I, m1, m2)
		}, 4},
		{"commuted cse", func(b *irkit.Builder) irkit.Ref { // x+y and y+x are one value
			x, y := b.SLoad(0, I), b.SLoad(1, I)
			return b.Emit(irkit.BXOR, I, b.Emit(irkit.ADD, I, x, y), b.Emit(irkit.ADD, I, y, x))
		}, 2}, // x^x folds too once both ADDs are one
		{"true guard", func(b *irkit.Builder) irkit.Ref { // 1 < 2 always holds: dropped
			x := b.SLoad(0, I)
			b.Guard(irkit.LT, b.KInt(1), b.KInt(2))
			return b.Emit(irkit.ADD, I, x, b.KInt(7))
		}, 2},
		{"repeated guard", func(b *irkit.Builder) irkit.Ref { // the same bounds check twice
			x := b.SLoad(0, I)
			b.Guard(irkit.ULT, x, b.KInt(100))
			b.Guard(irkit.ULT, x, b.KInt(100))
			return x
		}, 2},
	}
	for _, c := range cases {
		b := raw()
		rawT := end(b, c.build(b))
		if err := b.Err(); err != nil {
			t.Fatalf("%s: building the raw trace: %v", c.name, err)
		}
		opt := optimize(t, c.name, rawT)
		if n := count(opt); n > c.max {
			t.Errorf("%s: %d instructions, want at most %d\nraw:\n%s\noptimized:\n%s", c.name, n, c.max, rawT, opt)
		}
		for _, in := range [][]uint64{{0, 0, 0, 0}, {5, 7, 0, 0}, {99, 0xffffffffffffffff, 0, 0}, {100, 3, 0, 0}} {
			same(t, c.name, rawT, opt, in)
		}
	}
}

// TestRandom: random straight-line traces of integer arithmetic, bit
// operations and guards; the optimized trace must agree with the raw one
// on random inputs and be no larger.
func TestRandom(t *testing.T) {
	n := 2000
	if testing.Short() || os.Getenv("JITKIT_QEMU") != "" {
		n = 300
	}
	ops := []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.BAND, irkit.BOR, irkit.BXOR, irkit.BSHL, irkit.BSAR, irkit.BSHR}
	guards := []irkit.Op{irkit.LT, irkit.GE, irkit.EQ, irkit.NE, irkit.ULT}
	shrunk := 0
	for seed := int64(1); seed <= int64(n); seed++ {
		rng := rand.New(rand.NewSource(seed))
		b := raw()
		vals := []irkit.Ref{b.SLoad(0, irkit.TInt), b.SLoad(1, irkit.TInt), b.SLoad(2, irkit.TInt)}
		operand := func() irkit.Ref {
			if rng.Intn(3) == 0 {
				return b.KInt(int32(rng.Intn(9)) - 2)
			}
			return vals[rng.Intn(len(vals))]
		}
		for i := 0; i < 4+rng.Intn(20); i++ {
			if rng.Intn(6) == 0 {
				b.T.AddSnap(uint64(10+i), 4, nil, nil)
				b.Guard(guards[rng.Intn(len(guards))], operand(), operand())
				continue
			}
			vals = append(vals, b.Emit(ops[rng.Intn(len(ops))], irkit.TInt, operand(), operand()))
		}
		rawT := end(b, vals[len(vals)-1])
		if b.Err() != nil {
			t.Fatalf("seed %d: %v", seed, b.Err())
		}
		opt, err := newImpl().Optimize(rawT)
		if err == irkit.ErrGuardFails {
			continue // a guard on constants that always fails: nothing to run
		}
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, rawT)
		}
		if err := opt.Verify(); err != nil {
			t.Fatalf("seed %d: Verify: %v\n%s", seed, err, opt)
		}
		if count(opt) > count(rawT) {
			t.Fatalf("seed %d: %d instructions, raw had %d", seed, count(opt), count(rawT))
		}
		if count(opt) < count(rawT) {
			shrunk++
		}
		for k := 0; k < 8; k++ {
			in := []uint64{uint64(int64(int32(rng.Uint32()))), uint64(int64(rng.Intn(11) - 5)), uint64(int64(int32(rng.Uint32() >> uint(rng.Intn(32))))), 0}
			same(t, "random", rawT, opt, in)
		}
	}
	t.Logf("%d traces, %d made smaller", n, shrunk)
	if shrunk == 0 {
		t.Error("no trace was made smaller")
	}
}
