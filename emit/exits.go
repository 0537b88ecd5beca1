package emit

import "github.com/jitkit/jitkit/regalloc"

// -- Exit bookkeeping every lowering shares --------------------------------------
//
// The allocation records, per guard (and for the trace end), where the
// values of its snapshot are when it exits (regalloc.Result.Exits). Several
// guards may exit through one snapshot with their values in different
// places, while a restorer knows only the exit number: so each snapshot
// has one canonical exit record, its first, whose locations every other
// record's stub moves its values to, and which Trace.Locs reports. What a
// stub looks like is the architecture's business; which record is
// canonical, when two records can share one stub, and the table of
// canonical locations are the same on every architecture, and live here.

// CanonExits returns, for each of nsnaps snapshots, the index in
// res.Exits of its canonical exit record (the first one that exits through
// it), or -1 if no record does. canon's storage is reused.
func CanonExits(canon []int32, nsnaps int, res *regalloc.Result) []int32 {
	canon = canon[:0]
	for i := 0; i < nsnaps; i++ {
		canon = append(canon, -1)
	}
	for i, e := range res.Exits {
		if e.Snap >= 0 && int(e.Snap) < nsnaps && canon[e.Snap] < 0 {
			canon[e.Snap] = int32(i)
		}
	}
	return canon
}

// ExitLocs returns the locations of exit record i of res.
func ExitLocs(res *regalloc.Result, i int) []regalloc.RefLoc {
	e := res.Exits[i]
	return res.Locs[e.Off : e.Off+e.N]
}

// SameExit reports whether two exits can share one stub: they leave
// through the same snapshot with every value in the same place, as
// consecutive guards with nothing in between often do.
func SameExit(snapX int32, x []regalloc.RefLoc, snapY int32, y []regalloc.RefLoc) bool {
	if snapX != snapY || len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// SetExitLocs fills t.ExitSpan and t.ExitLocs for nsnaps snapshots from
// locs(n), the canonical locations of snapshot n (ok false when no code
// exits through it).
func (t *Trace) SetExitLocs(nsnaps int, locs func(n int) (l []regalloc.RefLoc, ok bool)) {
	t.ExitSpan = make([]regalloc.Span, nsnaps)
	t.ExitLocs = t.ExitLocs[:0]
	for n := 0; n < nsnaps; n++ {
		l, ok := locs(n)
		if !ok {
			continue
		}
		t.ExitSpan[n] = regalloc.Span{Off: uint32(len(t.ExitLocs)), N: uint32(len(l))}
		t.ExitLocs = append(t.ExitLocs, l...)
	}
}
