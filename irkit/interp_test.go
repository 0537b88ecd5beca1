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

// TestInterpForce: a guard Force names exits although it holds, through
// the same snapshot and with the same exit state as when it fails; a
// value-producing guard (FTOIX, ADDOV) still computes its value, and the
// trace itself is left as it was.
func TestInterpForce(t *testing.T) {
	b := NewBuilder(nil)
	b.T.AddSnap(10, 3, nil, nil)
	f := b.SLoad(0, TNum)
	k := b.Emit(FTOIX, TI64, f, NoRef)
	b.T.AddSnap(11, 3, []SnapEntry{MakeEntry(1, k, 0)}, nil)
	s := b.Emit(ADDOV, TI64, k, b.SLoad(2, TI64))
	b.T.AddSnap(12, 3, []SnapEntry{MakeEntry(1, s, 0)}, nil)
	lt := b.Emit(LT, TVoid, s, b.KI64(100))
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	tr := b.T
	before := tr.String()
	only := func(n int) func(int) bool { return func(si int) bool { return si == n } }
	const big = math.MaxInt64
	cases := []struct {
		name  string
		m     uint64 // slot 2
		force func(int) bool
		snap  int
		guard Ref
		slot1 uint64
	}{
		{"none", 1, nil, 2, NoRef, 42},
		{"never", 1, func(int) bool { return false }, 2, NoRef, 42},
		{"all", 1, func(int) bool { return true }, 0, k, 7},
		{"FTOIX", 1, only(0), 0, k, 7},
		{"ADDOV", 1, only(1), 1, s, 41},
		{"ADDOV fails", big, nil, 1, s, 41},
		{"ADDOV fails and forced", big, only(1), 1, s, 41},
		{"LT", 1, only(2), 2, lt, 42},
		{"LT fails", 99, nil, 2, lt, 140},
	}
	var in Interp
	for _, c := range cases {
		in.Force = c.force
		clear(in.vals) // no value left over from the run before
		slots := []uint64{math.Float64bits(41), 7, c.m}
		ex, err := in.Run(tr, slots)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ex.Snap != c.snap || ex.Guard != c.guard || ex.PC != uint64(10+c.snap) || slots[1] != c.slot1 {
			t.Errorf("%s: exit %+v slot 1 = %d; want snapshot %d guard %v slot 1 = %d", c.name, ex, slots[1], c.snap, c.guard, c.slot1)
		}
		if c.guard == s && c.m == 1 {
			// The forced ADDOV computed its sum, as generated code does.
			if v := in.vals[s-tr.nk]; v != 42 {
				t.Errorf("%s: forced ADDOV computed %d, want 42", c.name, v)
			}
		}
	}
	if after := tr.String(); after != before {
		t.Errorf("Force changed the trace:\n%s\nwas\n%s", after, before)
	}
	if err := tr.Verify(); err != nil {
		t.Error(err)
	}
}
