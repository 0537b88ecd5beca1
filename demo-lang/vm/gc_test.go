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

// TestGCMarksLargeTree: a live tree of 2^15-1 tables, far more than
// propagate's work list holds before it drops its consumed front, with
// shared subtrees (marked once), string leaves, a closure and a
// metatable inside, survives a collection whole, and is freed whole once
// unreachable.
func TestGCMarksLargeTree(t *testing.T) {
	L := New(Options{})
	L.Collect()
	base := L.ObjectCount()
	const depth = 14
	var build func(d int) Value
	build = func(d int) Value {
		v, tb := L.newTableValue(2, 0)
		if d == 0 {
			L.tsetInt(tb, 1, L.String(fmt.Sprint("leaf", L.ObjectCount())))
			return v
		}
		L.tsetInt(tb, 1, build(d-1))
		L.tsetInt(tb, 2, build(d-1))
		return v
	}
	root := build(depth)
	shared, st := L.newTableValue(0, 0)
	_ = L.tset(st, L.String("self"), shared)
	rt := L.tab(root)
	_ = L.tset(rt, L.String("a"), shared)
	_ = L.tset(rt, L.String("b"), shared)
	mt, _ := L.newTableValue(0, 0)
	L.tab(shared).mt = mt.idx() + 1
	L.SetGlobal("root", root)
	if _, err := L.DoString("mk", `local up = {} ; root.f = function() return up end`); err != nil {
		t.Fatal(err)
	}
	L.Collect() // frees the chunk "mk"
	before := L.ObjectCount()
	if min := base + 1<<(depth+1) + 1<<depth; before < min {
		t.Fatalf("%d objects after the first collection, want at least %d", before, min)
	}
	L.Collect()
	if got := L.ObjectCount(); got != before {
		t.Fatalf("second collect freed %d live objects", before-got)
	}
	var walk func(v Value, d int) int
	walk = func(v Value, d int) int {
		if v.tag() != tagTab || L.tabMark[v.idx()] != L.epoch {
			t.Fatalf("depth %d: %v not a marked table", d, v)
		}
		tb := L.tab(v)
		if d == 0 {
			if s := tb.getInt(1); s.tag() != tagStr || L.strMark[s.idx()] != L.epoch {
				t.Fatalf("leaf string lost: %v", s)
			}
			return 1
		}
		return 1 + walk(tb.getInt(1), d-1) + walk(tb.getInt(2), d-1)
	}
	if n := walk(root, depth); n != 1<<(depth+1)-1 {
		t.Fatalf("tree has %d tables", n)
	}
	if L.tabMark[mt.idx()] != L.epoch || L.tabMark[shared.idx()] != L.epoch {
		t.Fatal("shared table or its metatable not marked")
	}
	res, err := L.DoString("use", `return #root, root.a == root.b, root.a.self == root.a, type(root.f())`)
	if err != nil || len(res) != 4 || res[0].Float() != 2 || res[1] != True || res[2] != True || L.str(res[3]) != "table" {
		t.Fatalf("after collect: %v %v", res, err)
	}
	L.SetGlobal("root", Nil)
	L.Collect()
	// the strings "a", "b", "self" and "f" stay as constants or keys of
	// live tables elsewhere; everything else built here is gone
	if got := L.ObjectCount(); got > base+8 {
		t.Fatalf("after dropping the tree: %d objects, base %d", got, base)
	}
	if len(L.gray) != 0 {
		t.Fatalf("work list left with %d entries", len(L.gray))
	}
}
