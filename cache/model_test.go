package cache

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// slow reports whether the tests run under qemu or -short, where heavy
// random loops are scaled down.
func slow() bool { return os.Getenv("JITKIT_QEMU") == "1" || testing.Short() }

// testKeys are the keys the model tests use: NaN-boxed-looking words, and
// 0 and all-ones, which sit where a careless zero entry would match.
var testKeys = func() []uint64 {
	ks := []uint64{0, ^uint64(0)}
	for i := 0; i < 10; i++ {
		ks = append(ks, benchKey(i))
	}
	return ks
}()

// op is one step of a model test; the fuzz target decodes them from bytes.
type op struct {
	kind, obj, key uint8
	val            uint64
}

const (
	opSet = iota
	opWriteSite
	opWriteShared
	opGet
	opReadSite
	opReadShared
	opDelete
	opCall
	opIterate
	opDeleteWhileIterating
	opClear
	numOps
)

const modelObjects = 4

// model is what the objects should hold: per object a Go map, and the
// sequence number at which each key was first inserted since it was last
// absent, to check that iteration follows insertion order.
type model struct {
	vals    [modelObjects]map[uint64]uint64
	seq     [modelObjects]map[uint64]int
	deleted [modelObjects]bool // the object has lost a key since its last clear
	next    int
}

// harness runs ops against one Shapes and checks every answer against the
// model. Sites are shared by all objects: per key (constant-key sites, as
// a bytecode instruction has), both plain and fixed to their key
// (Site.Fix), and one per kind across keys, plus a read site fixed to
// testKeys[0] that is misused with every key.
type harness struct {
	t       testing.TB
	sh      *Shapes
	objs    [modelObjects]Object
	m       model
	rsite   [16]Site
	wsite   [16]Site
	csite   [16]Site
	rfix    [16]Site
	wfix    [16]Site
	cfix    [16]Site
	rshare  Site
	wshare  Site
	rmisfix Site
	trace   []string // iteration orders seen, for the determinism check
}

func newHarness(t testing.TB, opt Options) *harness {
	sh, err := NewShapes(opt)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sh: sh}
	for i, k := range testKeys {
		h.rfix[i].Fix(k)
		h.wfix[i].Fix(k)
		h.cfix[i].Fix(k)
	}
	h.rmisfix.Fix(testKeys[0])
	for i := range h.m.vals {
		h.m.vals[i] = map[uint64]uint64{}
		h.m.seq[i] = map[uint64]int{}
	}
	return h
}

func (h *harness) put(oi int, k, v uint64) {
	if _, ok := h.m.vals[oi][k]; !ok {
		h.m.seq[oi][k] = h.m.next
		h.m.next++
	}
	h.m.vals[oi][k] = v
}

func (h *harness) del(oi int, k uint64) bool {
	_, ok := h.m.vals[oi][k]
	if ok {
		delete(h.m.vals[oi], k)
		delete(h.m.seq[oi], k)
		h.m.deleted[oi] = true
	}
	return ok
}

func (h *harness) want(oi int, k uint64, v uint64, ok bool, what string) {
	h.t.Helper()
	wv, wok := h.m.vals[oi][k]
	if ok != wok || (ok && v != wv) {
		h.t.Fatalf("%s obj %d key %#x: got (%d, %v), want (%d, %v)", what, oi, k, v, ok, wv, wok)
	}
}

