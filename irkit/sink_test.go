package irkit

import (
	"math"
	"testing"
)

// sinkLoop records "repeat i = i + 1 until not (i < n)" with i and n
// doubles in slots 0 and 1, the counter narrowed to int32: the only float
// use of i is its slot, so after LoopOpt each iteration computes ITOF(i)
// for the snapshots alone.
func sinkLoop(t *testing.T) *Builder {
	t.Helper()
	b := NewBuilder(nil)
	r := NewRecorder(b)
	r.Start(0)
	i := r.Emit(FTOIX, TInt, r.Slot(0, TNum), NoRef)
	n := r.Emit(FTOIX, TInt, r.Slot(1, TNum), NoRef)
	i1 := r.Emit(ADDOV, TInt, i, b.KInt(1))
	r.SetSlot(0, r.Emit(ITOF, TNum, i1, NoRef))
	if err := r.Guard(LT, i1, n); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseLoop(); err != nil {
		t.Fatal(err)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	return b
}

func countOp(tr *Trace, op Op) int {
	n := 0
	for r := First; r < tr.Next(); r++ {
		if tr.Ins(r).Op == op {
			n++
		}
	}
	return n
}

// TestSinkITOF: SinkITOF moves the conversion into the snapshots, DCE
// then removes every ITOF, and an exit restores the same doubles when
// Interp.Box converts TInt entries as a language would.
func TestSinkITOF(t *testing.T) {
	ref := sinkLoop(t)
	ref.T.DCE()
	if countOp(ref.T, ITOF) == 0 {
		t.Fatalf("no ITOF to sink; the test exercises nothing:\n%s", ref.T)
	}
	b := sinkLoop(t)
	if n := b.T.SinkITOF(); n == 0 {
		t.Fatalf("SinkITOF rewrote nothing:\n%s", b.T)
	}
	b.T.DCE()
	if err := b.T.Verify(); err != nil {
		t.Fatalf("%v\n%s", err, b.T)
	}
	if n := countOp(b.T, ITOF); n != 0 {
		t.Errorf("%d ITOF left after SinkITOF and DCE:\n%s", n, b.T)
	}
	box := func(ty Type, w uint64) uint64 {
		if ty == TInt {
			return math.Float64bits(float64(int32(w)))
		}
		return w
	}
	for _, n := range []float64{5, 1000} {
		want := []uint64{math.Float64bits(0), math.Float64bits(n)}
		got := append([]uint64(nil), want...)
		in := Interp{MaxIter: 1 << 20}
		exW, errW := in.Run(ref.T, want)
		in.Box = box
		exG, errG := in.Run(b.T, got)
		if errW != nil || errG != nil || exW.Snap != exG.Snap || exW.Iter != exG.Iter {
			t.Fatalf("n=%v: exits %+v (%v) and %+v (%v)", n, exW, errW, exG, errG)
		}
		if got[0] != want[0] || got[1] != want[1] {
			t.Errorf("n=%v: slots %v after sinking, %v before", n, got, want)
		}
	}
}
