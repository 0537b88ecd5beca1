package irkit

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestDCEKeepsBodyOnlyPHI is the regression test for a DCE that ran after
// LoopOpt and dropped a PHI whose left value is used only inside the loop
// body and appears in no snapshot (docs/bf's "+[+++>+<]" looped forever).
// The cell's value is forwarded from the store of one iteration to the
// load of the next, so it is carried by PHI(x, x'); the sweep reached the
// PHI before the body's ADD marked x, and nothing looked at it again.
func TestDCEKeepsBodyOnlyPHI(t *testing.T) {
	cell := new([1]uint64)
	var pin runtime.Pinner
	pin.Pin(cell)
	defer pin.Unpin()
	cell[0] = 1
	b := NewBuilder(nil)
	r := NewRecorder(b)
	r.Start(0)
	p := r.Slot(0, TInt)
	r.SetSlot(0, r.Emit(ADD, TInt, p, b.KInt(0))) // slot 0 in the loop snapshot
	a := r.Emit(AREF, TPtr, b.KPtr(uintptr(unsafe.Pointer(&cell[0]))), p)
	v := r.Emit(ALOAD, TInt, a, NoRef)
	v = r.Emit(BAND, TInt, r.Emit(ADD, TInt, v, b.KInt(3)), b.KInt(255))
	r.Emit(ASTORE, TInt, a, v)
	w := r.Emit(ALOAD, TInt, a, NoRef)
	if err := r.Guard(NE, w, b.KInt(0)); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseLoop(); err != nil {
		t.Fatal(err)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	phis := func() int {
		n := 0
		for q := b.T.Loop + 1; q < b.T.Next(); q++ {
			if b.T.Ins(q).Op == PHI {
				n++
			}
		}
		return n
	}
	before := phis()
	if before == 0 {
		t.Fatalf("LoopOpt made no PHI; the test no longer exercises the bug:\n%s", b.T)
	}
	b.T.DCE()
	if err := b.T.Verify(); err != nil {
		t.Fatalf("%v\n%s", err, b.T)
	}
	if after := phis(); after != before {
		t.Errorf("DCE dropped %d of %d PHIs:\n%s", before-after, before, b.T)
	}
	in := Interp{MaxIter: 1000}
	exit, err := in.Run(b.T, []uint64{0})
	if err != nil {
		t.Fatalf("%v (1+3k mod 256 reaches 0 after 85 iterations)\n%s", err, b.T)
	}
	// 1+3k ≡ 0 (mod 256) first at k = 85: the guard of the 85th update
	// fails, after 84 completed iterations of the loop (the peeled first
	// update is not one).
	if cell[0] != 0 || exit.Guard == NoRef || exit.Iter != 84 {
		t.Errorf("cell = %d, exit %+v; want cell 0 after 84 iterations\n%s", cell[0], exit, b.T)
	}
}

// TestDCEPHIChain: a swap carried through two PHIs (x, y = y, x+1) keeps
// both PHIs and computes what it computed before DCE: a live PHI's right
// value makes the other PHI's left value live.
func TestDCEPHIChain(t *testing.T) {
	b := NewBuilder(nil)
	r := NewRecorder(b)
	r.Start(0)
	n := r.Slot(0, TInt)
	x := r.Slot(1, TInt)
	y := r.Slot(2, TInt)
	nn := r.Emit(SUB, TInt, n, b.KInt(1))
	r.SetSlot(0, nn)
	if err := r.Guard(GT, nn, b.KInt(0)); err != nil {
		t.Fatal(err)
	}
	s := r.Emit(ADD, TInt, x, b.KInt(1))
	r.SetSlot(1, y)
	r.SetSlot(2, s)
	if err := r.CloseLoop(); err != nil {
		t.Fatal(err)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	ref := Interp{MaxIter: 100}
	want := []uint64{10, 1, 100}
	if _, err := ref.Run(b.T, want); err != nil {
		t.Fatal(err)
	}
	b.T.DCE()
	got := []uint64{10, 1, 100}
	if _, err := ref.Run(b.T, got); err != nil {
		t.Fatal(err)
	}
	if got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("after DCE slots %v, want %v\n%s", got, want, b.T)
	}
}