func (h *harness) step(p op) {
	h.t.Helper()
	oi := int(p.obj) % modelObjects
	ki := int(p.key) % len(testKeys)
	k := testKeys[ki]
	o := &h.objs[oi]
	sh := h.sh
	switch p.kind % numOps {
	case opSet:
		if err := sh.Set(o, k, p.val); err != nil {
			h.t.Fatal(err)
		}
		h.put(oi, k, p.val)
	case opWriteSite, opWriteShared:
		s := &h.wsite[ki]
		if p.kind%numOps == opWriteShared {
			s = &h.wshare
		}
		if p.val%2 == 1 && p.kind%numOps == opWriteSite {
			// The site fixed to k.
			s = &h.wfix[ki]
			if !s.WriteHitFixed(o, p.val) {
				if err := sh.Write(s, o, k, p.val); err != nil {
					h.t.Fatal(err)
				}
			}
		} else if !s.WriteHit(o, k, p.val) {
			if err := sh.Write(s, o, k, p.val); err != nil {
				h.t.Fatal(err)
			}
		}
		h.put(oi, k, p.val)
	case opGet:
		v, ok := sh.Get(o, k)
		h.want(oi, k, v, ok, "Get")
	case opReadSite, opReadShared:
		s := &h.rsite[ki]
		if p.kind%numOps == opReadShared {
			s = &h.rshare
		}
		v, ok := s.ReadHit(o, k)
		if !ok {
			v, ok = sh.Read(s, o, k)
		}
		h.want(oi, k, v, ok, "Read")
		if p.kind%numOps == opReadSite {
			v, ok := h.rfix[ki].ReadHitFixed(o)
			if !ok {
				v, ok = sh.Read(&h.rfix[ki], o, k)
			}
			h.want(oi, k, v, ok, "fixed Read")
		} else {
			// A site fixed to testKeys[0] serves other keys too, and
			// its fast path still answers for its own key only.
			v, ok := sh.Read(&h.rmisfix, o, k)
			h.want(oi, k, v, ok, "Read through a site fixed to another key")
			if v, ok := h.rmisfix.ReadHitFixed(o); ok {
				h.want(oi, testKeys[0], v, ok, "fixed ReadHit after misuse")
			}
		}
	case opDelete:
		got, err := sh.Delete(o, k)
		if err != nil {
			h.t.Fatal(err)
		}
		if want := h.del(oi, k); got != want {
			h.t.Fatalf("Delete obj %d key %#x: got %v, want %v", oi, k, got, want)
		}
	case opCall:
		// The holder is the next object; object 0 calls without one.
		var holder *Object
		hi := (oi + 1) % modelObjects
		if oi != 0 {
			holder = &h.objs[hi]
		}
		s := &h.csite[ki]
		v, ok := s.CallHit(o, holder, k)
		if !ok {
			v, ok = sh.Call(s, o, holder, k)
		}
		fv, fok := h.cfix[ki].CallHitFixed(o, holder)
		if !fok {
			fv, fok = sh.Call(&h.cfix[ki], o, holder, k)
		}
		if fv != v || fok != ok {
			h.t.Fatalf("Call obj %d key %#x: (%d, %v) through a fixed site, (%d, %v) through a plain one", oi, k, fv, fok, v, ok)
		}
		if _, own := h.m.vals[oi][k]; own || holder == nil {
			h.want(oi, k, v, ok, "Call own")
		} else {
			h.want(hi, k, v, ok, "Call holder")
		}
	case opIterate:
		h.iterate(oi)
	case opDeleteWhileIterating:
		// Delete every other key during a traversal, as Lua allows.
		n, before := 0, o.Len()
		for key, _, pos, ok := sh.Next(o, 0); ok; key, _, pos, ok = sh.Next(o, pos) {
			if n%2 == int(p.val%2) {
				if got, _ := sh.Delete(o, key); !got {
					h.t.Fatalf("delete during traversal of %#x failed", key)
				}
				h.del(oi, key)
			}
			n++
		}
		if n != before {
			h.t.Fatalf("traversal with deletes visited %d keys of %d", n, before)
		}
	case opClear:
		if p.val%2 == 0 {
			*o = Object{}
		} else {
			o.Clear()
		}
		clear(h.m.vals[oi])
		clear(h.m.seq[oi])
		h.m.deleted[oi] = false
	}
	if o.Len() != len(h.m.vals[oi]) {
		h.t.Fatalf("obj %d: Len %d, want %d", oi, o.Len(), len(h.m.vals[oi]))
	}
}

