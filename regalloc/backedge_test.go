package regalloc

import (
	"math/rand"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// -- The back edge's exit -------------------------------------------------------
//
// A loop trace leaves at its back edge when an interrupt is pending, through
// the loop snapshot, with the values wherever the end of the body has them.
// These tests use loops whose snapshot names values the body computes after
// its last guard and never reads again (the shape the lowerings used to
// refuse: nothing but that exit kept them alive).

// tailLoops returns recorded loops (recordTailLoop) and generated ones
// (genTrace with tail steps), n of each at most.
func tailLoops(n int) []*irkit.Trace {
	var out []*irkit.Trace
	for seed := 0; seed < 4*n && len(out) < n; seed++ {
		if tr := recordTailLoop(rand.New(rand.NewSource(int64(seed))), 10+seed%50, 1+seed%4); tr != nil {
			out = append(out, tr)
		}
	}
	m := len(out)
	for seed := 0; seed < 4*n && len(out) < m+n; seed++ {
		cfg := genCfg{n: 30 + seed%60, slots: 8, snaps: 40, live: 4 + seed%30, loop: true, calls: seed%3 == 0, tail: 1 + seed%5}
		if tr := genTrace(rand.New(rand.NewSource(int64(seed))), cfg); tr != nil {
			out = append(out, tr)
		}
	}
	return out
}

// onlyBackEdge counts the values of tr's loop snapshot that nothing but
// the back edge reads: no instruction, PHI or guard's snapshot in the body
// uses them after their definition.
func onlyBackEdge(tr *irkit.Trace) int {
	n := 0
	for _, e := range tr.Entries(len(tr.Snaps) - 1) {
		u := e.Ref()
		if !u.IsIns() || u < tr.Loop {
			continue
		}
		used := false
		for r := u + 1; r < tr.Next() && !used; r++ {
			ins := tr.Ins(r)
			info := ins.Op.Info()
			used = info.Mode1 == irkit.ModeRef && ins.Op1 == u || info.Mode2 == irkit.ModeRef && ins.Op2 == u
			if si, ok := tr.GuardSnap(r); ok && !used {
				for _, ge := range tr.Entries(si) {
					used = used || ge.Ref() == u
				}
			}
		}
		if !used {
			n++
		}
	}
	return n
}

// TestBackEdgeRecord: every loop trace has its back edge's record last in
// Exits, at Trace.Next(), for the loop snapshot, listing every value of
// that snapshot once, and the allocation passes the checker.
func TestBackEdgeRecord(t *testing.T) {
	loops := tailLoops(scale(200))
	shapes := 0
	for i, tr := range loops {
		shapes += onlyBackEdge(tr)
		for _, tg := range targets {
			res, err := Alloc(tg, tr)
			if err != nil {
				t.Fatalf("loop %d %s: %v", i, tg.Name, err)
			}
			if err := Check(tr, res); err != nil {
				t.Fatalf("loop %d %s: %v\n%s\n%s", i, tg.Name, err, tr, res.Format(tr))
			}
			last := res.Exits[len(res.Exits)-1]
			e, ok := res.ExitAt(tr.Next())
			if !ok || *e != last || int(e.Snap) != len(tr.Snaps)-1 {
				t.Fatalf("loop %d %s: back edge record %+v (found %v), want the last, snapshot %d", i, tg.Name, last, ok, len(tr.Snaps)-1)
			}
			for _, en := range tr.Entries(int(e.Snap)) {
				if l := res.Where(tr.Next(), en.Ref()); l == LocNone {
					t.Fatalf("loop %d %s: %04d has no location at the back edge", i, tg.Name, int(en.Ref()-irkit.Bias))
				}
			}
		}
	}
	if len(loops) < scale(200) || shapes < len(loops)/4 {
		t.Fatalf("%d loops, %d values only the back edge reads: the generators lost the shape", len(loops), shapes)
	}
	t.Logf("%d loops on %d targets, %d loop-snapshot values only the back edge reads", len(loops), len(targets), shapes)
}

// TestBackEdgeExit interrupts recorded loops at their k-th back edge on
// the model machine (registers and slots full of garbage), restores the
// loop snapshot from the back edge's record, and resumes on irkit's
// interpreter from the restored slots: the result must be the
// uninterrupted run's, slot for slot. A wrong or stale location changes a
// slot the resumed run writes back (or reads).
func TestBackEdgeExit(t *testing.T) {
	ev := newEvaluator()
	var in irkit.Interp
	in.MaxIter = 200
	interrupted, runs := 0, 0
	for seed := 0; seed < scale(300); seed++ {
		var tr *irkit.Trace
		if seed%4 == 3 {
			tr = recordLoop(rand.New(rand.NewSource(int64(seed))), 10+seed%60)
		} else {
			tr = recordTailLoop(rand.New(rand.NewSource(int64(seed))), 10+seed%60, 1+seed%5)
		}
		if tr == nil {
			continue
		}
		for ti, tg := range targets {
			res, err := Alloc(tg, tr)
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, tg.Name, err)
			}
			rng := rand.New(rand.NewSource(int64(seed*10 + ti)))
			for k := 1; k <= 3; k++ {
				slots := initSlots(rng, 8)
				slots[0] = uint64(int64(40 - k - 1 - rng.Intn(8))) // iterations to go
				want := append([]uint64(nil), slots...)
				wexit, werr := in.Run(tr, want)
				mid := append([]uint64(nil), slots...)
				gexit, gerr := sim(tr, res, mid, 200, k, rng, ev)
				runs++
				if gerr != nil || werr != nil {
					t.Fatalf("seed %d %s: interp %v, sim %v", seed, tg.Name, werr, gerr)
				}
				if !gexit.intr {
					// A guard left first: as the interpreter did.
					if gexit.guard != wexit.Guard || !equalWords(mid, want) {
						t.Fatalf("seed %d %s: sim left at %04d, interp at %04d", seed, tg.Name, int(gexit.guard-irkit.Bias), int(wexit.Guard-irkit.Bias))
					}
					continue
				}
				interrupted++
				got := append([]uint64(nil), mid...)
				rexit, rerr := in.Run(tr, got)
				if rerr != nil || rexit.PC != wexit.PC || !equalWords(got, want) {
					t.Fatalf("seed %d %s: interrupted at back edge %d, resumed: %v pc %d slots %x; uninterrupted: pc %d slots %x (restored %x)\n%s\n%s",
						seed, tg.Name, k, rerr, rexit.PC, got, wexit.PC, want, mid, tr, res.Format(tr))
				}
			}
		}
	}
	if interrupted < runs/3 {
		t.Fatalf("only %d of %d runs interrupted", interrupted, runs)
	}
	t.Logf("%d runs, %d interrupted at a back edge, restored and resumed", runs, interrupted)
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

