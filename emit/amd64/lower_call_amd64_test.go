package amd64

import (
	"errors"
	"math"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// goHelpers registers helpers with only a Go implementation (no Addr):
// gobump (CALLS: adds v to the arena word p points to, returns the old
// word), gomix (CALLN: int, num, i64 -> i64) and godd (CALLN: i64 -> bool,
// with garbage above the low byte that the call-out must normalize).
func goHelpers(t *testing.T) (hs *irkit.Helpers, bump, mix, odd uint16) {
	t.Helper()
	hs = &irkit.Helpers{}
	var err error
	reg := func(h irkit.Helper) uint16 {
		id, e := hs.Register(h)
		if e != nil && err == nil {
			err = e
		}
		return id
	}
	bump = reg(irkit.Helper{Name: "gobump", Args: []irkit.Type{irkit.TPtr, irkit.TI64}, Result: irkit.TI64,
		Fn: func(a []uint64) uint64 {
			addr := uintptr(a[0])
			p := *(**uint64)(unsafe.Pointer(&addr)) // arena memory, pinned
			old := *p
			*p += a[1]
			return old
		}})
	mix = reg(irkit.Helper{Name: "gomix", Pure: true, Args: []irkit.Type{irkit.TInt, irkit.TNum, irkit.TI64}, Result: irkit.TI64,
		Fn: func(a []uint64) uint64 {
			return uint64(int64(int32(a[0])))*0x9e3779b97f4a7c15 ^ math.Float64bits(math.Float64frombits(a[1])*3) + a[2]
		}})
	odd = reg(irkit.Helper{Name: "godd", Pure: true, Args: []irkit.Type{irkit.TI64}, Result: irkit.TBool,
		Fn: func(a []uint64) uint64 { return a[0]&1 | 0x300 }})
	if err != nil {
		t.Fatal(err)
	}
	return hs, bump, mix, odd
}

// goBuilder starts a trace over nslots slots that may call goHelpers.
func goBuilder(t *testing.T, nslots int) (b *irkit.Builder, bump, mix, odd uint16) {
	t.Helper()
	var hs *irkit.Helpers
	hs, bump, mix, odd = goHelpers(t)
	b = irkit.NewBuilder(nil)
	b.T.Helpers = hs
	b.T.AddSnap(0, nslots, nil, nil)
	return b, bump, mix, odd
}

// calloutTrace is a straight trace that keeps 11 integer and 6 float
// values live across a float POW, a float MOD, a CALLS with an effect on
// the arena and two CALLNs, then sums them, so values sit in every
// register a call may not destroy (RBP, R12-R15) and in spill slots while
// Go runs. Slots: 0 x, 1 y (num), 2 i (i64), 3 j (int); the end snapshot
// writes everything into slots 4 on.
func calloutTrace(t *testing.T, arena *lowertest.Arena) *irkit.Trace {
	const nslots = 32
	b, bump, mix, odd := goBuilder(t, nslots)
	tr := b.T
	x, y := b.SLoad(0, irkit.TNum), b.SLoad(1, irkit.TNum)
	i, j := b.SLoad(2, irkit.TI64), b.SLoad(3, irkit.TInt)
	var ints, nums []irkit.Ref
	for k := 1; k <= 11; k++ {
		ints = append(ints, b.Arith(irkit.MUL, irkit.TI64, i, b.KI64(int64(2*k+1))))
	}
	for k := 1; k <= 6; k++ {
		nums = append(nums, b.Arith(irkit.ADD, irkit.TNum, x, b.KNum(float64(k)/8)))
	}
	jj := b.Arith(irkit.ADD, irkit.TInt, j, b.K(irkit.TInt, 7))
	p := b.Arith(irkit.POW, irkit.TNum, x, y)
	m := b.Arith(irkit.MOD, irkit.TNum, y, x)
	old := b.Call(bump, b.KPtr(arena.Addr()+8), i)
	c := b.Call(mix, jj, p, i)
	o := b.Call(odd, c)
	ents := []irkit.SnapEntry{irkit.MakeEntry(4, p, 0), irkit.MakeEntry(5, m, 0), irkit.MakeEntry(6, old, 0),
		irkit.MakeEntry(7, c, 0), irkit.MakeEntry(8, o, 0), irkit.MakeEntry(9, jj, 0)}
	// After the calls every live value is read again.
	si := ints[0]
	for _, v := range ints[1:] {
		si = b.Arith(irkit.BXOR, irkit.TI64, b.Arith(irkit.ADD, irkit.TI64, si, v), b.KI64(0x55))
	}
	sn := nums[0]
	for _, v := range nums[1:] {
		sn = b.Arith(irkit.MUL, irkit.TNum, sn, v)
	}
	ents = append(ents, irkit.MakeEntry(10, si, 0), irkit.MakeEntry(11, sn, 0))
	for k, v := range ints {
		ents = append(ents, irkit.MakeEntry(12+k, v, 0))
	}
	for k, v := range nums {
		ents = append(ents, irkit.MakeEntry(12+len(ints)+k, v, 0))
	}
	tr.AddSnap(1, nslots, ents, nil)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return tr
}

// allocAMD64 allocates tr and checks the allocation.
func allocAMD64(t *testing.T, tr *irkit.Trace) *regalloc.Result {
	t.Helper()
	res, err := regalloc.Alloc(regalloc.AMD64, tr)
	if err == nil {
		err = regalloc.Check(tr, res)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestLowerCallouts runs float POW (no Lowerer.FPow) and Go-only helpers
// as call-outs, and float MOD both through its machine-code helper and,
// with that helper taken away, as a call-out. Every exit value, slot and
// arena word must equal the interpreter's bit for bit, so a register the
// call-out failed to save or reload, or an argument or result word not
// normalized for its type, shows.
func TestLowerCallouts(t *testing.T) {
	for _, modCallout := range []bool{false, true} {
		l, _ := newTestLowerer(t)
		arena := lowertest.NewArena(16)
		defer arena.Close()
		tr := calloutTrace(t, arena)
		res := allocAMD64(t, tr)
		if _, err := l.Compile(tr, res); !errors.Is(err, ErrRefused) {
			t.Fatalf("without call-outs: Compile = %v, want ErrRefused", err)
		}
		l.Callouts = true
		wantCalls := 4 // POW, gobump, gomix, godd
		if modCallout {
			l.fmod = 0
			wantCalls++
		}
		code, err := l.Compile(tr, res)
		if err != nil {
			t.Fatalf("%v\n%s", err, res.Format(tr))
		}
		if len(code.Callouts) != wantCalls {
			t.Fatalf("%d call-outs, want %d", len(code.Callouts), wantCalls)
		}
		used := regalloc.RegSet(0)
		for ri := range res.Ins {
			if d := res.Ins[ri].Dest; d != regalloc.NoReg {
				used = used.With(d)
			}
		}
		for _, r := range calleeSaved {
			if !used.Has(r) {
				t.Errorf("no value of the trace lives in %s: the test does not prove its save", regalloc.AMD64.Names[r])
			}
		}
		var m lowertest.Machine
		nums := []float64{2, 0.5, -1.5, 3, 1e10, -0.0, math.Inf(1), math.NaN(), 7.25}
		cases := 0
		for _, x := range nums {
			for _, y := range nums {
				for _, iv := range []uint64{0, 1, 0xffffffffffff0001, 0x123456789} {
					jv := uint64(0xbad00000_7ffffffd) // garbage above the int32, as a slot may hold
					slots := make([]uint64, 32)
					slots[0], slots[1], slots[2], slots[3] = math.Float64bits(x), math.Float64bits(y), iv, jv
					mem := make([]uint64, 16)
					mem[1] = 1000
					want := lowertest.Expect(tr, slots, mem, arena, 0)
					copy(arena.Words, mem)
					m.Prepare(code, slots)
					st, _ := m.Run(code, 0)
					if m.Calls != wantCalls {
						t.Fatalf("%d call-outs served, want %d", m.Calls, wantCalls)
					}
					if err := m.Compare(tr, code, regalloc.AMD64, st, arena, want); err != nil {
						t.Fatalf("x=%v y=%v i=%#x mod call-out %v: %v\n%s", x, y, iv, modCallout, err, res.Format(tr))
					}
					cases++
				}
			}
		}
		m.Close()
		t.Logf("mod call-out %v: %d cases, %d call-outs each", modCallout, cases, wantCalls)
		m.Prepare(code, make([]uint64, 32))
		if a := testing.AllocsPerRun(100, func() { code.Run(&m.State) }); a != 0 {
			t.Errorf("Run allocates %v times a run", a)
		}
		m.Close()
	}
}

// calloutLoop is "repeat acc = acc + i^x + gomix(i, x, k); gobump(arena,
// i); i = i + 1 until i >= n", loop-optimized: the call-outs run in every
// iteration, with the loop's invariants and PHIs live across them.
// Slots: 0 i, 1 n (i64), 2 x (num), 3 acc (num), 4 k (i64), 5-10 more
// invariants (i64) folded into acc2 (slot 11).
func calloutLoop(t *testing.T, arena *lowertest.Arena) *irkit.Trace {
	const nslots = 12
	b, bump, mix, _ := goBuilder(t, nslots)
	tr := b.T
	i := b.SLoad(0, irkit.TI64)
	n := b.SLoad(1, irkit.TI64)
	x := b.SLoad(2, irkit.TNum)
	acc := b.SLoad(3, irkit.TNum)
	k := b.SLoad(4, irkit.TI64)
	acc2 := b.SLoad(11, irkit.TI64)
	fi := b.Unary(irkit.ITOF, irkit.TNum, i)
	p := b.Arith(irkit.POW, irkit.TNum, fi, x)
	c := b.Call(mix, b.Unary(irkit.TRUNC, irkit.TInt, i), x, k)
	b.Call(bump, b.KPtr(arena.Addr()), i)
	acc1 := b.Arith(irkit.ADD, irkit.TNum, b.Arith(irkit.ADD, irkit.TNum, acc, p), b.Unary(irkit.ITOF, irkit.TNum, b.Arith(irkit.BAND, irkit.TI64, c, b.KI64(0xffff))))
	a2 := acc2
	for s := 5; s <= 10; s++ {
		a2 = b.Arith(irkit.BXOR, irkit.TI64, b.Arith(irkit.MUL, irkit.TI64, a2, b.KI64(31)), b.SLoad(s, irkit.TI64))
	}
	i1 := b.Arith(irkit.ADD, irkit.TI64, i, b.KI64(1))
	ents := []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0), irkit.MakeEntry(3, acc1, 0), irkit.MakeEntry(11, a2, 0)}
	tr.AddSnap(1, nslots, ents, nil)
	b.Guard(irkit.LT, i1, n)
	tr.AddSnap(0, nslots, ents, nil)
	tr.Looping = true
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestLowerCalloutLoop runs call-outs inside a compiled loop: each
// iteration leaves to Go three times and is resumed, and the loop's end
// state must be the interpreter's.
func TestLowerCalloutLoop(t *testing.T) {
	l, _ := newTestLowerer(t)
	l.Callouts = true
	arena := lowertest.NewArena(16)
	defer arena.Close()
	tr := calloutLoop(t, arena)
	res := allocAMD64(t, tr)
	code, err := l.Compile(tr, res)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Format(tr))
	}
	if tr.Loop == irkit.NoRef {
		t.Fatalf("no LOOP after loop optimization:\n%s", tr)
	}
	var m lowertest.Machine
	defer m.Close()
	for _, x := range []float64{0.5, 2, 3.25, -1} {
		const n = 50
		slots := []uint64{0, n, math.Float64bits(x), math.Float64bits(1), 0x1234, 3, 5, 7, 11, 13, 17, 1}
		mem := make([]uint64, 16)
		want := lowertest.Expect(tr, slots, mem, arena, 1000)
		if want.Err != nil {
			t.Fatal(want.Err)
		}
		copy(arena.Words, mem)
		m.Prepare(code, slots)
		st, _ := m.Run(code, 0)
		if m.Calls < 3*(n-1) {
			t.Errorf("%d call-outs served for %d iterations", m.Calls, n)
		}
		if err := m.Compare(tr, code, regalloc.AMD64, st, arena, want); err != nil {
			t.Fatalf("x=%v: %v\n%s", x, err, res.Format(tr))
		}
	}
}

// TestLowerCalloutDifferential runs random traces (loops, restarting
// traces, high register pressure) whose helpers have only their Go
// implementation, with float POW, against the interpreter: every helper
// call and POW is a call-out.
func TestLowerCalloutDifferential(t *testing.T) {
	goOnly, err := lowertest.NewHelpers(func(string) uintptr { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	n := diffCases() / 3
	for _, cfg := range []lowertest.Config{
		{Helpers: goOnly, FloatPow: true},
		{Helpers: goOnly, FloatPow: true, Loop: true},
		{Helpers: goOnly, FloatPow: true, Loop: true, Slots: 16, Pressure: 12, Calm: true},
	} {
		l, mem := newTestLowerer(t)
		l.Callouts = true
		tst := lowertest.NewTester(l, cfg)
		tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
		for seed := int64(1); seed <= int64(n); seed++ {
			if _, err := tst.Case(seed); err != nil {
				t.Fatalf("seed %d (loop %v, pressure %d): %v", seed, cfg.Loop, cfg.Pressure, err)
			}
		}
		t.Logf("%+v", tst.Stats)
		if tst.Stats.Callouts < n/3 {
			t.Errorf("too few call-outs: %+v", tst.Stats)
		}
		tst.Close()
	}
}
