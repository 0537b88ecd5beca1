package cache

import (
	"errors"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func mustShapes(t testing.TB, opt Options) *Shapes {
	t.Helper()
	sh, err := NewShapes(opt)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// build makes an object holding keys in order, key i with value 100+i.
func build(t testing.TB, sh *Shapes, keys ...uint64) *Object {
	t.Helper()
	o := &Object{}
	for i, k := range keys {
		if err := sh.Set(o, k, 100+uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

func read(sh *Shapes, s *Site, o *Object, k uint64) (uint64, bool) {
	if v, ok := s.ReadHit(o, k); ok {
		return v, true
	}
	return sh.Read(s, o, k)
}

// TestTransitionTree checks that objects built alike share shapes, that
// branching keeps every shape's keys right (shapes share key arrays), and
// that parents and slots are what the tree says.
func TestTransitionTree(t *testing.T) {
	sh := mustShapes(t, Options{})
	x, y, z := uint64(10), uint64(20), uint64(30)
	a := build(t, sh, x, y, z)
	b := build(t, sh, x, y, z)
	c := build(t, sh, x, z)
	d := build(t, sh, x, y)
	e := build(t, sh, y, x)
	if a.Shape() != b.Shape() {
		t.Fatalf("alike objects got shapes %d and %d", a.Shape(), b.Shape())
	}
	for _, tc := range []struct {
		o    *Object
		keys []uint64
	}{{a, []uint64{x, y, z}}, {c, []uint64{x, z}}, {d, []uint64{x, y}}, {e, []uint64{y, x}}} {
		if got := sh.Keys(tc.o.Shape()); !cmp.Equal(got, tc.keys) {
			t.Errorf("shape %d keys %v, want %v", tc.o.Shape(), got, tc.keys)
		}
		for i, k := range tc.keys {
			if s := sh.SlotOf(tc.o.Shape(), k); s != i {
				t.Errorf("SlotOf(%d, %d) = %d, want %d", tc.o.Shape(), k, s, i)
			}
		}
	}
	if p, ok := sh.Parent(a.Shape()); !ok || p != d.Shape() {
		t.Errorf("Parent(%d) = %d, %v; want %d", a.Shape(), p, ok, d.Shape())
	}
	if _, ok := sh.Parent(EmptyShape); ok {
		t.Error("the empty shape has a parent")
	}
	// {} {x} {x,y} {x,y,z} {x,z} {y} {y,x}, plus the reserved DictShape.
	if sh.Len() != 8 {
		t.Errorf("Len = %d, want 8", sh.Len())
	}
	if sh.Keys(DictShape) != nil || sh.Keys(9999) != nil || sh.SlotOf(9999, x) != -1 {
		t.Error("unknown shapes must have no keys")
	}
}

// TestReadSiteStates walks a read site from uninit to mega with Poly = 4
// and checks state, counters and entries after every step.
func TestReadSiteStates(t *testing.T) {
	sh := mustShapes(t, Options{})
	key := uint64(7)
	// Object i has i leading keys of its own, then key: shape i+1 of the
	// tree puts key at slot i.
	objs := make([]*Object, 6)
	for i := range objs {
		var keys []uint64
		for j := 0; j < i; j++ {
			keys = append(keys, uint64(1000+10*i+j))
		}
		objs[i] = build(t, sh, append(keys, key)...)
	}
	var s Site
	want := func(state State, hits, misses uint64) {
		t.Helper()
		st := s.Stats()
		if st.State != state || st.Hits != hits || st.Misses != misses {
			t.Fatalf("state %v hits %d misses %d; want %v %d %d", st.State, st.Hits, st.Misses, state, hits, misses)
		}
	}
	want(Uninit, 0, 0)
	for i := 0; i < 4; i++ {
		// A new shape misses; the same object again hits: inline (not
		// counted) for the first entry, in Read (counted) for the others.
		for rep := 0; rep < 2; rep++ {
			v, ok := read(sh, &s, objs[i], key)
			if !ok || v != 100+uint64(i) {
				t.Fatalf("read obj %d = %d, %v", i, v, ok)
			}
		}
		state := Poly
		if i == 0 {
			state = Mono
		}
		want(state, uint64(i), uint64(i+1))
	}
	if s.Stats().PolyAt != 2 {
		t.Errorf("PolyAt = %d, want 2", s.Stats().PolyAt)
	}
	// A fifth shape overflows the site: mega. Its own read misses the
	// global cache; a second read hits it.
	read(sh, &s, objs[4], key)
	want(Mega, 3, 5)
	read(sh, &s, objs[4], key)
	want(Mega, 4, 5)
	if st := s.Stats(); st.Transitions != 3 || st.MegaAt != 8 || st.Entries != 0 {
		t.Errorf("stats %+v", st)
	}
	// Mega reads stay right for every object and for absent keys.
	for i, o := range objs {
		if v, ok := read(sh, &s, o, key); !ok || v != 100+uint64(i) {
			t.Fatalf("mega read obj %d = %d, %v", i, v, ok)
		}
		if _, ok := read(sh, &s, o, 999); ok {
			t.Fatal("absent key found")
		}
	}
}

// TestAbsentCached checks that a read of an absent key is cached as
// absence and stays correct when the object later gains the key.
func TestAbsentCached(t *testing.T) {
	sh := mustShapes(t, Options{})
	o := build(t, sh, 1, 2)
	var s Site
	for range 3 {
		if _, ok := read(sh, &s, o, 3); ok {
			t.Fatal("absent key found")
		}
	}
	if st := s.Stats(); st.Hits != 2 || st.Misses != 1 || s.Entries(nil) != "s3.0x3-" {
		t.Fatalf("stats %+v entries %q", st, s.Entries(nil))
	}
	if err := sh.Set(o, 3, 42); err != nil {
		t.Fatal(err)
	}
	if v, ok := read(sh, &s, o, 3); !ok || v != 42 {
		t.Fatalf("after adding: %d, %v", v, ok)
	}
}

// TestWriteSiteTransitions builds objects through the same write sites (a
// constructor) and checks they share the final shape, that the sites cache
// add transitions, and that overwrites go through the inline path.
func TestWriteSiteTransitions(t *testing.T) {
	sh := mustShapes(t, Options{})
	var sites [3]Site
	var objs [5]Object
	for i := range objs {
		for j := range sites {
			if err := sh.Write(&sites[j], &objs[i], uint64(j+1), uint64(10*i+j)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range objs {
		if objs[i].Shape() != objs[0].Shape() {
			t.Fatalf("obj %d shape %d, obj 0 shape %d", i, objs[i].Shape(), objs[0].Shape())
		}
		for j := range sites {
			if v, ok := sh.Get(&objs[i], uint64(j+1)); !ok || v != uint64(10*i+j) {
				t.Fatalf("obj %d key %d = %d, %v", i, j+1, v, ok)
			}
		}
	}
	if got := sites[1].Entries(nil); got != "s2.0x2@1>s3" {
		t.Errorf("entries %q", got)
	}
	plan, ok := sites[1].Plan(nil)
	want := []Guard{{Shape: 2, Key: 2, Slot: 1, Offset: 8, Append: true, Next: 3, HolderSlot: -1}}
	if !ok || !cmp.Equal(plan, want) {
		t.Errorf("plan %v %+v, want %+v", ok, plan, want)
	}
	if st := sites[1].Stats(); st.Hits != 4 || st.Misses != 1 {
		t.Errorf("stats %+v", st)
	}
	// Overwrite through a fresh site: the second write is an inline hit.
	var s Site
	_ = sh.Write(&s, &objs[0], 2, 77)
	if !s.WriteHit(&objs[0], 2, 78) {
		t.Fatal("overwrite missed the inline path")
	}
	if v, _ := sh.Get(&objs[0], 2); v != 78 {
		t.Fatalf("overwrite stored %d", v)
	}
}

// TestCallSite checks own methods, inherited methods, absent ones, and
// that a holder changing shape is noticed.
func TestCallSite(t *testing.T) {
	sh := mustShapes(t, Options{})
	const m, f = 50, 51
	class := build(t, sh, m)     // m = 100
	inst := build(t, sh, 1, 2)   // no m
	own := build(t, sh, 1, 2, m) // m = 102
	var s Site
	call := func(recv, holder *Object, key uint64) (uint64, bool) {
		if v, ok := s.CallHit(recv, holder, key); ok {
			return v, true
		}
		return sh.Call(&s, recv, holder, key)
	}
	for range 2 {
		if v, ok := call(inst, class, m); !ok || v != 100 {
			t.Fatalf("inherited = %d, %v", v, ok)
		}
	}
	// The second call hit inline, which counts nothing; one more through
	// Call is counted.
	if v, ok := sh.Call(&s, inst, class, m); !ok || v != 100 {
		t.Fatalf("inherited through Call = %d, %v", v, ok)
	}
	if st := s.Stats(); st.Hits != 1 || st.Misses != 1 {
		t.Fatalf("stats %+v", st)
	}
	plan, _ := s.Plan(nil)
	want := []Guard{{Shape: inst.Shape(), Key: m, Slot: -1, Next: inst.Shape(), HasHolder: true, HolderShape: class.Shape(), HolderSlot: 0, HolderOffset: 0}}
	if !cmp.Equal(plan, want) {
		t.Errorf("plan %+v, want %+v", plan, want)
	}
	if g, ok := sh.GuardCall(inst, class, m); !ok || !cmp.Equal(g, want[0]) {
		t.Errorf("GuardCall %v %+v, want %+v", ok, g, want[0])
	}
	if g, ok := sh.GuardCall(own, class, m); !ok || g.HasHolder || g.Slot != 2 || g.Offset != 16 {
		t.Errorf("GuardCall own %v %+v", ok, g)
	}
	if v, ok := call(own, class, m); !ok || v != 102 {
		t.Fatalf("own = %d, %v", v, ok)
	}
	// The class gains a key: new shape, the cached holder shape no longer
	// matches, and the method is still found.
	if err := sh.Set(class, f, 9); err != nil {
		t.Fatal(err)
	}
	if v, ok := call(inst, class, m); !ok || v != 100 {
		t.Fatalf("after class change = %d, %v", v, ok)
	}
	if _, ok := call(inst, nil, m); ok {
		t.Fatal("found a method with no holder")
	}
	// inst is s4 {1,2}, own s5 {1,2,m}, class s2 {m} and then s6 {m,f}.
	if got := s.Entries(func(k uint64) string { return map[uint64]string{m: "m"}[k] }); got != "s4.m^s2@0 s5.m@2 s4.m^s6@0 s4.m-" {
		t.Errorf("entries %q", got)
	}
	if _, ok := call(inst, class, 999); ok {
		t.Fatal("found an absent method")
	}
	if s.State() != Mega {
		t.Errorf("a fifth case left the site %v", s.State())
	}
	// Dictionary-mode holder: served, counted as dict.
	if _, err := sh.Delete(class, f); err != nil {
		t.Fatal(err)
	}
	if v, ok := call(inst, class, m); !ok || v != 100 {
		t.Fatalf("dict holder = %d, %v", v, ok)
	}
	if _, ok := sh.GuardCall(inst, class, m); ok {
		t.Error("GuardCall with a dictionary-mode holder")
	}
	if s.Stats().Dict != 1 {
		t.Errorf("dict count %d", s.Stats().Dict)
	}
}

// TestDictMode checks the ways into dictionary mode, that sites serve
// such objects without caching them, and that a traversal keeps its
// position across the switch.
func TestDictMode(t *testing.T) {
	sh := mustShapes(t, Options{MaxKeys: 3})
	o := build(t, sh, 1, 2, 3)
	if o.Dict() {
		t.Fatal("dict mode too early")
	}
	_ = sh.Set(o, 4, 103)
	if !o.Dict() || o.Shape() != DictShape {
		t.Fatal("a fourth key did not move the object to dictionary mode")
	}
	var s Site
	for range 3 {
		if v, ok := read(sh, &s, o, 2); !ok || v != 101 {
			t.Fatalf("dict read = %d, %v", v, ok)
		}
	}
	if st := s.Stats(); st.Dict != 3 || st.State != Uninit {
		t.Fatalf("stats %+v", st)
	}
	if _, ok := sh.Guard(o, 2); ok {
		t.Fatal("a guard for a dictionary-mode object")
	}

	// Deleting during a traversal: the shape-mode object switches modes
	// under the iterator, which must go on from the same place.
	p := build(t, sh, 1, 2, 3)
	var order []uint64
	for k, _, pos, ok := sh.Next(p, 0); ok; k, _, pos, ok = sh.Next(p, pos) {
		order = append(order, k)
		if _, err := sh.Delete(p, k); err != nil {
			t.Fatal(err)
		}
		// Lua's next(t, k) after t[k] = nil: Pos still finds k.
		if q, ok := sh.Pos(p, k); !ok || q != pos-1 {
			t.Fatalf("Pos of deleted key %d = %d, %v", k, q, ok)
		}
	}
	if !cmp.Equal(order, []uint64{1, 2, 3}) || p.Len() != 0 {
		t.Fatalf("traversal %v, %d left", order, p.Len())
	}
	// A re-added key takes back its place.
	_ = sh.Set(p, 2, 5)
	_ = sh.Set(p, 9, 6)
	if k, _, _, _ := sh.Next(p, 0); k != 2 {
		t.Fatalf("first key %d", k)
	}
	if ok, _ := sh.Delete(p, 77); ok {
		t.Fatal("deleted an absent key")
	}
}

// TestShapeTableFull checks that a full shape table sends objects that
// need new shapes to dictionary mode, and that objects with existing
// shapes keep working.
func TestShapeTableFull(t *testing.T) {
	sh := mustShapes(t, Options{MaxShapes: 16})
	var objs []*Object
	for i := 0; i < 20; i++ {
		o := &Object{}
		if err := sh.Set(o, uint64(i), uint64(i)); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	if sh.Len() != 16 {
		t.Fatalf("table holds %d shapes", sh.Len())
	}
	for i, o := range objs {
		if o.Dict() != (i >= 14) {
			t.Errorf("obj %d dict = %v", i, o.Dict())
		}
		if v, ok := sh.Get(o, uint64(i)); !ok || v != uint64(i) {
			t.Errorf("obj %d = %d, %v", i, v, ok)
		}
	}
	if _, ok := sh.GuardWrite(&Object{}, 999); ok {
		t.Error("GuardWrite promised a shape the full table cannot make")
	}
}

// TestForeign checks that objects and sites used with the wrong Shapes do
// not panic: objects read as empty and writes report ErrForeign; sites
// rebind and count a reset.
func TestForeign(t *testing.T) {
	a, b := mustShapes(t, Options{}), mustShapes(t, Options{})
	o := build(t, a, 1, 2, 3) // shape 4 of a; b has no shape 4
	var s Site
	if _, ok := read(b, &s, o, 1); ok {
		t.Error("foreign object read")
	}
	if _, ok := b.Get(o, 1); ok {
		t.Error("foreign object Get")
	}
	if err := b.Set(o, 1, 1); !errors.Is(err, ErrForeign) {
		t.Errorf("Set: %v", err)
	}
	if err := b.Write(&Site{}, o, 9, 1); !errors.Is(err, ErrForeign) {
		t.Errorf("Write: %v", err)
	}
	if _, err := b.Delete(o, 1); !errors.Is(err, ErrForeign) {
		t.Errorf("Delete: %v", err)
	}
	if _, _, _, ok := b.Next(o, 0); ok {
		t.Error("Next on a foreign object")
	}
	if _, ok := b.Pos(o, 1); ok {
		t.Error("Pos on a foreign object")
	}
	if _, ok := b.Call(&Site{}, o, o, 1); ok {
		t.Error("Call on a foreign object")
	}
	if _, ok := b.Guard(o, 1); ok {
		t.Error("Guard on a foreign object")
	}
	// A corrupt dictionary-mode object (DictShape without a dictionary).
	bad := &Object{head: Head(DictShape, 0)}
	if _, ok := a.Get(bad, 1); ok || a.Set(bad, 1, 1) == nil || a.Write(&Site{}, bad, 1, 1) == nil {
		t.Error("corrupt object accepted")
	}
	if _, ok := read(a, &Site{}, bad, 1); ok {
		t.Error("corrupt object read")
	}
	// The site now belongs to b; using it with a resets it.
	if _, ok := read(a, &s, o, 1); !ok {
		t.Error("own object not read")
	}
	if st := s.Stats(); st.Resets != 1 || st.Misses != 1 {
		t.Errorf("stats after rebinding %+v", st)
	}
	// Another kind of operation resets it too.
	_ = a.Write(&s, o, 9, 5)
	if st := s.Stats(); st.Resets != 2 || st.Kind != WriteSite {
		t.Errorf("stats after a write %+v", st)
	}
}

// TestHitChecksCount checks that a cached slot is checked against the
// object's own key count, not its shape number alone nor its slot
// array's capacity: an object of another Shapes whose shape number
// matches an entry but which has fewer keys than the entry's slot misses
// on every path, inline and not, reading and writing nothing past its
// keys. The object keeps a stale value in the slot the entry names, inside
// its array, so a hit that skipped the count check would return it.
func TestHitChecksCount(t *testing.T) {
	a, b := mustShapes(t, Options{}), mustShapes(t, Options{})
	// In b, p has 6 keys and shape 7; key 305 is at slot 5.
	p := build(t, b, 300, 301, 302, 303, 304, 305)
	// In a, shapes 2 to 6 have one key each, so o gets shape 7 with one
	// key after holding 6 keys (slot 5 = 105) and being cleared.
	for k := uint64(100); k < 105; k++ {
		build(t, a, k)
	}
	o := build(t, a, 200, 201, 202, 203, 204, 205)
	o.Clear()
	if err := a.Set(o, 200, 1); err != nil {
		t.Fatal(err)
	}
	if o.Shape() != p.Shape() || o.Len() != 1 || len(o.slots) < 6 || o.slots[5] != 105 {
		t.Fatalf("setup: shapes %d %d, len %d, slots %v", o.Shape(), p.Shape(), o.Len(), o.slots)
	}
	const k = 305
	others := make([]*Object, 5) // objects of b holding k in other shapes
	for i := range others {
		others[i] = build(t, b, 400+uint64(i), k)
	}
	// Sites of b whose entry for p's shape names slot 5: mono, poly and
	// mega (the global cache then holds the entry too).
	var rs [3]Site
	var ws [3]Site
	var rf, wf Site // mono sites fixed to k
	rf.Fix(k)
	wf.Fix(k)
	for i, n := range []int{0, 1, 5} {
		for _, q := range append(others[:n:n], p) {
			read(b, &rs[i], q, k)
			_ = b.Write(&ws[i], q, k, 7)
		}
	}
	read(b, &rf, p, k)
	_ = b.Write(&wf, p, k, 7)
	if v, ok := rf.ReadHitFixed(o); ok {
		t.Errorf("ReadHitFixed on a short object gave %d", v)
	}
	if wf.WriteHitFixed(o, 9) {
		t.Error("WriteHitFixed on a short object")
	}
	if rs[0].State() != Mono || rs[1].State() != Poly || rs[2].State() != Mega || ws[2].State() != Mega {
		t.Fatalf("site states %v %v %v %v", rs[0].State(), rs[1].State(), rs[2].State(), ws[2].State())
	}
	for i := range rs {
		if v, ok := rs[i].ReadHit(o, k); ok {
			t.Errorf("%v site: ReadHit on a short object gave %d", rs[i].State(), v)
		}
		if v, ok := b.Read(&rs[i], o, k); ok {
			t.Errorf("%v site: Read on a short object gave %d", rs[i].State(), v)
		}
		if ws[i].WriteHit(o, k, 9) {
			t.Errorf("%v site: WriteHit on a short object", ws[i].State())
		}
		if err := b.Write(&ws[i], o, k, 9); !errors.Is(err, ErrForeign) {
			t.Errorf("%v site: Write on a short object: %v", ws[i].State(), err)
		}
	}
	// Call sites: the receiver's slot, and a holder's slot for a receiver
	// that lacks the key.
	var own, inherited Site
	if v, ok := b.Call(&own, p, nil, k); !ok || v != 7 {
		t.Fatalf("call on p: %d %v", v, ok)
	}
	if v, ok := b.Call(&inherited, &Object{}, p, k); !ok || v != 7 {
		t.Fatalf("call through p: %d %v", v, ok)
	}
	if v, ok := own.CallHit(o, nil, k); ok {
		t.Errorf("CallHit on a short receiver gave %d", v)
	}
	var ownFixed, inheritedFixed Site
	ownFixed.Fix(k)
	inheritedFixed.Fix(k)
	b.Call(&ownFixed, p, nil, k)
	b.Call(&inheritedFixed, &Object{}, p, k)
	if v, ok := ownFixed.CallHitFixed(o, nil); ok {
		t.Errorf("CallHitFixed on a short receiver gave %d", v)
	}
	if v, ok := inheritedFixed.CallHitFixed(&Object{}, o); ok {
		t.Errorf("CallHitFixed through a short holder gave %d", v)
	}
	if v, ok := inheritedFixed.CallHitFixed(&Object{}, p); !ok || v != 7 {
		t.Errorf("CallHitFixed through p: %d %v", v, ok)
	}
	if v, ok := inherited.CallHit(&Object{}, o, k); ok {
		t.Errorf("CallHit through a short holder gave %d", v)
	}
	if v, ok := b.Call(&inherited, &Object{}, o, k); ok {
		t.Errorf("Call through a short holder gave %d", v)
	}
	if o.slots[5] != 105 || o.Len() != 1 {
		t.Errorf("the short object changed: len %d, slots %v", o.Len(), o.slots)
	}
	// The same sites still hit on their own objects.
	if v, ok := rs[0].ReadHit(p, k); !ok || v != 7 {
		t.Errorf("ReadHit on p: %d %v", v, ok)
	}
	if v, ok := inherited.CallHit(&Object{}, p, k); !ok || v != 7 {
		t.Errorf("CallHit through p: %d %v", v, ok)
	}
}

func TestOptions(t *testing.T) {
	for _, opt := range []Options{{MaxKeys: -1}, {MaxKeys: 1 << 21}, {MaxShapes: 3}, {Poly: MaxPoly + 1}, {Poly: -2}, {MegaSize: 100}, {MegaSize: 8}} {
		if _, err := NewShapes(opt); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: %v", opt, err)
		}
	}
	if _, err := NewShapes(Options{MaxKeys: 1, MaxShapes: 16, Poly: 1, MegaSize: 16}); err != nil {
		t.Error(err)
	}
}

// TestLayout plays the part of a trace: it reads and writes objects
// through raw memory at the offsets the package exports, following Guards
// from Plan and GuardWrite, and checks the results through the API.
func TestLayout(t *testing.T) {
	if HeadOffset != 0 || SlotsOffset != 8 || SlotsCapOffset != 24 || SlotSize != 8 {
		t.Logf("layout: head %d shape %d count %d slots %d cap %d", HeadOffset, ShapeOffset, CountOffset, SlotsOffset, SlotsCapOffset)
	}
	if unsafe.Sizeof(ShapeID(0)) != ShapeSize || unsafe.Sizeof(entry{}) != 24 || unsafe.Offsetof(entry{}.ss) != 8 {
		t.Fatal("sizes changed: update ShapeSize and the Site layout comment")
	}
	sh := mustShapes(t, Options{})
	o := build(t, sh, 1, 2, 3)
	var s Site
	read(sh, &s, o, 3)
	plan, ok := s.Plan(make([]Guard, 0, MaxPoly))
	if !ok || len(plan) != 1 {
		t.Fatalf("plan %v %+v", ok, plan)
	}
	g := plan[0]
	p := unsafe.Pointer(o)
	if got := *(*ShapeID)(unsafe.Add(p, ShapeOffset)); got != g.Shape {
		t.Fatalf("shape word %d, guard %d", got, g.Shape)
	}
	if got := *(*uint32)(unsafe.Add(p, CountOffset)); got != 3 {
		t.Fatalf("key count %d, want 3", got)
	}
	if got := *(*uint64)(unsafe.Add(p, HeadOffset)); got != Head(g.Shape, 3) {
		t.Fatalf("head %#x, want %#x", got, Head(g.Shape, 3))
	}
	base := *(*unsafe.Pointer)(unsafe.Add(p, SlotsOffset))
	if got := *(*uint64)(unsafe.Add(base, g.Offset)); got != 102 {
		t.Fatalf("slot load %d, want 102", got)
	}
	// An add transition done by hand, as a trace would: room check, store,
	// key count, shape.
	w, ok := sh.GuardWrite(o, 4)
	if !ok || !w.Append || w.Slot != 3 || w.Next == w.Shape {
		t.Fatalf("write guard %+v", w)
	}
	if *(*ShapeID)(unsafe.Add(p, ShapeOffset)) != w.Shape {
		t.Fatal("shape guard fails")
	}
	// The interpreter makes room (a trace would exit to Go here instead).
	o.Reserve(2)
	if c := *(*int)(unsafe.Add(p, SlotsCapOffset)); c <= w.Slot+1 {
		t.Fatalf("no room after Reserve: cap %d", c)
	}
	base = *(*unsafe.Pointer)(unsafe.Add(p, SlotsOffset))
	*(*uint64)(unsafe.Add(base, w.Offset)) = 555
	*(*uint32)(unsafe.Add(p, CountOffset)) = uint32(w.Slot + 1)
	*(*ShapeID)(unsafe.Add(p, ShapeOffset)) = w.Next
	if v, ok := sh.Get(o, 4); !ok || v != 555 || o.Len() != 4 {
		t.Fatalf("after the raw add: %d, %v, len %d", v, ok, o.Len())
	}
	// The same with the shape and the count in one store of the head.
	w, ok = sh.GuardWrite(o, 5)
	if !ok || !w.Append || w.Slot != 4 {
		t.Fatalf("second write guard %+v", w)
	}
	*(*uint64)(unsafe.Add(base, w.Offset)) = 666
	*(*uint64)(unsafe.Add(p, HeadOffset)) = Head(w.Next, w.Slot+1)
	if v, ok := sh.Get(o, 5); !ok || v != 666 || o.Len() != 5 || o.Shape() != w.Next {
		t.Fatalf("after the raw head store: %d, %v, len %d", v, ok, o.Len())
	}
	if gw, _ := sh.GuardWrite(o, 2); gw.Append || gw.Slot != 1 || gw.Offset != 8 {
		t.Fatalf("overwrite guard %+v", gw)
	}
	if _, ok := (&Site{}).Plan(nil); ok {
		t.Error("an uninit site has a plan")
	}
}

// TestNoAllocs checks the steady state of every access path allocates
// nothing: inline hits, poly and mega reads, writes, calls, dictionary
// reads, generic Get/Set, traversal and Plan into a sized buffer.
func TestNoAllocs(t *testing.T) {
	sh := mustShapes(t, Options{})
	objs := make([]*Object, 8)
	for i := range objs {
		var keys []uint64
		for j := 0; j < i; j++ {
			keys = append(keys, uint64(1000+10*i+j))
		}
		objs[i] = build(t, sh, append(keys, 7, 8)...)
	}
	dict := build(t, sh, 1, 2, 3)
	_, _ = sh.Delete(dict, 1)
	var mono, poly, mega, write, call, fixed Site
	fixed.Fix(7)
	buf := make([]Guard, 0, MaxPoly)
	var sink uint64
	run := func() {
		for i, o := range objs {
			v, _ := read(sh, &mono, objs[0], 7)
			w, _ := read(sh, &poly, objs[i%4], 7)
			x, _ := read(sh, &mega, o, 8)
			_ = sh.Write(&write, o, 7, v)
			y, _ := sh.Call(&call, objs[0], o, 8)
			f, ok := fixed.ReadHitFixed(objs[i%2])
			if !ok {
				f, _ = sh.Read(&fixed, objs[i%2], 7)
			}
			v += f
			z, _ := read(sh, &mega, dict, 2)
			g, _ := sh.Get(o, 7)
			_ = sh.Set(o, 8, g)
			for _, _, pos, ok := sh.Next(o, 0); ok; _, _, pos, ok = sh.Next(o, pos) {
			}
			buf, _ = poly.Plan(buf[:0])
			sink += v + w + x + y + z
		}
	}
	run()
	if n := testing.AllocsPerRun(50, run); n != 0 {
		t.Fatalf("%v allocations per run", n)
	}
	if poly.State() != Poly || mega.State() != Mega {
		t.Fatalf("states %v %v", poly.State(), mega.State())
	}
	_ = sink
}

// TestReport checks the report text for a table of sites.
func TestReport(t *testing.T) {
	sh := mustShapes(t, Options{Poly: 2})
	var tab Sites
	sx, _ := tab.Add(ReadSite, "f.lua:3 GETFIELD x")
	sy, iy := tab.Add(ReadSite, "f.lua:4 GETFIELD y")
	_, _ = tab.Add(WriteSite, "f.lua:9 SETFIELD z")
	a := build(t, sh, 1, 2)
	b := build(t, sh, 2, 1)
	c := build(t, sh, 3, 1, 2)
	for range 3 {
		read(sh, sx, a, 1)
	}
	for _, o := range []*Object{a, b, c, c} {
		read(sh, sy, o, 2)
	}
	name := func(k uint64) string { return string(rune('w' + k)) }
	var sb strings.Builder
	if err := tab.Report(&sb, name); err != nil {
		t.Fatal(err)
	}
	want := `site                kind   state   hits  misses  dict  poly@  mega@  entries
f.lua:3 GETFIELD x  read   mono    0     1       0     -      -      s3.x@0
f.lua:4 GETFIELD y  read   mega    1     3       0     2      3      
f.lua:9 SETFIELD z  write  uninit  0     0       0     -      -      
3 sites: 1 uninit, 1 mono, 0 poly, 1 mega
`
	if diff := cmp.Diff(want, sb.String()); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if tab.Len() != 3 || tab.At(iy) != sy || tab.Name(iy) != "f.lua:4 GETFIELD y" || tab.At(3) != nil || tab.Name(-1) != "" {
		t.Error("table accessors")
	}
	// Many sites: pointers handed out stay valid as the table grows.
	first, _ := tab.Add(ReadSite, "first")
	read(sh, first, a, 1)
	for i := 0; i < 3*siteBlock; i++ {
		tab.Add(ReadSite, "more")
	}
	if first.Stats().Misses != 1 || tab.At(3) != first {
		t.Error("site moved")
	}
	if State(9).String() != "state?" || Kind(9).String() != "kind?" || CallSite.String() != "call" {
		t.Error("names")
	}
	sy.Reset()
	if sy.State() != Uninit || sy.Stats() != (Stats{}) {
		t.Error("Reset")
	}
}

// TestReportInline reports sites that live outside a Sites table.
func TestReportInline(t *testing.T) {
	sh := mustShapes(t, Options{})
	type instr struct {
		name string
		site Site
	}
	code := []instr{{name: "a"}, {name: "b"}}
	read(sh, &code[1].site, build(t, sh, 1), 1)
	var sb strings.Builder
	err := Report(&sb, len(code)+1, func(i int) (string, *Site) {
		if i == len(code) {
			return "", nil
		}
		return code[i].name, &code[i].site
	}, nil)
	want := `site  kind  state   hits  misses  dict  poly@  mega@  entries
a     read  uninit  0     0       0     -      -      
b     read  mono    0     1       0     -      -      s2.0x1@0
2 sites: 1 uninit, 1 mono, 0 poly, 0 mega
`
	if err != nil || sb.String() != want {
		t.Errorf("err %v, report:\n%s", err, cmp.Diff(want, sb.String()))
	}
}

// TestSlotCapacity checks that an object built like an earlier one gets
// all its slots in one allocation, and that Reserve makes adds free.
func TestSlotCapacity(t *testing.T) {
	sh := mustShapes(t, Options{})
	var sites [6]Site
	construct := func() *Object {
		o := &Object{}
		for j := range sites {
			_ = sh.Write(&sites[j], o, uint64(j+1), 0)
		}
		return o
	}
	construct() // teaches the shapes how far this branch goes
	if n := testing.AllocsPerRun(20, func() { construct() }); n != 2 {
		t.Errorf("building a known 6-key object: %v allocations, want 2 (object, slots)", n)
	}
	if c := len(construct().slots); c != 6 {
		t.Errorf("slot capacity %d, want 6", c)
	}
	o := build(t, sh, 100)
	o.Reserve(5)
	if n := testing.AllocsPerRun(1, func() {
		p := *o
		for k := uint64(1); k <= 5; k++ {
			_ = sh.Set(&p, 200+k, k)
		}
	}); n != 0 {
		t.Errorf("adds after Reserve: %v allocations", n)
	}
	(&Object{head: Head(DictShape, 0)}).Reserve(3)
	var huge Object
	huge.Reserve(1 << 62)
	if len(huge.slots) != maxMaxKeys {
		t.Errorf("Reserve(1<<62) gave capacity %d", len(huge.slots))
	}
	if Report(&strings.Builder{}, 3, nil, nil) == nil {
		t.Error("Report without a site function")
	}
}

// TestWorkedExample checks the claims of the package comment's example.
func TestWorkedExample(t *testing.T) {
	sh := mustShapes(t, Options{})
	const x, y = 1, 2
	p1, p2, q := build(t, sh, x, y), build(t, sh, x, y), build(t, sh, y, x)
	if p1.Shape() != 3 || p2.Shape() != 3 || q.Shape() != 5 {
		t.Fatalf("shapes %d %d %d", p1.Shape(), p2.Shape(), q.Shape())
	}
	var s Site
	for _, o := range []*Object{p1, p2, q} {
		read(sh, &s, o, y)
	}
	st := s.Stats()
	plan, _ := s.Plan(nil)
	want := []Guard{
		{Shape: 3, Key: y, Slot: 1, Offset: 8, Next: 3, HolderSlot: -1},
		{Shape: 5, Key: y, Slot: 0, Offset: 0, Next: 5, HolderSlot: -1},
	}
	if st.Hits != 0 || st.Misses != 2 || st.State != Poly || s.Entries(func(uint64) string { return "y" }) != "s3.y@1 s5.y@0" || !cmp.Equal(plan, want) {
		t.Errorf("stats %+v entries %q plan %+v", st, s.Entries(nil), plan)
	}
}

// TestFixedSite checks a site fixed to its key: its fast paths answer for
// that key alone and never on a site that is not fixed; another key is
// served but leaves no entry; the key survives Reset and a switch to
// another Shapes or kind, and fixing to another key forgets the entries.
func TestFixedSite(t *testing.T) {
	sh := mustShapes(t, Options{})
	const x, y = 10, 11
	p := build(t, sh, x, y) // x = 100, y = 101
	stats := func(s *Site, hits, misses uint64, entries string) {
		t.Helper()
		st := s.Stats()
		if st.Hits != hits || st.Misses != misses || s.Entries(nil) != entries {
			t.Fatalf("hits %d misses %d entries %q; want %d %d %q", st.Hits, st.Misses, s.Entries(nil), hits, misses, entries)
		}
	}

	// A plain site that learned x: its first entry would answer for x,
	// but the fixed fast paths never hit on it.
	var plain Site
	read(sh, &plain, p, x)
	if v, ok := plain.ReadHitFixed(p); ok {
		t.Fatalf("ReadHitFixed on a site that is not fixed gave %d", v)
	}
	if plain.WriteHitFixed(p, 5) || p.slots[0] != 100 {
		t.Fatal("WriteHitFixed on a site that is not fixed stored")
	}
	if _, fixed := plain.Key(); fixed {
		t.Fatal("a plain site says it is fixed")
	}

	var s Site
	s.Fix(y)
	if k, fixed := s.Key(); k != y || !fixed {
		t.Fatalf("Key() = %d, %v", k, fixed)
	}
	if _, ok := s.ReadHitFixed(p); ok {
		t.Fatal("an empty fixed site hit")
	}
	// Another key is served and counted as a miss, and leaves no entry,
	// every time.
	for range 2 {
		if v, ok := sh.Read(&s, p, x); !ok || v != 100 {
			t.Fatalf("read of x through a site fixed to y: %d %v", v, ok)
		}
	}
	stats(&s, 0, 2, "")
	if v, ok := s.ReadHitFixed(p); ok {
		t.Fatalf("ReadHitFixed after reads of another key gave %d", v)
	}
	// Its own key: a miss fills, then the fast path hits.
	if v, ok := sh.Read(&s, p, y); !ok || v != 101 {
		t.Fatalf("read y: %d %v", v, ok)
	}
	if v, ok := s.ReadHitFixed(p); !ok || v != 101 {
		t.Fatalf("ReadHitFixed y: %d %v", v, ok)
	}
	stats(&s, 0, 3, "s3.0xb@1")
	// Fixing again to y keeps everything; Reset keeps the key.
	s.Fix(y)
	stats(&s, 0, 3, "s3.0xb@1")
	s.Reset()
	if k, fixed := s.Key(); k != y || !fixed || s.State() != Uninit {
		t.Fatalf("after Reset: key %d fixed %v state %v", k, fixed, s.State())
	}
	read(sh, &s, p, y)
	// Fixing to x forgets the entry for y.
	s.Fix(x)
	if st := s.Stats(); st.State != Uninit || st.Resets != 1 || st.Entries != 0 {
		t.Fatalf("after Fix(x): %+v", st)
	}
	if _, ok := s.ReadHitFixed(p); ok {
		t.Fatal("the entry for y survived Fix(x)")
	}
	if v, ok := sh.Read(&s, p, x); !ok || v != 100 {
		t.Fatalf("read x: %d %v", v, ok)
	}
	// A write of x hits the read entry (it means the same to a write);
	// then used with another Shapes, the site resets and stays fixed to x.
	if err := sh.Write(&s, p, x, 7); err != nil {
		t.Fatal(err)
	}
	if !s.WriteHitFixed(p, 8) || p.slots[0] != 8 {
		t.Fatal("WriteHitFixed missed an overwrite of x")
	}
	other := mustShapes(t, Options{})
	q := build(t, other, y, 12, x) // shape 4, x at slot 2
	if _, ok := s.ReadHitFixed(q); ok {
		t.Fatal("hit on an object of another shape")
	}
	if v, ok := other.Read(&s, q, x); !ok || v != 102 {
		t.Fatalf("read x of q: %d %v", v, ok)
	}
	if k, fixed := s.Key(); k != x || !fixed || s.Stats().Resets != 2 || s.Kind() != ReadSite {
		t.Fatalf("after the other Shapes: key %d fixed %v %+v", k, fixed, s.Stats())
	}
	if v, ok := s.ReadHitFixed(q); !ok || v != 102 {
		t.Fatalf("ReadHitFixed on q: %d %v", v, ok)
	}
	// A write site does not hit an add transition: the object grows
	// through Write.
	var w Site
	w.Fix(y)
	a, b := build(t, sh, x), build(t, sh, x)
	if err := sh.Write(&w, a, y, 1); err != nil {
		t.Fatal(err)
	}
	if w.WriteHitFixed(b, 2) {
		t.Fatal("WriteHitFixed served an add transition")
	}
	if err := sh.Write(&w, b, y, 2); err != nil || b.Shape() != a.Shape() {
		t.Fatalf("add through the fixed site: %v, shapes %d %d", err, b.Shape(), a.Shape())
	}
	// Calls: own and inherited methods, a holder whose shape changed.
	var c Site
	c.Fix(y)
	inst := build(t, sh, x)
	class := build(t, sh, y) // y = 100
	for range 2 {
		v, ok := c.CallHitFixed(inst, class)
		if !ok {
			v, ok = sh.Call(&c, inst, class, y)
		}
		if !ok || v != 100 {
			t.Fatalf("inherited call: %d %v", v, ok)
		}
	}
	if v, ok := c.CallHitFixed(inst, class); !ok || v != 100 {
		t.Fatalf("CallHitFixed inherited: %d %v", v, ok)
	}
	if v, ok := c.CallHitFixed(inst, nil); ok {
		t.Fatalf("CallHitFixed without a holder gave %d", v)
	}
	if err := sh.Set(class, x, 3); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.CallHitFixed(inst, class); ok {
		t.Fatal("CallHitFixed hit a holder of another shape")
	}
}
