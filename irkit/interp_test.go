package irkit

import (
	"math"
	"runtime"
	"testing"
	"unsafe"
)

// countLoop records "i = i + 1 until not (i < n)" over slots 0 and 1,
// raw (no LOOP): the trace jumps back to its start through its last
// snapshot.
func countLoop(b *Builder) {
	b.T.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, TInt)
	n := b.SLoad(1, TInt)
	i1 := b.Emit(ADDOV, TInt, i, b.KInt(1))
	b.T.AddSnap(1, 2, []SnapEntry{MakeEntry(0, i1, 0)}, nil)
	b.Emit(LT, TVoid, i1, n)
	b.T.AddSnap(0, 2, []SnapEntry{MakeEntry(0, i1, 0)}, nil)
	b.T.Looping = true
}

func TestInterpLoop(t *testing.T) {
	b := NewBuilder(nil)
	countLoop(b)
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	slots := []uint64{0, 10}
	var in Interp
	ex, err := in.Run(b.T, slots)
	if err != nil {
		t.Fatal(err)
	}
	if int32(slots[0]) != 10 || ex.Iter != 9 || ex.PC != 1 || ex.Snap != 1 {
		t.Fatalf("exit %+v slots %v", ex, slots)
	}
}

func TestInterpMemory(t *testing.T) {
	type obj struct {
		a int32
		b float64
		c [4]uint64
	}
	o := &obj{a: 7, b: 2.5, c: [4]uint64{1, 2, 3, 4}}
	var pin runtime.Pinner
	pin.Pin(o)
	defer pin.Unpin()
	b := NewBuilder(nil)
	p := b.KPtr(uintptr(unsafe.Pointer(o)))
	b.T.AddSnap(0, 1, nil, nil)
	a := b.Emit(FLOAD, TInt, p, Ref(unsafe.Offsetof(o.a)))
	f := b.Emit(FLOAD, TNum, p, Ref(unsafe.Offsetof(o.b)))
	arr := b.Emit(FREF, TPtr, p, Ref(unsafe.Offsetof(o.c)))
	e := b.Emit(ALOAD, TI64, b.Emit(AREF, TPtr, arr, b.KInt(2)), NoRef)
	sum := b.Emit(ADD, TNum, f, b.Emit(ITOF, TNum, a, NoRef))
	b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, p, Ref(unsafe.Offsetof(o.b))), sum)
	b.Emit(SSTORE, TVoid, 0, e)
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	slots := make([]uint64, 1)
	var in Interp
	if _, err := in.Run(b.T, slots); err != nil {
		t.Fatal(err)
	}
	if o.b != 9.5 || slots[0] != 3 {
		t.Fatalf("o.b=%v slot0=%v\n%s", o.b, slots[0], b.T)
	}
	_ = math.Pi
}
