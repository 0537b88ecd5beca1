package arm64

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// underQEMU reports whether the test binary runs under qemu-aarch64
// (scripts/test-arm64.sh sets JITKIT_QEMU=1), where loops are scaled down.
func underQEMU() bool { return os.Getenv("JITKIT_QEMU") != "" }

// testHelpers assembles lowertest.HelperSpecs in machine code, following
// regalloc.ARM64's call convention (arguments X1.. and D0.., result X1 or
// D0), and returns their table.
func testHelpers(t testing.TB, mem *emit.Mem) *irkit.Helpers {
	t.Helper()
	a := New(emit.NewBuf(512))
	labels := map[string]Label{}
	for _, n := range []string{"mix", "fhalf", "mix3", "bump", "odd", "fmix"} {
		labels[n] = a.NewLabel()
	}
	bind := func(n string) func() { return func() { a.Bind(labels[n]) } }
	prog{
		bind("mix"), // a*31 ^ b>>3
		func() { a.LslImm(X3, X1, 5) },
		func() { a.Sub(X3, X3, X1) },
		func() { a.LogicShift(OpEor, X1, X3, X2, LSR, 3) },
		func() { a.Ret() },
		bind("fhalf"), // x*0.5 + 1
		func() { a.FMovImm(D1, 0.5) },
		func() { a.FMul(D0, D0, D1) },
		func() { a.FMovImm(D1, 1) },
		func() { a.FAdd(D0, D0, D1) },
		func() { a.Ret() },
		bind("mix3"), // a*3 + b*5 - c, int32
		func() { a.AddShift(W4, W1, W1, LSL, 1) },
		func() { a.AddShift(W5, W2, W2, LSL, 2) },
		func() { a.Add(W4, W4, W5) },
		func() { a.Sub(W1, W4, W3) },
		func() { a.Ret() },
		bind("bump"), // old := *(p+8*(ArenaWords-1)); *that += v; old
		func() { a.Ldr(Size64, false, X3, Off(X1, 8*(lowertest.ArenaWords-1))) },
		func() { a.Add(X4, X3, X2) },
		func() { a.Str(Size64, X4, Off(X1, 8*(lowertest.ArenaWords-1))) },
		func() { a.Mov(X1, X3) },
		func() { a.Ret() },
		bind("odd"), // a & 1
		func() { a.AndImm(X1, X1, 1) },
		func() { a.Ret() },
		bind("fmix"), // x*0.5 + float64(i) - y
		func() { a.FMovImm(D2, 0.5) },
		func() { a.FMul(D0, D0, D2) },
		func() { a.Scvtf(D2, W1) },
		func() { a.FAdd(D0, D0, D2) },
		func() { a.FSub(D0, D0, D1) },
		func() { a.Ret() },
	}.emit()
	blk, err := a.Install(mem)
	if err != nil {
		t.Fatal(err)
	}
	n := a.Buf.Len()
	hs, err := lowertest.NewHelpers(func(name string) uintptr {
		p, _ := a.LabelPos(labels[name])
		return PosAddr(p, n, blk.Addr)
	})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func newTestLowerer(t testing.TB) (*Lowerer, *emit.Mem) {
	t.Helper()
	mem := emit.NewMem(0)
	l, err := NewLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.Close()
		mem.Close()
	})
	return l, mem
}

// diffCases is the number of random cases of the main differential test:
// thousands, natively and under qemu (about 4 ms a case there).
func diffCases() int {
	if testing.Short() {
		return 300
	}
	return 3000
}

func runDiff(t *testing.T, cfg lowertest.Config, n int, seed0 int64, interrupt bool) lowertest.Stats {
	return runDiffOn(t, nil, cfg, n, seed0, interrupt)
}

