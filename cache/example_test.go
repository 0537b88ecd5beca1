package cache_test

import (
	"fmt"
	"os"

	"github.com/jitkit/jitkit/cache"
)

// names interns strings the way a language would, and gives keys back
// their names for reports. Key i+1 is names[i]: keys are opaque words.
type names []string

func (n *names) key(s string) uint64 {
	for i, x := range *n {
		if x == s {
			return uint64(i + 1)
		}
	}
	*n = append(*n, s)
	return uint64(len(*n))
}

func (n names) name(k uint64) string { return n[k-1] }

// Objects built alike share a shape; a read site sees one shape, then two,
// and the report shows what it cached.
func Example() {
	sh, err := cache.NewShapes(cache.Options{})
	if err != nil {
		panic(err)
	}
	var ns names
	x, y := ns.key("x"), ns.key("y")

	// p1 = {x=1, y=2}; p2 = {x=3, y=4}; q = {y=5, x=6}
	var p1, p2, q cache.Object
	sh.Set(&p1, x, 1)
	sh.Set(&p1, y, 2)
	sh.Set(&p2, x, 3)
	sh.Set(&p2, y, 4)
	sh.Set(&q, y, 5)
	sh.Set(&q, x, 6)
	fmt.Println("shapes:", p1.Shape(), p2.Shape(), q.Shape())

	var sites cache.Sites
	site, _ := sites.Add(cache.ReadSite, "demo.lua:7 GETFIELD o.y")
	for _, o := range []*cache.Object{&p1, &p2, &p1, &q, &q} {
		// The interpreter's fast path, then the call it falls back on.
		// Only what Read serves is counted: the report below shows the
		// two misses and q's second read (poly), not the two inline hits.
		v, ok := site.ReadHit(o, y)
		if !ok {
			v, ok = sh.Read(site, o, y)
		}
		fmt.Println("o.y =", v, "site", site.State())
	}
	sites.Report(os.Stdout, ns.name)
	// Output:
	// shapes: 3 3 5
	// o.y = 2 site mono
	// o.y = 4 site mono
	// o.y = 2 site mono
	// o.y = 5 site poly
	// o.y = 5 site poly
	// site                     kind  state  hits  misses  dict  poly@  mega@  entries
	// demo.lua:7 GETFIELD o.y  read  poly   1     2       0     2      -      s3.y@1 s5.y@0
	// 1 sites: 0 uninit, 0 mono, 1 poly, 0 mega
}

// An interpreter fixes the site of an instruction with a constant key to
// that key when it makes the site; the site's inline path then compares
// no key. The same site still serves another key, without caching it.
func ExampleSite_Fix() {
	sh, _ := cache.NewShapes(cache.Options{})
	const x, y = 10, 20
	var p, q cache.Object
	sh.Set(&p, x, 1)
	sh.Set(&p, y, 2)
	sh.Set(&q, x, 3)
	sh.Set(&q, y, 4)

	var site cache.Site // the site of GETFIELD o "y"
	site.Fix(y)
	for _, o := range []*cache.Object{&p, &q} {
		v, ok := site.ReadHitFixed(o)
		if !ok {
			key, _ := site.Key()
			v, ok = sh.Read(&site, o, key)
		}
		fmt.Println("o.y =", v, "entries:", site.Entries(nil))
	}
	v, _ := sh.Read(&site, &p, x)
	fmt.Println("o.x =", v, "entries:", site.Entries(nil))
	// Output:
	// o.y = 2 entries: s3.0x14@1
	// o.y = 4 entries: s3.0x14@1
	// o.x = 1 entries: s3.0x14@1
}

// A recorder asks a site which shapes it has seen and where the key lives
// in each, and turns the case for the object at hand into IR: a shape
// guard and a load at a constant offset from the slot array.
func ExampleSite_Plan() {
	sh, _ := cache.NewShapes(cache.Options{})
	var point cache.Object
	sh.Set(&point, 10, 0) // x
	sh.Set(&point, 20, 0) // y
	var site cache.Site
	sh.Read(&site, &point, 20)

	plan, ok := site.Plan(nil)
	fmt.Println("specialize:", ok)
	// The object offsets are constants of the machine (ShapeOffset is 0
	// on little-endian machines, 4 on big-endian ones), so the example
	// prints their names.
	for _, g := range plan {
		fmt.Printf("guard u32[obj+ShapeOffset] == %d; base = ptr[obj+SlotsOffset]; load u64[base+%d]\n",
			g.Shape, g.Offset)
	}
	// Output:
	// specialize: true
	// guard u32[obj+ShapeOffset] == 3; base = ptr[obj+SlotsOffset]; load u64[base+8]
}

// Traversal follows insertion order and survives deleting the key it is
// on, as Lua's pairs with t[k] = nil does.
func ExampleShapes_Next() {
	sh, _ := cache.NewShapes(cache.Options{})
	var t cache.Object
	for _, k := range []uint64{30, 10, 20} {
		sh.Set(&t, k, k*100)
	}
	for k, v, pos, ok := sh.Next(&t, 0); ok; k, v, pos, ok = sh.Next(&t, pos) {
		fmt.Println(k, v)
		if k == 10 {
			sh.Delete(&t, k)
		}
	}
	fmt.Println("left:", t.Len(), "dictionary mode:", t.Dict())
	// Output:
	// 30 3000
	// 10 1000
	// 20 2000
	// left: 2 dictionary mode: true
}
