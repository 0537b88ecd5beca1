package lab4

import (
	"math/rand"
	"os"
	"testing"

	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// clone copies the slices of a result so that a mutation leaves the
// original alone.
func clone(r *regalloc.Result) *regalloc.Result {
	c := *r
	c.Ins = append([]regalloc.InsRegs(nil), r.Ins...)
	c.Moves = append([]regalloc.Move(nil), r.Moves...)
	c.Locs = append([]regalloc.RefLoc(nil), r.Locs...)
	c.Exits = append([]regalloc.Exit(nil), r.Exits...)
	return &c
}

// mutate changes one thing in res: an operand's or a result's register,
// a move's source, or an exit location. It reports false if it found
// nothing to change.
func mutate(rng *rand.Rand, tg *regalloc.Target, res *regalloc.Result) bool {
	gprs := []regalloc.Reg{}
	for r := regalloc.Reg(0); r < regalloc.MaxRegs; r++ {
		if tg.Regs[regalloc.GPR].Has(r) {
			gprs = append(gprs, r)
		}
	}
	other := func(r regalloc.Reg) regalloc.Reg {
		for {
			if o := gprs[rng.Intn(len(gprs))]; o != r {
				return o
			}
		}
	}
	isGPR := func(r regalloc.Reg) bool { return r != regalloc.NoReg && tg.ClassOfReg(r) == regalloc.GPR }
	for try := 0; try < 50; try++ {
		switch rng.Intn(4) {
		case 0, 1:
			if len(res.Ins) == 0 {
				continue
			}
			in := &res.Ins[rng.Intn(len(res.Ins))]
			switch {
			case rng.Intn(2) == 0 && isGPR(in.Op1):
				in.Op1 = other(in.Op1)
			case isGPR(in.Op2):
				in.Op2 = other(in.Op2)
			case isGPR(in.Dest):
				in.Dest = other(in.Dest)
			default:
				continue
			}
			return true
		case 2:
			if len(res.Moves) == 0 {
				continue
			}
			m := &res.Moves[rng.Intn(len(res.Moves))]
			if !m.Src.IsReg() || !isGPR(m.Src.Reg()) {
				continue
			}
			m.Src = regalloc.RegLoc(other(m.Src.Reg()))
			return true
		case 3:
			if len(res.Locs) == 0 {
				continue
			}
			l := &res.Locs[rng.Intn(len(res.Locs))]
			if !l.Loc.IsReg() || !isGPR(l.Loc.Reg()) {
				continue
			}
			l.Loc = regalloc.RegLoc(other(l.Loc.Reg()))
			return true
		}
	}
	return false
}

// TestChecker: real allocations of random straight-line traces must pass;
// every mutant regalloc.Check rejects must be rejected too.
func TestChecker(t *testing.T) {
	n := 600
	if testing.Short() || os.Getenv("JITKIT_QEMU") != "" {
		n = 100
	}
	checker := newImpl()
	var traces, mutants, rejected int
	for _, tg := range []*regalloc.Target{regalloc.AMD64, regalloc.ARM64} {
		g := lowertest.NewGen(lowertest.Config{Pressure: 0})
		al := regalloc.NewAllocator(tg)
		var res regalloc.Result
		rng := rand.New(rand.NewSource(7))
		for seed := int64(1); seed <= int64(n); seed++ {
			if err := g.Build(seed); err != nil {
				continue
			}
			tr := g.B.T
			if tr.Loop != irkit.NoRef || tr.Looping {
				continue
			}
			if err := al.Alloc(tr, &res); err != nil {
				t.Fatalf("seed %d: Alloc: %v", seed, err)
			}
			traces++
			if err := checker.Check(tr, &res); err != nil {
				t.Fatalf("%s seed %d: a correct allocation was rejected: %v\n%s", tg.Name, seed, err, res.Format(tr))
			}
			for k := 0; k < 4; k++ {
				m := clone(&res)
				if !mutate(rng, tg, m) {
					continue
				}
				mutants++
				if regalloc.Check(tr, m) == nil {
					continue // the mutant happens to be correct: either verdict is fine
				}
				rejected++
				if err := checker.Check(tr, m); err == nil {
					t.Fatalf("%s seed %d: a broken allocation was accepted (regalloc.Check: %v)\n%s", tg.Name, seed, regalloc.Check(tr, m), m.Format(tr))
				}
			}
		}
		g.Close()
	}
	t.Logf("%d traces, %d mutants, %d of them broken", traces, mutants, rejected)
	if traces == 0 || rejected == 0 {
		t.Fatal("nothing was checked")
	}
}