// runDiffOn is runDiff on the lowering as wrap makes it a backend (nil:
// the Lowerer itself).
func runDiffOn(t *testing.T, wrap func(*Lowerer) lowertest.Backend, cfg lowertest.Config, n int, seed0 int64, interrupt bool) lowertest.Stats {
	l, mem := newTestLowerer(t)
	if cfg.Helpers == nil {
		cfg.Helpers = testHelpers(t, mem)
	}
	var be lowertest.Backend = l
	if wrap != nil {
		be = wrap(l)
	}
	tst := lowertest.NewTester(be, cfg)
	defer tst.Close()
	tst.Interrupt = interrupt
	tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
	refused := 0
	for seed := seed0; seed < seed0+int64(n); seed++ {
		// A fresh allocator per case: a reused one can leave stale
		// constants in an allocation (see TestLowerAssemble).
		tst.Alloc = regalloc.NewAllocator(regalloc.ARM64)
		if _, err := tst.Case(seed); err != nil {
			if unkept(err) {
				refused++
				continue
			}
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("%+v, %d refused", tst.Stats, refused)
	if refused > n/500 {
		t.Errorf("%d of %d traces refused", refused, n)
	}
	return tst.Stats
}

func TestLowerDifferential(t *testing.T) {
	n := diffCases()
	st := runDiff(t, lowertest.Config{}, n, 1, false)
	if st.Compared < n*6/10 || st.Loops < n/10 || st.LoopRuns < n/20 || st.Straight < n/10 || st.Looping == 0 {
		t.Errorf("coverage too thin: %+v", st)
	}
}

// TestLowerCalloutDifferential runs random traces (straight and loops)
// whose helpers have only their Go implementation, with float POW, against
// the interpreter: every helper call and float POW is a call-out, which
// lowertest's Machine serves.
func TestLowerCalloutDifferential(t *testing.T) {
	goOnly, err := lowertest.NewHelpers(func(string) uintptr { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	on := func(l *Lowerer) lowertest.Backend {
		l.Callouts = true
		return l
	}
	n := diffCases() / 3
	for _, loop := range []bool{false, true} {
		st := runDiffOn(t, on, lowertest.Config{Helpers: goOnly, FloatPow: true, Loop: loop}, n, 1, false)
		if st.Callouts < n/3 {
			t.Errorf("too few call-outs: %+v", st)
		}
	}
}

// An interrupt pending at entry makes every loop leave at its first back
// edge; resuming on the interpreter from the restored snapshot must reach
// the interpreter's own result, so the interrupt exits' locations are right.
func TestLowerInterruptExit(t *testing.T) {
	n := diffCases() / 2
	st := runDiff(t, lowertest.Config{Loop: true}, n, 1, true)
	if st.Interrupts < n/10 {
		t.Errorf("too few interrupt exits: %+v", st)
	}
}

// TestLowerStress forces guards to exit (lowertest.Tester.Stress, through
// Lowerer.Force): every guard, and a seeded third of them. A forced guard
// must leave exactly as the interpreter's forced guard does, value-producing
// ones (ADDOV, FTOIX) included, which compute their value and then branch.
func TestLowerStress(t *testing.T) {
	for _, st := range []guard.Stress{{Mode: guard.StressAll}, {Mode: guard.StressRandom, Seed: 7, Every: 3}} {
		t.Run(st.String(), func(t *testing.T) {
			l, mem := newTestLowerer(t)
			tst := lowertest.NewTester(l, lowertest.Config{Helpers: testHelpers(t, mem), Pressure: 8})
			defer tst.Close()
			tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
			tst.Stress = st
			l.Force = tst.Forced
			n := diffCases() / 6
			for seed := int64(1); seed <= int64(n); seed++ {
				tst.Alloc = regalloc.NewAllocator(regalloc.ARM64) // as runDiff
				if _, err := tst.Case(seed); err != nil && !unkept(err) {
					t.Fatalf("seed %d: %v", seed, err)
				}
			}
			t.Logf("%+v", tst.Stats)
			if s := tst.Stats; s.Forced < n/4 || s.ForcedValue < n/50 {
				t.Errorf("too few forced exits: %+v", s)
			}
		})
	}
}

// TestLowerInterruptSimulated is TestLowerInterruptExit with the interrupt
// exit's locations found by simulating the allocation (emit.LoopSim) and
// the invariants kept nowhere parked.
func TestLowerInterruptSimulated(t *testing.T) {
	n := diffCases() / 6
	noBack := func(l *Lowerer) lowertest.Backend { return lowertest.NoBackRecord{Backend: l} }
	st := runDiffOn(t, noBack, lowertest.Config{Loop: true}, n, 1, true)
	if st.Interrupts < n/10 {
		t.Errorf("too few interrupt exits: %+v", st)
	}
}

func TestLowerPressure(t *testing.T) {
	n := diffCases() / 3
	st := runDiff(t, lowertest.Config{Slots: 40, Steps: 120, Pressure: 40, Calm: true}, n, 100000, false)
	if st.Spills < 10*n || st.Reloads < 10*n || st.LoopRuns < n/20 || st.EndExits < n/20 {
		t.Errorf("not enough register pressure: %+v", st)
	}
}

func TestLowerLoops(t *testing.T) {
	n := diffCases() / 2
	st := runDiff(t, lowertest.Config{Loop: true, Slots: 16, Pressure: 12, Calm: true}, n, 200000, false)
	if st.Loops < n/3 || st.LoopRuns < n/10 {
		t.Errorf("not enough loops: %+v", st)
	}
}

// TestLowerParkedInvariant runs a generated loop whose last snapshot
// holds an invariant (0031, slot 3) that the body does not keep: its
// register is reused, it has no slot. Unless the allocation records the
// back edge's exit itself, the lowering parks it in a State.Regs word as
// the loop is entered, for the interrupt exit. Its value read back there
// must be the interpreter's, and resuming the interpreter from that exit
// must reach the interpreter's own result.
func TestLowerParkedInvariant(t *testing.T) {
	l, mem := newTestLowerer(t)
	g := lowertest.NewGen(lowertest.Config{Loop: true, Calm: true, Helpers: testHelpers(t, mem), Plain: true})
	defer g.Close()
	const seed = 1012891
	if err := g.Build(seed); err != nil {
		t.Fatal(err)
	}
	tr := g.B.T
	res := allocFor(t, tr)
	code, err := l.CompileCode(tr, res)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Format(tr))
	}
	if _, ok := res.ExitAt(tr.Next()); len(l.parks) == 0 && !ok {
		t.Fatalf("seed %d: nothing parked (the generator or allocator changed?)\n%s", seed, res.Format(tr))
	}
	in := append([]uint64(nil), g.Slots...)
	in[0] = uint64(0xfffffffffffffffb) // i = -5: the body's guard passes once
	want := lowertest.Expect(tr, in, g.Mem, g.Arena, 0)
	var m lowertest.Machine
	defer m.Close()
	copy(g.Arena.Words, g.Mem)
	m.Prepare(&code.Trace, in)
	m.State.Interrupt = 1
	st, _ := m.Run(&code.Trace, 0)
	last := len(tr.Snaps) - 1
	if st != emit.StatusInterrupt|uint64(last) {
		t.Fatalf("status %#x, want an interrupt through %d\n%s", st, last, res.Format(tr))
	}
	// The parked value itself: 0031 = MAX(BNOT(TRUNC(slot 7)), FLOAD int
	// [K] #4), recomputed by the interpreter on a trace of just that.
	const parked = irkit.Bias + 31
	ins := tr.Ins(parked)
	fl := tr.Ins(ins.Op2)
	addr, isK := tr.KWord(fl.Op1)
	if ins.Op != irkit.MAX || ins.T.Base() != irkit.TInt || fl.Op != irkit.FLOAD || !isK {
		t.Fatalf("seed %d: 0031 is %s now (the generator changed?)", seed, tr.InsString(parked))
	}
	got, err := m.Value(tr, &code.Trace, regalloc.ARM64, last, parked)
	if err != nil {
		t.Fatal(err)
	}
	b := irkit.NewBuilder(nil)
	mt := b.T
	mt.AddSnap(0, 1, nil, nil)
	v := b.Emit(irkit.MAX, irkit.TInt,
		b.Emit(irkit.BNOT, irkit.TInt, b.Emit(irkit.TRUNC, irkit.TInt, b.SLoad(7, irkit.TI64), 0), 0),
		b.Emit(irkit.FLOAD, irkit.TInt, b.KPtr(uintptr(addr)), fl.Op2))
	mt.AddSnap(1, 1, []irkit.SnapEntry{irkit.MakeEntry(0, v, 0)}, nil)
	if w := lowertest.Expect(mt, in, g.Mem, g.Arena, 0); w.Err != nil || w.Slots[0] != got {
		t.Fatalf("parked 0031 reads back %#x, the interpreter computes %#x (%v)", got, w.Slots[0], w.Err)
	}
	if err := m.Restore(tr, &code.Trace, regalloc.ARM64, last); err != nil {
		t.Fatal(err)
	}
	rest := lowertest.Expect(tr, m.Slots, append([]uint64(nil), g.Arena.Words...), g.Arena, 0)
	if rest.Err != nil || !equalWords(rest.Slots, want.Slots) || !equalWords(rest.Mem, want.Mem) {
		t.Fatalf("resumed: %v slots %x, want %x\n%s", rest.Err, rest.Slots, want.Slots, res.Format(tr))
	}
}

func equalWords(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// countLoop compiles "repeat i = i + 1 until not (i < n)" over int64 slots
// 0 (i) and 1 (n).
func countLoop(t *testing.T, l *Lowerer) (*irkit.Trace, *Code) {
	t.Helper()
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, irkit.TI64)
	n := b.SLoad(1, irkit.TI64)
	i1 := b.Emit(irkit.ADD, irkit.TI64, i, b.KI64(1))
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	b.Guard(irkit.LT, i1, n)
	tr.AddSnap(0, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	tr.Looping = true
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	tr.DCE()
	code, err := l.CompileCode(tr, allocFor(t, tr))
	if err != nil {
		t.Fatal(err)
	}
	return tr, code
}

// runtime.GC needs every goroutine at a safe point, and generated code is
// none; but a stop-the-world stores emit.StackPreempt in each running
// goroutine's stack guard word, which every back edge checks. The loop
// leaves through its interrupt exit within one iteration, the driver
// restores the loop snapshot and enters again: the GCs finish promptly and
// the loop still counts exactly to n.
func TestLowerGCWhileLooping(t *testing.T) {
	l, _ := newTestLowerer(t)
	tr, code := countLoop(t, l)
	// Seconds of looping: without the check the first GC would wait for
	// all of it.
	n := uint64(2_000_000_000)
	if underQEMU() {
		n = 250_000_000
	}
	var base time.Duration // a GC with no compiled loop running, for scale
	for k := 0; k < 3; k++ {
		t0 := time.Now()
		runtime.GC()
		base = max(base, time.Since(t0))
	}
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(&code.Trace, []uint64{0, n})
	done := make(chan int, 1)
	go func() {
		entries := 0
		for {
			st := code.Run(&m.State)
			entries++
			if err := m.Restore(tr, &code.Trace, regalloc.ARM64, emit.StatusNum(st)); err != nil {
				t.Error(err)
			}
			if emit.StatusKind(st) != emit.StatusInterrupt {
				break
			}
		}
		done <- entries
	}()
	time.Sleep(5 * time.Millisecond)
	var worst time.Duration
	for k := 0; k < 5; k++ {
		t0 := time.Now()
		runtime.GC()
		worst = max(worst, time.Since(t0))
	}
	entries := <-done
	runtime.KeepAlive(&m)
	if m.Slots[0] != n {
		t.Errorf("loop ended with i = %d, want %d", m.Slots[0], n)
	}
	t.Logf("5 GCs during the loop, the slowest %v (alone: %v); the loop was entered %d times", worst, base, entries)
	if limit := 400*time.Millisecond + 5*base; worst > limit {
		t.Errorf("a GC took %v while a compiled loop ran (limit %v)", worst, limit)
	}
}
