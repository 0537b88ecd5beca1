package irkit

import "testing"

// TestLoopCopy checks the map from the peeled iteration to the loop body:
// a loop-carried slot load stands for the value the loop snapshot stores,
// an invariant load for itself (hoisted), and the arithmetic and the guard
// for their copies after LOOP.
func TestLoopCopy(t *testing.T) {
	b, i, n, i1, lt := incLoop(1, 0)
	tr := b.T
	if got := tr.LoopCopy(i1); got != NoRef {
		t.Fatalf("before LoopOpt: LoopCopy = %v, want NoRef", got)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	if got := tr.LoopCopy(i); got != i1 {
		t.Errorf("LoopCopy(i) = %v, want %v (the loop snapshot's value)", got, i1)
	}
	if got := tr.LoopCopy(n); got != n {
		t.Errorf("LoopCopy(n) = %v, want %v (hoisted)", got, n)
	}
	c := tr.LoopCopy(i1)
	if c <= tr.Loop || tr.Ins(c).Op != ADDOV || tr.Ins(c).Op1 != i1 {
		t.Errorf("LoopCopy(i1) = %v (%s), want the ADDOV after LOOP", c, tr.InsString(c))
	}
	g := tr.LoopCopy(lt)
	if g <= c || tr.Ins(g).Op != LT || tr.Ins(g).Op1 != c {
		t.Errorf("LoopCopy(lt) = %v (%s), want the LT after LOOP", g, tr.InsString(g))
	}
	if got := tr.LoopCopy(tr.Loop); got != NoRef {
		t.Errorf("LoopCopy(LOOP) = %v, want NoRef", got)
	}
}

// TestLoopCopyKeepsSnapFlags checks that the loop body's copy of a
// snapshot keeps its Flags (SnapExitOnly), and that a snapshot without
// them stays without.
func TestLoopCopyKeepsSnapFlags(t *testing.T) {
	b, _, _, _, _ := incLoop(7, SnapExitOnly)
	tr := b.T
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for k, s := range tr.Snaps {
		if s.Flags&SnapExitOnly == 0 {
			continue
		}
		flagged++
		if s.PC != 7 {
			t.Errorf("snapshot %d (pc %d) carries SnapExitOnly", k, s.PC)
		}
	}
	if flagged != 2 {
		t.Errorf("%d snapshots carry SnapExitOnly, want 2 (the original and its loop copy)\n%s", flagged, tr)
	}
}

// incLoop builds a looping trace, not yet loop-optimized: i1 = i+1
// (ADDOV), then the guard lt = i1 < n, whose snapshot resumes at pc with
// Snap.Flags flags; the loop snapshot carries i1 into slot 0.
func incLoop(pc uint64, flags uint16) (b *Builder, i, n, i1, lt Ref) {
	b = NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	i = b.SLoad(0, TInt)
	n = b.SLoad(1, TInt)
	i1 = b.Emit(ADDOV, TInt, i, b.KInt(1))
	si, _ := tr.AddSnap(pc, 2, []SnapEntry{MakeEntry(0, i1, 0)}, nil)
	tr.Snaps[si].Flags = flags
	lt = b.Emit(LT, TInt, i1, n)
	tr.AddSnap(0, 2, []SnapEntry{MakeEntry(0, i1, 0)}, nil)
	tr.Looping = true
	return b, i, n, i1, lt
}

// TestLoopCopyNoReassocOntoPeeled: a loop adding a constant to an index
// that is a plain ADD of the value loaded at the trace's entry (as a
// narrowed for loop's is: i1 = i0 + 1) keeps one loop-carried index. The
// copy i1 + 1 must stay an ADD of i1: reassociated onto the peeled
// iteration's own ADD it would become i0 + 2, and i0 would be carried
// round the loop in a second PHI.
func TestLoopCopyNoReassocOntoPeeled(t *testing.T) {
	b := NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	i0 := b.SLoad(0, TInt)
	n := b.SLoad(1, TInt)
	i1 := b.Emit(ADD, TInt, i0, b.KInt(1))
	tr.AddSnap(1, 2, []SnapEntry{MakeEntry(0, i1, 0)}, nil)
	b.Emit(LT, TInt, i1, n)
	tr.AddSnap(0, 2, []SnapEntry{MakeEntry(0, i1, 0)}, nil)
	tr.Looping = true
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	c := tr.LoopCopy(i1)
	if ins := tr.Ins(c); c <= tr.Loop || ins.Op != ADD || ins.Op1 != i1 || ins.Op2 != b.KInt(1) {
		t.Errorf("LoopCopy(i1) = %v (%s), want ADD %v +1 after LOOP\n%s", c, tr.InsString(c), i1, tr)
	}
	phis := 0
	for r := tr.Loop + 1; r < tr.Next(); r++ {
		if ins := tr.Ins(r); ins.Op == PHI {
			phis++
			if ins.Op1 != i1 {
				t.Errorf("PHI %s carries %v, want only %v (the index)", tr.InsString(r), ins.Op1, i1)
			}
		}
	}
	if phis != 1 {
		t.Errorf("%d PHIs, want 1\n%s", phis, tr)
	}
}
