package regalloc

import (
	"math/rand"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// runMoves executes a move sequence on a location → value map.
func runMoves(st map[Loc]irkit.Ref, ms []Move) {
	for _, m := range ms {
		v, ok := st[m.Src]
		if m.Src.IsConst() {
			v, ok = m.Src.Const(), true
		}
		if !ok {
			v = 0
		}
		st[m.Dst] = v
	}
}

// TestResolve checks the sequenced parallel move against its meaning on
// random permutations, swaps, cycles through slots and fan-outs, and that
// only the scratch register and the parking slot are touched besides the
// destinations.
func TestResolve(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	scratch := Reg(11)
	for iter := 0; iter < scale(20000); iter++ {
		// Locations: registers 0..9 and slots 0..5.
		var locs []Loc
		for r := Reg(0); r < 10; r++ {
			locs = append(locs, RegLoc(r))
		}
		for s := 0; s < 6; s++ {
			locs = append(locs, SlotLoc(s))
		}
		st := map[Loc]irkit.Ref{}
		for i, l := range locs {
			st[l] = irkit.Bias + 1 + irkit.Ref(i)
		}
		rng.Shuffle(len(locs), func(i, j int) { locs[i], locs[j] = locs[j], locs[i] })
		n := 1 + rng.Intn(len(locs))
		var pm []Move
		for i := 0; i < n; i++ {
			var src Loc
			switch {
			case rng.Intn(8) == 0:
				src = ConstLoc(irkit.Ref(100 + i))
			case rng.Intn(3) == 0:
				src = locs[rng.Intn(len(locs))] // fan-out or self
			default:
				src = locs[(i+1)%n] // a cycle through the destinations
			}
			pm = append(pm, Move{Dst: locs[i], Src: src, Ref: st[src]})
		}
		want := map[Loc]irkit.Ref{}
		for k, v := range st {
			want[k] = v
		}
		for _, m := range pm {
			if m.Src.IsConst() {
				want[m.Dst] = m.Src.Const()
			} else {
				want[m.Dst] = st[m.Src]
			}
		}
		park, nslots := -1, 6
		in := append([]Move(nil), pm...)
		out := resolve(in, nil, scratch, &park, &nslots)
		for _, m := range out {
			if m.Dst.IsSlot() && !m.Src.IsReg() {
				t.Fatalf("memory-to-memory move %v in %v", m, out)
			}
		}
		// Constants come last (a float remat may use the scratch register).
		seenK := false
		for i, m := range out {
			if m.Src.IsConst() {
				seenK = true
			} else if seenK && !(m.Src == RegLoc(scratch) && i > 0 && out[i-1].Dst == RegLoc(scratch)) {
				t.Fatalf("move %v after a constant in %v", m, out)
			}
		}
		got := map[Loc]irkit.Ref{}
		for k, v := range st {
			got[k] = v
		}
		runMoves(got, out)
		for l, v := range want {
			if got[l] != v {
				t.Fatalf("location %v: want %v, got %v\nmoves %v\nsequence %v", l, v, got[l], pm, out)
			}
		}
		for l := range got {
			if _, ok := want[l]; !ok && l != RegLoc(scratch) && !(l.IsSlot() && l.Slot() == park) {
				t.Fatalf("sequence writes %v, which is neither a destination nor scratch", l)
			}
		}
	}
}

// TestResolveSwap: a register swap takes three moves through the scratch
// register.
func TestResolveSwap(t *testing.T) {
	pm := []Move{{Dst: RegLoc(0), Src: RegLoc(1), Ref: 2}, {Dst: RegLoc(1), Src: RegLoc(0), Ref: 1}}
	park, ns := -1, 0
	out := resolve(pm, nil, 11, &park, &ns)
	if len(out) != 3 || ns != 0 {
		t.Fatalf("swap: %v (slots %d)", out, ns)
	}
	st := map[Loc]irkit.Ref{RegLoc(0): 1, RegLoc(1): 2}
	runMoves(st, out)
	if st[RegLoc(0)] != 2 || st[RegLoc(1)] != 1 {
		t.Fatalf("swap: %v gives %v", out, st)
	}
}