// TestCheckBackEdge corrupts the back edge's record and requires the
// checker to notice: a record taken away, a wrong snapshot number, a value
// listed twice, a location moved to another register or slot.
func TestCheckBackEdge(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	moved, caught := 0, 0
	for i, tr := range tailLoops(scale(100)) {
		for _, tg := range targets {
			res, err := Alloc(tg, tr)
			if err != nil {
				t.Fatal(err)
			}
			n := len(res.Exits) - 1
			e := res.Exits[n]

			bad := clone2(res)
			bad.Exits = bad.Exits[:n]
			if Check(tr, bad) == nil {
				t.Fatalf("loop %d %s: record taken away, not caught", i, tg.Name)
			}
			bad = clone2(res)
			bad.Exits[n].Snap = int32(rng.Intn(len(tr.Snaps) - 1))
			if Check(tr, bad) == nil {
				t.Fatalf("loop %d %s: snapshot %d named, not caught", i, tg.Name, bad.Exits[n].Snap)
			}
			if e.N == 0 {
				continue
			}
			bad = clone2(res)
			off := uint32(len(bad.Locs))
			bad.Locs = append(bad.Locs, bad.Locs[e.Off:e.Off+e.N]...)
			bad.Locs = append(bad.Locs, bad.Locs[e.Off+uint32(rng.Intn(int(e.N)))])
			bad.Exits[n].Off, bad.Exits[n].N = off, e.N+1
			if Check(tr, bad) == nil {
				t.Fatalf("loop %d %s: a value listed twice, not caught", i, tg.Name)
			}
			for j := e.Off; j < e.Off+e.N; j++ {
				bad = clone2(res)
				l := &bad.Locs[j]
				old := l.Loc
				for l.Loc == old {
					if rng.Intn(2) == 0 || res.NSlots == 0 {
						l.Loc = RegLoc(tg.Alloc[ClassOf(tr.Ins(l.Ref).T)].Low() + Reg(rng.Intn(8)))
					} else {
						l.Loc = SlotLoc(rng.Intn(res.NSlots))
					}
				}
				moved++
				if Check(tr, bad) != nil {
					caught++
				}
			}
		}
	}
	// A moved location may by chance hold the value too (a copy, a slot
	// and its register): demand almost all, not all.
	if caught*100 < moved*90 {
		t.Fatalf("checker caught %d of %d moved back-edge locations", caught, moved)
	}
	t.Logf("checker caught %d of %d moved back-edge locations", caught, moved)
}

// TestAllocSteadyState: a warm Allocator and Result allocate nothing,
// loops with a back edge's record included.
func TestAllocSteadyState(t *testing.T) {
	loops := tailLoops(4)
	for _, tg := range targets {
		a := NewAllocator(tg)
		var res Result
		for _, tr := range loops {
			if err := a.Alloc(tr, &res); err != nil {
				t.Fatal(err)
			}
		}
		n := testing.AllocsPerRun(20, func() {
			for _, tr := range loops {
				if err := a.Alloc(tr, &res); err != nil {
					t.Fatal(err)
				}
			}
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per run once warm", tg.Name, n)
		}
	}
}

// TestAllocReuse allocates loop, straight and restarting traces in turn
// with one Allocator and one Result: each must pass the checker and equal
// a fresh allocation (nothing left over from the trace before, such as a
// loop's Tail on a straight trace).
func TestAllocReuse(t *testing.T) {
	var trs []*irkit.Trace
	for seed := 0; len(trs) < scale(120); seed++ {
		var tr *irkit.Trace
		switch seed % 3 {
		case 0:
			tr = recordTailLoop(rand.New(rand.NewSource(int64(seed))), 10+seed%40, 1+seed%3)
		case 1:
			tr = genTrace(rand.New(rand.NewSource(int64(seed))), genCfg{n: 20 + seed%40, slots: 8, snaps: 40, live: 8, calls: true})
		default:
			tr = recordLoopRaw(rand.New(rand.NewSource(int64(seed))), 10+seed%40)
		}
		if tr != nil {
			trs = append(trs, tr)
		}
	}
	for _, tg := range targets {
		a := NewAllocator(tg)
		var res Result
		for i, tr := range trs {
			if err := a.Alloc(tr, &res); err != nil {
				t.Fatal(err)
			}
			if err := Check(tr, &res); err != nil {
				t.Fatalf("%s trace %d (after %d others): %v\n%s", tg.Name, i, i, err, res.Format(tr))
			}
			fresh, err := Alloc(tg, tr)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res.Format(tr), fresh.Format(tr); got != want || res.NSlots != fresh.NSlots {
				t.Fatalf("%s trace %d: a reused allocator gives\n%s\na fresh one\n%s", tg.Name, i, got, want)
			}
		}
	}
}