// iterate checks a full traversal: every key once with its value, keys in
// insertion order while nothing was deleted (in dictionary mode a re-added
// key may take back its old place), Pos consistent with Next, and shape
// keys matching the slot order.
func (h *harness) iterate(oi int) {
	h.t.Helper()
	o := &h.objs[oi]
	var keys []uint64
	seen := map[uint64]bool{}
	for key, val, pos, ok := h.sh.Next(o, 0); ok; key, val, pos, ok = h.sh.Next(o, pos) {
		if seen[key] {
			h.t.Fatalf("obj %d: key %#x twice in a traversal", oi, key)
		}
		seen[key] = true
		h.want(oi, key, val, true, "Next")
		p, ok := h.sh.Pos(o, key)
		if !ok || p != pos-1 {
			h.t.Fatalf("obj %d: Pos(%#x) = %d, %v; Next gave position %d", oi, key, p, ok, pos-1)
		}
		keys = append(keys, key)
	}
	if len(keys) != len(h.m.vals[oi]) {
		h.t.Fatalf("obj %d: traversal saw %d keys, want %d", oi, len(keys), len(h.m.vals[oi]))
	}
	if !h.m.deleted[oi] {
		if !slices.IsSortedFunc(keys, func(a, b uint64) int { return h.m.seq[oi][a] - h.m.seq[oi][b] }) {
			h.t.Fatalf("obj %d: traversal %x is not in insertion order", oi, keys)
		}
	}
	if !o.Dict() {
		if sk := h.sh.Keys(o.Shape()); !slices.Equal(sk, keys) {
			h.t.Fatalf("obj %d: shape keys %x, traversal %x", oi, sk, keys)
		}
	}
	h.trace = append(h.trace, fmt.Sprintf("%d:%x", oi, keys))
}

// run executes ops, then checks every object fully.
func (h *harness) run(ops []op) {
	h.t.Helper()
	for _, p := range ops {
		h.step(p)
	}
	for oi := range h.objs {
		for _, k := range testKeys {
			v, ok := h.sh.Get(&h.objs[oi], k)
			h.want(oi, k, v, ok, "final Get")
		}
		h.iterate(oi)
	}
}

// modelOptions are the table configurations every model test runs under:
// defaults, and limits small enough that dictionary mode, a full shape
// table, mono → mega in one step and a tiny global cache all happen.
var modelOptions = []Options{
	{},
	{MaxKeys: 3},
	{MaxShapes: 16},
	{Poly: 1, MegaSize: 16},
	{Poly: 2, MaxKeys: 6, MegaSize: 16},
}

func randomOps(r *rand.Rand, n int) []op {
	ops := make([]op, n)
	for i := range ops {
		kind := uint8(r.IntN(numOps))
		// Traversal-deletes and clears are strong medicine: keep them rare
		// so objects grow large enough to reach the limits.
		if (kind == opDeleteWhileIterating || kind == opClear || kind == opDelete) && r.IntN(4) != 0 {
			kind = opWriteSite
		}
		ops[i] = op{kind: kind, obj: uint8(r.IntN(modelObjects)), key: uint8(r.IntN(len(testKeys))), val: r.Uint64()}
	}
	return ops
}

// TestRandomAgainstMap runs seeded random sequences of writes (direct and
// through sites), reads, method lookups, deletes and traversals, checking
// every answer against Go maps, and runs each sequence twice to check that
// traversal order is deterministic.
func TestRandomAgainstMap(t *testing.T) {
	seqs, length := 600, 400
	if slow() {
		seqs, length = 30, 300
	}
	for oi, opt := range modelOptions {
		t.Run(fmt.Sprintf("%+v", opt), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(oi), 42))
			for range seqs {
				ops := randomOps(r, length)
				a := newHarness(t, opt)
				a.run(ops)
				b := newHarness(t, opt)
				b.run(ops)
				if !slices.Equal(a.trace, b.trace) {
					t.Fatal("the same operations gave different traversal orders")
				}
			}
		})
	}
}

// FuzzObjects decodes operations from the input, four bytes each (kind,
// object, key, value), and checks them against Go maps under every option
// set.
func FuzzObjects(f *testing.F) {
	f.Add([]byte{opSet, 0, 1, 7, opReadSite, 0, 1, 0, opDelete, 0, 1, 0, opReadSite, 0, 1, 0})
	f.Add([]byte{opWriteSite, 0, 0, 1, opWriteSite, 1, 0, 2, opWriteSite, 2, 0, 3, opCall, 1, 0, 0, opCall, 0, 0, 0})
	f.Add([]byte{opSet, 0, 2, 1, opSet, 0, 3, 1, opSet, 0, 4, 1, opSet, 0, 5, 1, opDeleteWhileIterating, 0, 0, 0, opIterate, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		ops := make([]op, 0, len(data)/4)
		for i := 0; i+4 <= len(data); i += 4 {
			ops = append(ops, op{kind: data[i], obj: data[i+1], key: data[i+2], val: uint64(data[i+3])})
		}
		for _, opt := range modelOptions {
			newHarness(t, opt).run(ops)
		}
	})
}
