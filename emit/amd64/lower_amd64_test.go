package amd64

import (
	"math"
	"os"
	"testing"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// testHelpers assembles machine code for lowertest.HelperSpecs and
// returns the helper table random traces call.
func testHelpers(t testing.TB, mem *emit.Mem) *irkit.Helpers {
	t.Helper()
	a := New(nil)
	labels := map[string]Label{}
	def := func(name string, body func()) {
		body()
		l := a.NewLabel()
		a.Bind(l)
		labels[name] = l
	}
	// Emission is backwards: each body is written last instruction first.
	def("mix", func() { // a*31 ^ b>>3
		a.Ret()
		a.AluRR(XOR, S64, RAX, RCX)
		a.ShiftRI(SHR, S64, RCX, 3)
		a.MovRR(S64, RCX, RDX)
		a.ImulRRI(S64, RAX, RSI, 31)
	})
	def("fhalf", func() { // x*0.5 + 1
		a.Ret()
		a.SseRR(ADDSD, X0, X1)
		a.MovGX(S64, X1, RAX)
		a.MovRI(RAX, int64(math.Float64bits(1)))
		a.SseRR(MULSD, X0, X1)
		a.MovGX(S64, X1, RAX)
		a.MovRI(RAX, int64(math.Float64bits(0.5)))
	})
	def("mix3", func() { // a*3 + b*5 - c, int32
		a.Ret()
		a.AluRR(SUB, S32, RAX, RCX)
		a.AluRR(ADD, S32, RAX, RDX)
		a.ImulRRI(S32, RDX, RDX, 5)
		a.ImulRRI(S32, RAX, RSI, 3)
	})
	def("bump", func() { // old := p[15]; p[15] += v; old
		a.Ret()
		a.AluMR(ADD, S64, M(RSI, 8*(lowertest.ArenaWords-1)), RDX)
		a.Load(S64, false, RAX, M(RSI, 8*(lowertest.ArenaWords-1)))
	})
	def("odd", func() { // a&1, with garbage above the low byte
		a.Ret()
		a.AluRI(OR, S32, RAX, 0x200)
		a.AluRI(AND, S32, RAX, 1)
		a.MovRR(S32, RAX, RSI)
	})
	def("fmix", func() { // x*0.5 + float64(i) - y
		a.Ret()
		a.SseRR(SUBSD, X0, X1)
		a.SseRR(ADDSD, X0, X2)
		a.Cvtsi2sd(S32, X2, RSI)
		a.SseRR(MULSD, X0, X2)
		a.MovGX(S64, X2, RAX)
		a.MovRI(RAX, int64(math.Float64bits(0.5)))
	})
	blk, err := a.Install(mem)
	if err != nil {
		t.Fatal(err)
	}
	n := a.Buf.Len()
	hs, err := lowertest.NewHelpers(func(name string) uintptr {
		p, ok := a.LabelPos(labels[name])
		if !ok {
			return 0
		}
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
	t.Cleanup(func() { mem.Close() })
	l, err := NewLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l, mem
}

func diffCases() int {
	if os.Getenv("JITKIT_QEMU") != "" || testing.Short() {
		return 300
	}
	return 3000
}

func runDiff(t *testing.T, cfg lowertest.Config, n int, seed0 int64) lowertest.Stats {
	l, mem := newTestLowerer(t)
	if cfg.Helpers == nil {
		cfg.Helpers = testHelpers(t, mem)
	}
	tst := lowertest.NewTester(l, cfg)
	defer tst.Close()
	tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
	for seed := seed0; seed < seed0+int64(n); seed++ {
		if _, err := tst.Case(seed); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("%+v", tst.Stats)
	return tst.Stats
}

func TestLowerDifferential(t *testing.T) {
	n := diffCases()
	st := runDiff(t, lowertest.Config{}, n, 1)
	if st.Compared < n*6/10 || st.Loops < n/10 || st.LoopRuns < n/20 || st.Straight < n/10 {
		t.Errorf("coverage too thin: %+v", st)
	}
	// Addresses and loads folded into memory operands (FusedAddr,
	// FusedLoad2), with an index register, through a BCAST.
	if st.FusedAddrs < n/4 || st.FusedIndex < n/8 || st.FusedBcast < n/40 || st.FusedLoad2 < n/40 {
		t.Errorf("too few fused memory operands: %+v", st)
	}
}

// An interrupt pending at entry makes every loop leave at its first back
// edge; resuming on the interpreter from the restored snapshot must reach
// the interpreter's own result, so the interrupt exits' locations are right.
func TestLowerInterruptExit(t *testing.T) {
	t.Run("record", func(t *testing.T) { testInterruptExit(t, false) })
	t.Run("simulated", func(t *testing.T) { testInterruptExit(t, true) })
}

func testInterruptExit(t *testing.T, simulate bool) {
	l, mem := newTestLowerer(t)
	var be lowertest.Backend = l
	if simulate {
		be = lowertest.NoBackRecord{Backend: l}
	}
	tst := lowertest.NewTester(be, lowertest.Config{Helpers: testHelpers(t, mem), Loop: true})
	defer tst.Close()
	tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
	tst.Interrupt = true
	n := diffCases() / 2
	for seed := int64(1); seed <= int64(n); seed++ {
		if _, err := tst.Case(seed); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("%+v", tst.Stats)
	if tst.Stats.Interrupts < n/10 {
		t.Errorf("too few interrupt exits: %+v", tst.Stats)
	}
}

// TestLowerStress forces guards to exit (lowertest.Tester.Stress, through
// Lowerer.Force): every guard, and a seeded third of them. A forced guard
// must leave exactly as the interpreter's forced guard does, value-producing
// ones (ADDOV, FTOIX) included, which compute their value and then jump.
func TestLowerStress(t *testing.T) {
	for _, st := range []guard.Stress{{Mode: guard.StressAll}, {Mode: guard.StressRandom, Seed: 7, Every: 3}} {
		t.Run(st.String(), func(t *testing.T) {
			l, mem := newTestLowerer(t)
			tst := lowertest.NewTester(l, lowertest.Config{Helpers: testHelpers(t, mem), Pressure: 8})
			defer tst.Close()
			tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
			tst.Stress = st
			l.Force = tst.Forced
			n := diffCases() / 3
			for seed := int64(1); seed <= int64(n); seed++ {
				if _, err := tst.Case(seed); err != nil {
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

func TestLowerPressure(t *testing.T) {
	n := diffCases() / 3
	st := runDiff(t, lowertest.Config{Slots: 40, Steps: 120, Pressure: 40, Calm: true}, n, 100000)
	if st.Spills < 10*n || st.Reloads < 10*n || st.LoopRuns < n/20 || st.EndExits < n/20 {
		t.Errorf("not enough register pressure: %+v", st)
	}
}

func TestLowerLoops(t *testing.T) {
	n := diffCases() / 2
	st := runDiff(t, lowertest.Config{Loop: true, Slots: 16, Pressure: 12, Calm: true}, n, 200000)
	if st.Loops < n/3 || st.LoopRuns < n/10 {
		t.Errorf("not enough loops: %+v", st)
	}
}

// FuzzLower compiles and runs random traces from fuzzed seeds, against the
// interpreter. flags picks the shape: bit 0 loops, bit 1 high register
// pressure, bit 2 an interrupt pending at entry.
func FuzzLower(f *testing.F) {
	for _, s := range []int64{1, 2, 46, 1234567} {
		for fl := uint8(0); fl < 8; fl++ {
			f.Add(s, fl)
		}
	}
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		f.Fatal(err)
	}
	hs := testHelpers(f, mem)
	testers := map[uint8]*lowertest.Tester{}
	defer func() {
		for _, t := range testers {
			t.Close()
		}
	}()
	f.Fuzz(func(t *testing.T, seed int64, flags uint8) {
		flags &= 7
		tst := testers[flags]
		if tst == nil {
			cfg := lowertest.Config{Helpers: hs, Loop: flags&1 != 0}
			if flags&2 != 0 {
				cfg.Slots, cfg.Steps, cfg.Pressure, cfg.Calm = 32, 100, 32, true
			}
			tst = lowertest.NewTester(l, cfg)
			tst.Interrupt = flags&4 != 0
			tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
			testers[flags] = tst
		}
		if _, err := tst.Case(seed); err != nil {
			t.Fatalf("seed %d flags %d: %v", seed, flags, err)
		}
	})
}
