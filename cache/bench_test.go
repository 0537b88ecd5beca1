package cache

import (
	"fmt"
	"testing"
)

// benchKey makes keys that look like demo-lang's interned strings: NaN-boxed
// words with a tag in the high bits and a string index below.
func benchKey(i int) uint64 { return 0xfff9_0000_0000_0000 | uint64(i)<<4 }

// benchObjects builds benchObjs objects of n distinct shapes (object i has
// shape i mod n) that all hold the benchReads keys benchKey(0) to
// benchKey(3), after i mod n leading keys of their own, so the keys sit at
// different slots in different shapes; and a Go map per object with the
// same contents. The objects hold 4 to 19 keys.
func benchObjects(b *testing.B, sh *Shapes, n int) ([]*Object, []map[uint64]uint64) {
	objs := make([]*Object, benchObjs)
	maps := make([]map[uint64]uint64, benchObjs)
	for i := range objs {
		o, m := &Object{}, map[uint64]uint64{}
		s := i % n
		for j := 0; j < s; j++ {
			k := benchKey(1000 + 100*s + j)
			if err := sh.Set(o, k, uint64(j)); err != nil {
				b.Fatal(err)
			}
			m[k] = uint64(j)
		}
		for j := 0; j < benchReads; j++ {
			if err := sh.Set(o, benchKey(j), uint64(i+j)); err != nil {
				b.Fatal(err)
			}
			m[benchKey(j)] = uint64(i + j)
		}
		objs[i], maps[i] = o, m
	}
	return objs, maps
}

const (
	benchObjs  = 16 // objects a benchmark loop goes round
	benchReads = 4  // keys read from each object, each through its own site
)

var sink uint64

// The loops below count with b.N rather than b.Loop: on this machine b.Loop
// adds 0.3-0.9 ns per iteration, more than a monomorphic hit costs, and
// the loop bodies keep their results alive through sink themselves.

// BenchmarkRead measures property reads through sites that see 1 (mono),
// 4 (poly) or 16 (mega) shapes, beside Go map lookups of the same keys in
// maps of the same contents. Like an interpreter running p.x + p.y + p.z
// + p.w over a list of objects, each loop iteration takes the next of 16
// objects and reads 4 keys from it, each through its own site; ns/op is
// per read (the loop counts b.N reads, 4 at a time, written out as an
// interpreter's straight-line code would do them).
func BenchmarkRead(b *testing.B) {
	keys := [benchReads]uint64{benchKey(0), benchKey(1), benchKey(2), benchKey(3)}
	for _, n := range []int{1, 4, 16} {
		state := map[int]string{1: "mono", 4: "poly", 16: "mega"}[n]
		sh, err := NewShapes(Options{})
		if err != nil {
			b.Fatal(err)
		}
		objs, maps := benchObjects(b, sh, n)
		b.Run(state+"/inline", func(b *testing.B) {
			var s [benchReads]Site
			var sum uint64
			for i := 0; i < b.N; i += benchReads {
				o := objs[uint(i)/benchReads%benchObjs]
				v0, ok := s[0].ReadHit(o, keys[0])
				if !ok {
					v0, _ = sh.Read(&s[0], o, keys[0])
				}
				v1, ok := s[1].ReadHit(o, keys[1])
				if !ok {
					v1, _ = sh.Read(&s[1], o, keys[1])
				}
				v2, ok := s[2].ReadHit(o, keys[2])
				if !ok {
					v2, _ = sh.Read(&s[2], o, keys[2])
				}
				v3, ok := s[3].ReadHit(o, keys[3])
				if !ok {
					v3, _ = sh.Read(&s[3], o, keys[3])
				}
				sum += v0 + v1 + v2 + v3
			}
			sink = sum
			if b.N >= 64*benchReads && s[0].State().String() != state {
				b.Fatalf("site is %v, want %s", s[0].State(), state)
			}
		})
		// The same through sites fixed to their keys (Site.Fix), as an
		// interpreter's sites for constant keys are.
		b.Run(state+"/fixed", func(b *testing.B) {
			var s [benchReads]Site
			for j := range s {
				s[j].Fix(keys[j])
			}
			var sum uint64
			for i := 0; i < b.N; i += benchReads {
				o := objs[uint(i)/benchReads%benchObjs]
				v0, ok := s[0].ReadHitFixed(o)
				if !ok {
					v0, _ = sh.Read(&s[0], o, keys[0])
				}
				v1, ok := s[1].ReadHitFixed(o)
				if !ok {
					v1, _ = sh.Read(&s[1], o, keys[1])
				}
				v2, ok := s[2].ReadHitFixed(o)
				if !ok {
					v2, _ = sh.Read(&s[2], o, keys[2])
				}
				v3, ok := s[3].ReadHitFixed(o)
				if !ok {
					v3, _ = sh.Read(&s[3], o, keys[3])
				}
				sum += v0 + v1 + v2 + v3
			}
			sink = sum
			if b.N >= 64*benchReads && s[0].State().String() != state {
				b.Fatalf("site is %v, want %s", s[0].State(), state)
			}
		})
		b.Run(state+"/read", func(b *testing.B) {
			var s [benchReads]Site
			var sum uint64
			for i := 0; i < b.N; i += benchReads {
				o := objs[uint(i)/benchReads%benchObjs]
				v0, _ := sh.Read(&s[0], o, keys[0])
				v1, _ := sh.Read(&s[1], o, keys[1])
				v2, _ := sh.Read(&s[2], o, keys[2])
				v3, _ := sh.Read(&s[3], o, keys[3])
				sum += v0 + v1 + v2 + v3
			}
			sink = sum
		})
		// The floor: the same loop loading the slots with no check at
		// all, as a trace does after its shape guard.
		b.Run(state+"/field", func(b *testing.B) {
			slot := make([][benchReads]int, benchObjs)
			for i, o := range objs {
				for j, k := range keys {
					slot[i][j] = sh.SlotOf(o.Shape(), k)
				}
			}
			var sum uint64
			for i := 0; i < b.N; i += benchReads {
				o, sl := objs[uint(i)/benchReads%benchObjs], &slot[uint(i)/benchReads%benchObjs]
				sum += o.slots[sl[0]] + o.slots[sl[1]] + o.slots[sl[2]] + o.slots[sl[3]]
			}
			sink = sum
		})
		b.Run(state+"/map", func(b *testing.B) {
			var sum uint64
			for i := 0; i < b.N; i += benchReads {
				m := maps[uint(i)/benchReads%benchObjs]
				sum += m[keys[0]] + m[keys[1]] + m[keys[2]] + m[keys[3]]
			}
			sink = sum
		})
	}
}

