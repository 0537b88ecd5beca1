package vm

import (
	"fmt"
	"testing"
)

func TestTableArrayGrowth(t *testing.T) {
	L := New(Options{})
	_, tb := L.newTable(0, 0)
	for i := 1; i <= 1000; i++ {
		L.tsetInt(tb, i, Number(float64(i*2)))
	}
	// Lua 5.1's rehash moves dense integer keys to the array part.
	if len(tb.arr) < 1000 || len(tb.arr) > 1024 {
		t.Fatalf("array part %d, want 1000..1024", len(tb.arr))
	}
	if len(tb.node) > 1 {
		t.Fatalf("hash part %d, want empty", len(tb.node))
	}
	for i := 1; i <= 1000; i++ {
		if v := tb.getInt(i); v.Float() != float64(i*2) {
			t.Fatalf("t[%d] = %v", i, v.Float())
		}
	}
	if n := tb.length(); n != 1000 {
		t.Fatalf("#t = %d", n)
	}
}

func TestTableSparseStaysInHash(t *testing.T) {
	L := New(Options{})
	_, tb := L.newTable(0, 0)
	for i := 1; i <= 20; i++ {
		L.tsetInt(tb, i*1000, True)
	}
	if len(tb.arr) != 0 {
		t.Fatalf("sparse keys went to the array part: %d", len(tb.arr))
	}
	if tb.getInt(5000) != True || tb.getInt(5001) != Nil {
		t.Fatal("lookup in hash part failed")
	}
}

func TestTableBorder(t *testing.T) {
	L := New(Options{})
	cases := []struct {
		keys []int
		want int
	}{
		{nil, 0},
		{[]int{1, 2, 3}, 3},
		{[]int{2, 3}, 0},
		{[]int{1, 2, 3, 5}, 3}, // 4 of 5 slots used: array part of 4 holds 1..3 (+5 in hash)
	}
	for _, c := range cases {
		_, tb := L.newTable(0, 0)
		for _, k := range c.keys {
			L.tsetInt(tb, k, True)
		}
		if got := tb.length(); got != c.want {
			t.Errorf("keys %v: # = %d, want %d", c.keys, got, c.want)
		}
	}
	// hash-only integer keys: unbound search
	_, tb := L.newTable(0, 0)
	_ = L.tset(tb, L.String("x"), True)
	for i := 1; i <= 5; i++ {
		*L.newKey(tb, Number(float64(i))) = True
	}
	if got := tb.length(); got != 5 && len(tb.arr) == 0 {
		t.Errorf("unbound search: # = %d, want 5", got)
	}
}

func TestTableKeys(t *testing.T) {
	L := New(Options{})
	_, tb := L.newTable(0, 0)
	if err := L.tset(tb, Nil, True); err == nil || err.Error() != "table index is nil" {
		t.Errorf("nil key: %v", err)
	}
	nan := Number(0)
	nan = Value(0x7FF8_0000_0000_0000)
	if err := L.tset(tb, nan, True); err == nil || err.Error() != "table index is NaN" {
		t.Errorf("NaN key: %v", err)
	}
	negZero := Value(0x8000_0000_0000_0000)
	_ = L.tset(tb, L.String("a"), True)
	_ = L.tset(tb, negZero, L.String("zero"))
	if v := tb.get(Number(0)); v != L.String("zero") {
		t.Errorf("-0.0 and 0 must be the same key")
	}
	_ = L.tset(tb, Number(1.5), True)
	if tb.get(Number(1.5)) != True || tb.get(Number(2.5)) != Nil {
		t.Errorf("float key lookup")
	}
}

// traversal collects the keys in next order.
func traversal(L *State, tb *Table) []string {
	var out []string
	k := Nil
	for {
		nk, v, ok := tb.next(k)
		if !ok {
			out = append(out, "ERR")
			return out
		}
		if nk == Nil {
			return out
		}
		s, _ := L.ToString(nk)
		vs, _ := L.ToString(v)
		out = append(out, s+"="+vs)
		k = nk
	}
}

