package vm

import (
	"fmt"
	"testing"
)

func TestGCReclaimsTables(t *testing.T) {
	L := New(Options{})
	L.Collect()
	base := L.ObjectCount()
	keep, kt := L.newTableValue(0, 0)
	L.SetGlobal("keep", keep)
	for i := 0; i < 1000; i++ {
		v, _ := L.newTableValue(4, 0)
		if i%100 == 0 {
			L.tsetInt(kt, i/100+1, v)
		}
	}
	if L.ObjectCount() < base+1000 {
		t.Fatalf("objects %d, want >= %d", L.ObjectCount(), base+1000)
	}
	L.Collect()
	if got := L.ObjectCount(); got != base+12 {
		t.Fatalf("after collect: %d objects, want %d (base %d + keep, its 10 children, the string \"keep\")", got, base+12, base)
	}
	// freed slots are reused
	n := len(L.tabs)
	for i := 0; i < 500; i++ {
		L.newTableValue(0, 0)
	}
	if len(L.tabs) != n {
		t.Fatalf("table slots grew from %d to %d despite free slots", n, len(L.tabs))
	}
}

func TestGCUninternsStrings(t *testing.T) {
	L := New(Options{})
	s := L.String("some transient string")
	if _, ok := L.lookupString("some transient string"); !ok {
		t.Fatal("not interned")
	}
	_ = s
	L.Collect()
	if _, ok := L.lookupString("some transient string"); ok {
		t.Fatal("dead string still interned after collection")
	}
	// a string reachable from a global survives
	L.SetGlobal("g", L.String("kept"))
	L.Collect()
	if _, ok := L.lookupString("kept"); !ok {
		t.Fatal("live string was dropped")
	}
	if v := L.GetGlobal("g"); L.str(v) != "kept" {
		t.Fatal("live string changed")
	}
}

func TestGCMarksThroughMetatablesAndClosures(t *testing.T) {
	L := New(Options{})
	tv, tb := L.newTableValue(0, 0)
	mv, _ := L.newTableValue(0, 0)
	tb.mt = mv.idx() + 1
	inner, it := L.newTableValue(0, 0)
	_ = L.tset(it, L.String(fmt.Sprint("field")), L.String("value"))
	L.tsetInt(L.tab(mv), 1, inner)
	L.SetGlobal("t", tv)
	L.Collect()
	if L.tabMark[mv.idx()] == 0 || L.tabMark[inner.idx()] == 0 {
		t.Fatal("metatable or its contents collected")
	}
	if L.str(it.get(L.String("field"))) != "value" {
		t.Fatal("contents lost")
	}
}
