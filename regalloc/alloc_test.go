package regalloc

import (
	"math"
	"math/rand"
	"os"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// tiny is amd64 with 6 general and 4 float registers: high pressure.
var tiny = func() *Target {
	t := newAMD64()
	t.Name = "tiny"
	t.Alloc[GPR] = Set(rax, rcx, rdx, rbx, rsi, r8)
	t.Alloc[FPR] = Set(xmm0, xmm0+1, xmm0+2, xmm0+3)
	t.Args[GPR] = []Reg{rsi, rdx, rcx, r8}
	t.Args[FPR] = []Reg{xmm0, xmm0 + 1, xmm0 + 2, xmm0 + 3}
	return t
}()

var targets = []*Target{AMD64, ARM64, tiny}

// scale shrinks random test loops under qemu and -short.
func scale(n int) int {
	if os.Getenv("JITKIT_QEMU") != "" || testing.Short() {
		return n / 8
	}
	return n
}

func initSlots(rng *rand.Rand, n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		if i < n/2 {
			s[i] = uint64(int64(rng.Intn(2000) - 1000))
		} else {
			s[i] = math.Float64bits(float64(rng.Intn(2000)-1000) / 16)
		}
	}
	return s
}

// runCase allocates tr on t, checks the allocation symbolically and runs
// it against the interpreter.
func runCase(t *testing.T, tg *Target, tr *irkit.Trace, rng *rand.Rand, ev *evaluator) *Result {
	t.Helper()
	res, err := Alloc(tg, tr)
	if err != nil {
		t.Fatalf("%s: alloc: %v\n%s", tg.Name, err, tr)
	}
	checkRun(t, tg, tr, res, rng, ev)
	return res
}

// checkRun checks res symbolically and runs it against the interpreter.
func checkRun(t *testing.T, tg *Target, tr *irkit.Trace, res *Result, rng *rand.Rand, ev *evaluator) {
	t.Helper()
	if err := Check(tr, res); err != nil {
		t.Fatalf("%s: %v\n%s\n%s", tg.Name, err, tr, res.Format(tr))
	}
	slots := initSlots(rng, 8)
	want := append([]uint64(nil), slots...)
	in := irkit.Interp{MaxIter: 100}
	wexit, werr := in.Run(tr, want)
	got := append([]uint64(nil), slots...)
	gexit, gerr := sim(tr, res, got, 100, 0, rng, ev)
	if (werr != nil) != (gerr != nil) || wexit.Guard != gexit.guard || wexit.Iter != gexit.iter {
		t.Fatalf("%s: interp exit %+v %v, sim exit %+v %v (slots %v)\n%s\n%s", tg.Name, wexit, werr, gexit, gerr, slots, tr, res.Format(tr))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("%s: slot %d: interp %#x, sim %#x (exit %+v)\n%s\n%s", tg.Name, i, want[i], got[i], wexit, tr, res.Format(tr))
		}
	}
}

func TestRandomTraces(t *testing.T) {
	cfgs := []genCfg{
		{n: 30, slots: 8, snaps: 50, live: 6},
		{n: 80, slots: 8, snaps: 30, live: 20, calls: true},
		{n: 60, slots: 8, snaps: 50, live: 12, loop: true},
		{n: 150, slots: 8, snaps: 40, live: 40, loop: true, calls: true},
		{n: 60, slots: 8, snaps: 40, live: 12, loop: true, calls: true, tail: 4},
	}
	ev := newEvaluator()
	cases := 0
	for seed := 0; seed < scale(400); seed++ {
		for ci, cfg := range cfgs {
			tr := genTrace(rand.New(rand.NewSource(int64(seed))), cfg)
			if tr == nil {
				continue
			}
			if seed%2 == 1 {
				tr.DCE() // NOPs and dead PHIs must be skipped
			}
			for ti, tg := range targets {
				rng := rand.New(rand.NewSource(int64(seed*100 + ci*10 + ti)))
				runCase(t, tg, tr, rng, ev)
				cases++
			}
		}
	}
	t.Logf("%d random allocations checked and executed", cases)
}

// TestRecordedLoops allocates loops built the way a recorder builds them
// and peeled by irkit's loop optimization.
func TestRecordedLoops(t *testing.T) {
	ev := newEvaluator()
	cases := 0
	for seed := 0; seed < scale(300); seed++ {
		tr := recordLoop(rand.New(rand.NewSource(int64(seed))), 10+seed%60)
		if tr == nil {
			continue
		}
		for ti, tg := range targets {
			runCase(t, tg, tr, rand.New(rand.NewSource(int64(seed*10+ti))), ev)
			cases++
		}
	}
	if cases < scale(300) {
		t.Fatalf("only %d recorded loops", cases)
	}
	// The same loops before loop optimization: traces that restart from
	// their first instruction after writing their last snapshot.
	for seed := 0; seed < scale(100); seed++ {
		tr := recordLoopRaw(rand.New(rand.NewSource(int64(seed))), 10+seed%60)
		if tr == nil {
			continue
		}
		for ti, tg := range targets {
			runCase(t, tg, tr, rand.New(rand.NewSource(int64(seed*10+ti))), ev)
			cases++
		}
	}
	t.Logf("%d recorded loops (peeled, and restarting) allocated, checked and executed", cases)
}