func TestTableNextDeterministic(t *testing.T) {
	build := func() []string {
		L := New(Options{})
		_, tb := L.newTable(0, 0)
		for i := 0; i < 50; i++ {
			_ = L.tset(tb, L.String(fmt.Sprintf("k%d", i)), Number(float64(i)))
			L.tsetInt(tb, i+1, Number(float64(i)))
		}
		return traversal(L, tb)
	}
	a, b := build(), build()
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("pairs order differs between two identical runs")
	}
	if len(a) != 100 {
		t.Fatalf("traversal visited %d entries, want 100", len(a))
	}
	if a[0] != "1=0" || a[49] != "50=49" {
		t.Fatalf("array part must come first in order: %v", a[:3])
	}
}

func TestTableDeleteDuringTraversal(t *testing.T) {
	L := New(Options{})
	_, tb := L.newTable(0, 0)
	for i := 0; i < 100; i++ {
		_ = L.tset(tb, L.String(fmt.Sprintf("k%d", i)), True)
	}
	seen := 0
	k := Nil
	for {
		nk, _, ok := tb.next(k)
		if !ok {
			t.Fatal("next failed after deleting the current key")
		}
		if nk == Nil {
			break
		}
		seen++
		_ = L.tset(tb, nk, Nil) // clearing fields during traversal is allowed
		k = nk
	}
	if seen != 100 {
		t.Fatalf("visited %d keys, want 100", seen)
	}
	if _, _, ok := tb.next(L.String("never-there")); ok {
		t.Fatal("next with a missing key must fail")
	}
}

func TestTableRehashKeepsEntries(t *testing.T) {
	L := New(Options{})
	_, tb := L.newTable(0, 0)
	want := map[string]float64{}
	for i := 0; i < 3000; i++ {
		k := fmt.Sprintf("key%d", i*7919%3001)
		want[k] = float64(i)
		_ = L.tset(tb, L.String(k), Number(float64(i)))
		if i%3 == 0 {
			L.tsetInt(tb, i, Number(float64(-i)))
		}
	}
	for k, v := range want {
		if got := tb.get(L.String(k)); got.Float() != v {
			t.Fatalf("%s = %v, want %v", k, got.Float(), v)
		}
	}
	for i := 0; i < 3000; i += 3 {
		if got := tb.getInt(i); got.Float() != float64(-i) {
			t.Fatalf("[%d] = %v", i, got.Float())
		}
	}
}

// TestTableStrHint checks the per-instruction hints against plain lookups:
// whatever index a hint holds (a stale one from another table, one past
// the end, a dead key's node), getStrHint and slotStrHint answer exactly
// as getHash and slot do, and after a lookup of a present key the hint
// names its node.
func TestTableStrHint(t *testing.T) {
	L := New(Options{})
	keys := make([]Value, 40)
	for i := range keys {
		keys[i] = L.String(fmt.Sprintf("k%d", i))
	}
	var tabs []*Table
	for n := 0; n < 40; n += 3 {
		_, tb := L.newTable(0, 0)
		for i := 0; i < n; i++ {
			_ = L.tset(tb, keys[(i*7+n)%len(keys)], Number(float64(i+1)))
		}
		for i := 0; i < n; i += 4 { // dead keys: nil values left in nodes
			_ = L.tset(tb, keys[(i*7+n)%len(keys)], Nil)
		}
		tabs = append(tabs, tb)
	}
	var h int32
	for round := 0; round < 3; round++ {
		for ti, tb := range tabs {
			for ki, k := range keys {
				if round == 2 {
					h = int32(ti*ki) - 5 // arbitrary, negative and too large
				}
				want := tb.getHash(k)
				if got := tb.getStrHint(k, &h); got != want {
					t.Fatalf("table %d key %d: getStrHint %v, getHash %v", ti, ki, got, want)
				}
				if p := tb.slot(k); p != nil && &tb.node[h].val != p {
					t.Fatalf("table %d key %d: hint %d does not name the key's node", ti, ki, h)
				}
				if round == 2 {
					h = int32(ki*31) - 7
				}
				p, q := tb.slotStrHint(k, &h), tb.slot(k)
				if p != q {
					t.Fatalf("table %d key %d: slotStrHint %p, slot %p", ti, ki, p, q)
				}
			}
		}
	}
}
