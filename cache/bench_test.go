package cache

import (
	"fmt"
	"testing"
)

// benchKey makes keys that look like demo-lang's interned strings: NaN-boxed
// words with a tag in the high bits and a string index below.
func benchKey(i int) uint64 { return 0xfff9_0000_0000_0000 | uint64(i)<<4 }

// benchObjects builds n objects of n distinct shapes that all hold key
// benchKey(0), at different slots, and a Go map per object with the same
// contents.
func benchObjects(b *testing.B, sh *Shapes, n int) ([]*Object, []map[uint64]uint64) {
	objs := make([]*Object, n)
	maps := make([]map[uint64]uint64, n)
	for i := range objs {
		o, m := &Object{}, map[uint64]uint64{}
		// i leading keys of its own give object i its own shape and put
		// the common key at slot i.
		for j := 0; j < i; j++ {
			k := benchKey(1000 + 100*i + j)
			if err := sh.Set(o, k, uint64(j)); err != nil {
				b.Fatal(err)
			}
			m[k] = uint64(j)
		}
		for j := 0; j < 4; j++ {
			if err := sh.Set(o, benchKey(j), uint64(i+j)); err != nil {
				b.Fatal(err)
			}
			m[benchKey(j)] = uint64(i + j)
		}
		objs[i], maps[i] = o, m
	}
	return objs, maps
}

var sink uint64

// The loops below count with b.N rather than b.Loop: on this machine b.Loop
// adds 0.3-0.9 ns per iteration, more than a monomorphic hit costs, and
// the loop bodies keep their results alive through sink themselves.

// BenchmarkRead measures one property read of benchKey(0) at a site that
// sees 1 (mono), 4 (poly) or 16 (mega) shapes, round robin, beside a Go map
// lookup of the same key in maps of the same contents.
func BenchmarkRead(b *testing.B) {
	key := benchKey(0)
	for _, n := range []int{1, 4, 16} {
		state := map[int]string{1: "mono", 4: "poly", 16: "mega"}[n]
		sh, err := NewShapes(Options{})
		if err != nil {
			b.Fatal(err)
		}
		objs, maps := benchObjects(b, sh, n)
		mask := n - 1
		b.Run(state+"/inline", func(b *testing.B) {
			var s Site
			var sum uint64
			for i := 0; i < b.N; i++ {
				o := objs[i&mask]
				v, ok := s.ReadHit(o, key)
				if !ok {
					v, _ = sh.Read(&s, o, key)
				}
				sum += v
			}
			sink = sum
			if b.N >= 64 && s.State().String() != state {
				b.Fatalf("site is %v, want %s", s.State(), state)
			}
		})
		b.Run(state+"/read", func(b *testing.B) {
			var s Site
			var sum uint64
			for i := 0; i < b.N; i++ {
				v, _ := sh.Read(&s, objs[i&mask], key)
				sum += v
			}
			sink = sum
		})
		// The floor: the same loop loading the slot with no check at all,
		// as a trace does after its shape guard.
		b.Run(state+"/field", func(b *testing.B) {
			slot := make([]int, n)
			for j, o := range objs {
				slot[j] = sh.SlotOf(o.Shape(), key)
			}
			var sum uint64
			for i := 0; i < b.N; i++ {
				sum += objs[i&mask].slots[slot[i&mask]]
			}
			sink = sum
		})
		b.Run(state+"/map", func(b *testing.B) {
			var sum uint64
			for i := 0; i < b.N; i++ {
				sum += maps[i&mask][key]
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
