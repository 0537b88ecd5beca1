package regalloc

import (
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// -- A forward linear-scan baseline (Poletto and Sarkar, 1999) --------------
//
// Each value gets one live interval, from its definition to its last use
// (a use inside the loop body stretches the interval of a value defined
// before the loop to the end of the trace; PHI right operands live to the
// end). Intervals are visited by start; when more are live than a class
// has registers, the one that ends last is spilled for its whole life:
// one store after its definition and one reload before each use. Exits
// read spilled values from memory for free. The baseline is given every
// advantage: no fixed registers, no clobbers, constants cost nothing, and
// moves are not counted.

type interval struct {
	ref        irkit.Ref
	start, end int
	cls        Class
	uses       int
}

// baseline returns the stores and reloads the forward linear scan needs
// for tr with t's allocatable registers.
func baseline(t *Target, tr *irkit.Trace) (stores, reloads int) {
	n := tr.Len()
	loopPos := -1
	if tr.Loop != irkit.NoRef {
		loopPos = int(tr.Loop - irkit.First)
	}
	iv := map[irkit.Ref]*interval{}
	get := func(r irkit.Ref) *interval {
		if iv[r] == nil {
			iv[r] = &interval{ref: r, start: int(r - irkit.First), end: int(r - irkit.First), cls: ClassOf(tr.Ins(r).T)}
		}
		return iv[r]
	}
	a := NewAllocator(t)
	a.tr, a.nk = tr, tr.KLow()
	use := func(r irkit.Ref, p int, real bool) {
		if !r.IsIns() {
			return
		}
		x := get(r)
		if p > x.end {
			x.end = p
		}
		if loopPos >= 0 && p > loopPos && x.start < loopPos {
			x.end = n
		}
		if real {
			x.uses++
		}
	}
	for p := 0; p < n; p++ {
		r := irkit.First + irkit.Ref(p)
		ins := tr.Ins(r)
		switch ins.Op {
		case irkit.NOP, irkit.CARG, irkit.LOOP:
			continue
		case irkit.PHI:
			use(ins.Op2, n, true)
			use(ins.Op1, n, false)
			continue
		}
		if ins.Op.HasValue() && ins.T.Base() != irkit.TVoid {
			get(r)
		}
		if err := a.operands(r, ins, a.cons(ins)); err == nil {
			for k := 0; k < a.nops; k++ {
				if !a.ops[k].ref.IsConst() {
					use(a.ops[k].ref, p, true)
				}
			}
		}
		if ins.T.IsGuard() {
			if si, ok := tr.GuardSnap(r); ok {
				for _, e := range tr.Entries(si) {
					use(e.Ref(), p, false)
				}
			}
		}
	}
	var all []*interval
	for _, x := range iv {
		all = append(all, x)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].ref < all[j].ref
	})
	var active [NumClasses][]*interval
	spill := func(x *interval) {
		stores++
		reloads += x.uses
	}
	for _, x := range all {
		act := active[x.cls][:0]
		for _, y := range active[x.cls] {
			if y.end >= x.start {
				act = append(act, y)
			}
		}
		active[x.cls] = act
		if len(act) < t.Alloc[x.cls].Len() {
			active[x.cls] = append(act, x)
			continue
		}
		far := 0
		for i, y := range act {
			if y.end > act[far].end {
				far = i
			}
		}
		if act[far].end > x.end {
			spill(act[far])
			act[far] = x
		} else {
			spill(x)
		}
	}
	return stores, reloads
}

// referenceTraces are the traces the allocator is compared on.
func referenceTraces(t *testing.T) map[string]*irkit.Trace {
	out := map[string]*irkit.Trace{}
	add := func(name string, seed int64, cfg genCfg) {
		for s := seed; ; s++ {
			if tr := genTrace(rand.New(rand.NewSource(s)), cfg); tr != nil {
				out[name] = tr
				return
			}
		}
	}
	add("straight-40", 1, genCfg{n: 40, slots: 8, snaps: 40, live: 6})
	add("straight-200-wide", 2, genCfg{n: 200, slots: 8, snaps: 30, live: 40})
	add("calls-120", 3, genCfg{n: 120, slots: 8, snaps: 30, live: 15, calls: true})
	add("loop-60", 4, genCfg{n: 60, slots: 8, snaps: 40, live: 10, loop: true})
	add("loop-200-wide", 5, genCfg{n: 200, slots: 8, snaps: 40, live: 50, loop: true})
	add("loop-calls-150", 6, genCfg{n: 150, slots: 8, snaps: 40, live: 25, loop: true, calls: true})
	add("loop-800-wide", 7, genCfg{n: 800, slots: 8, snaps: 20, live: 80, loop: true})
	for i, tr := range recordedLoops(t) {
		out["recorded-loop-"+string(rune('a'+i))] = tr
	}
	return out
}

// plain returns t without fixed registers, clobbers or ops lowered as
// calls: only register pressure is left, which is all the baseline models.
func plain(t *Target) *Target {
	p := *t
	p.Name = t.Name + "-plain"
	p.Cons = [irkit.NumOps][NumClasses]Cons{}
	for c := Class(0); c < NumClasses; c++ {
		p.Cons[irkit.CALLN][c] = Cons{Call: true}
		p.Cons[irkit.CALLS][c] = Cons{Call: true}
		for op := irkit.Op(0); op < irkit.NumOps; op++ {
			p.Cons[op][c].Imm2 = t.Cons[op][c].Imm2
		}
	}
	return &p
}

// hasCalls reports whether tr calls a helper.
func hasCalls(tr *irkit.Trace) bool {
	for r := irkit.First; r < tr.Next(); r++ {
		if op := tr.Ins(r).Op; op == irkit.CALLN || op == irkit.CALLS {
			return true
		}
	}
	return false
}

// TestAgainstBaseline asserts that the backward allocation never needs
// more spill stores plus reloads than the forward linear scan, on every
// reference trace without helper calls, on targets reduced to register
// pressure (the baseline knows no fixed registers or clobbers). It logs
// both counts, and the counts on the full targets for information.
func TestAgainstBaseline(t *testing.T) {
	refs := referenceTraces(t)
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	var tgs []*Target
	for _, tg := range targets {
		tgs = append(tgs, plain(tg))
	}
	tgs = append(tgs, targets...)
	for _, tg := range tgs {
		for _, name := range names {
			tr := refs[name]
			res, err := Alloc(tg, tr)
			if err != nil {
				t.Fatalf("%s %s: %v", tg.Name, name, err)
			}
			if err := Check(tr, res); err != nil {
				t.Fatalf("%s %s: %v", tg.Name, name, err)
			}
			bs, br := baseline(tg, tr)
			s, r := res.Stats.Spills, res.Stats.Reloads
			t.Logf("%-6s %-20s %4d ins: backward %3d stores %3d reloads (%d remats, %d copies, %d slots; in the loop %d+%d) | linear scan %3d stores %3d reloads",
				tg.Name, name, tr.Len(), s, r, res.Stats.Remats, res.Stats.Copies, res.NSlots,
				res.Stats.LoopSpills, res.Stats.LoopReloads, bs, br)
			if strings.HasSuffix(tg.Name, "-plain") && !hasCalls(tr) && s+r > bs+br {
				t.Errorf("%s %s: backward allocation spills more (%d+%d) than the linear scan (%d+%d)", tg.Name, name, s, r, bs, br)
			}
		}
	}
}
