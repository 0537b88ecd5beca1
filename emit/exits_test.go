package emit

import (
	"testing"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// TestExitBookkeeping: the first record of a snapshot is canonical, two
// records share a stub only with the same snapshot and locations, and the
// exit table reports each snapshot's canonical locations.
func TestExitBookkeeping(t *testing.T) {
	v1, v2 := irkit.First, irkit.First+1
	r0, r1, s3 := regalloc.RegLoc(0), regalloc.RegLoc(1), regalloc.SlotLoc(3)
	res := &regalloc.Result{Locs: []regalloc.RefLoc{
		{Ref: v1, Loc: r0},                     // record 0: snapshot 1
		{Ref: v1, Loc: r0},                     // record 1: snapshot 1, same place
		{Ref: v1, Loc: s3},                     // record 2: snapshot 1, elsewhere
		{Ref: v1, Loc: r1}, {Ref: v2, Loc: r0}, // record 3: snapshot 3
	}}
	res.Exits = []regalloc.Exit{
		{Ref: v1 + 1, Snap: 1, Off: 0, N: 1},
		{Ref: v1 + 2, Snap: 1, Off: 1, N: 1},
		{Ref: v1 + 3, Snap: 1, Off: 2, N: 1},
		{Ref: v1 + 4, Snap: 3, Off: 3, N: 2},
		{Ref: v1 + 5, Snap: 9, Off: 3, N: 2}, // no such snapshot
	}
	canon := CanonExits([]int32{7, 7, 7, 7, 7, 7, 7}, 4, res)
	if want := []int32{-1, 0, -1, 3}; len(canon) != 4 || canon[0] != want[0] || canon[1] != want[1] || canon[2] != want[2] || canon[3] != want[3] {
		t.Errorf("CanonExits = %v, want %v", canon, want)
	}
	same := func(i, j int) bool {
		return SameExit(res.Exits[i].Snap, ExitLocs(res, i), res.Exits[j].Snap, ExitLocs(res, j))
	}
	if !same(0, 1) || same(1, 2) || same(0, 3) || same(3, 4) {
		t.Errorf("SameExit: 0~1 %v, 1~2 %v, 0~3 %v, 3~4 %v; want true, false, false, false", same(0, 1), same(1, 2), same(0, 3), same(3, 4))
	}
	var tr Trace
	tr.SetExitLocs(4, func(n int) ([]regalloc.RefLoc, bool) {
		if canon[n] < 0 {
			return nil, false
		}
		return ExitLocs(res, int(canon[n])), true
	})
	if l := tr.Locs(1); len(l) != 1 || l[0] != res.Locs[0] {
		t.Errorf("Locs(1) = %v", l)
	}
	if l := tr.Locs(3); len(l) != 2 || l[0] != res.Locs[3] || l[1] != res.Locs[4] {
		t.Errorf("Locs(3) = %v", l)
	}
	if len(tr.Locs(0))+len(tr.Locs(2))+len(tr.Locs(4)) != 0 {
		t.Errorf("snapshots without exits have locations: %v %v %v", tr.Locs(0), tr.Locs(2), tr.Locs(4))
	}
}