// BenchmarkWrite measures an overwrite through a monomorphic site and the
// build of a 4-key object through add transitions (the constructor
// pattern), which allocates only the slot array.
func BenchmarkWrite(b *testing.B) {
	sh, _ := NewShapes(Options{})
	b.Run("mono/inline", func(b *testing.B) {
		var s Site
		o := &Object{}
		_ = sh.Set(o, benchKey(0), 0)
		for i := 0; i < b.N; i++ {
			if !s.WriteHit(o, benchKey(0), uint64(i)) {
				_ = sh.Write(&s, o, benchKey(0), uint64(i))
			}
		}
	})
	b.Run("mono/fixed", func(b *testing.B) {
		var s Site
		s.Fix(benchKey(0))
		o := &Object{}
		_ = sh.Set(o, benchKey(0), 0)
		for i := 0; i < b.N; i++ {
			if !s.WriteHitFixed(o, uint64(i)) {
				_ = sh.Write(&s, o, benchKey(0), uint64(i))
			}
		}
	})
	b.Run("construct4", func(b *testing.B) {
		var sites [4]Site
		for i := 0; i < b.N; i++ {
			var o Object
			for j := range sites {
				_ = sh.Write(&sites[j], &o, benchKey(j), uint64(j))
			}
		}
	})
}

// BenchmarkCall measures a method found in the holder (a class object)
// through a monomorphic call site.
func BenchmarkCall(b *testing.B) {
	sh, _ := NewShapes(Options{})
	var recv, class Object
	_ = sh.Set(&recv, benchKey(1), 1)
	_ = sh.Set(&class, benchKey(2), 2)
	_ = sh.Set(&class, benchKey(3), 3)
	var s Site
	var sum uint64
	for i := 0; i < b.N; i++ {
		v, ok := s.CallHit(&recv, &class, benchKey(3))
		if !ok {
			v, _ = sh.Call(&s, &recv, &class, benchKey(3))
		}
		sum += v
	}
	sink = sum
}

// BenchmarkDict measures generic reads of objects in dictionary mode.
func BenchmarkDict(b *testing.B) {
	for _, n := range []int{8, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			sh, _ := NewShapes(Options{MaxKeys: 4})
			var o Object
			for j := 0; j < n; j++ {
				_ = sh.Set(&o, benchKey(j), uint64(j))
			}
			var sum uint64
			for i := 0; i < b.N; i++ {
				v, _ := sh.Get(&o, benchKey(i%n))
				sum += v
			}
			sink = sum
		})
	}
}
