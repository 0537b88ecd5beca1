package main

import (
	"math"
	"testing"
)

func TestParseBench(t *testing.T) {
	out := []byte(`goos: linux
pkg: github.com/jitkit/jitkit/irkit
BenchmarkEmit-2   	 1000000	      10.5 ns/op	   0 B/op	   0 allocs/op	 3.25 ns/ins
BenchmarkEmit-2   	 1000000	      11.5 ns/op	   0 B/op	   0 allocs/op	 3.75 ns/ins
PASS
pkg: github.com/jitkit/jitkit/cache
BenchmarkRead/mono-2  	 5000000	       1.2 ns/op
`)
	got := parseBench(out)
	if len(got) != 2 {
		t.Fatalf("got %d benchmarks, want 2", len(got))
	}
	e := got[0]
	if e.pkg != "github.com/jitkit/jitkit/irkit" || e.name != "BenchmarkEmit" {
		t.Errorf("first = %s %s", e.pkg, e.name)
	}
	if want := []string{"ns/op", "B/op", "allocs/op", "ns/ins"}; len(e.units) != len(want) || e.units[3] != want[3] {
		t.Errorf("units = %v, want %v", e.units, want)
	}
	if s := e.samples["ns/ins"]; len(s) != 2 || s[1] != 3.75 {
		t.Errorf("ns/ins samples = %v", s)
	}
	if got[1].name != "BenchmarkRead/mono" || got[1].samples["ns/op"][0] != 1.2 {
		t.Errorf("second = %+v", got[1])
	}
}

func TestSummarize(t *testing.T) {
	s := summarize([]float64{5, 1, 4, 2, 3})
	if s.median != 3 || s.min != 1 || s.max != 5 {
		t.Errorf("median/min/max = %v %v %v", s.median, s.min, s.max)
	}
	// n=5: min..max covers 1 - 2/32 = 93.75%, the most five samples allow.
	if s.lo != 1 || s.hi != 5 || math.Abs(s.level-0.9375) > 1e-9 {
		t.Errorf("interval = %v..%v at %v", s.lo, s.hi, s.level)
	}
	// n=10: [x(2), x(9)] covers 97.85%; [x(3), x(8)] only 89%.
	xs := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	s = summarize(xs)
	if s.median != 5.5 || s.lo != 2 || s.hi != 9 || s.level < 0.95 {
		t.Errorf("n=10: median %v interval %v..%v at %v", s.median, s.lo, s.hi, s.level)
	}
	if g := geomean([]float64{1, 4}); math.Abs(g-2) > 1e-12 {
		t.Errorf("geomean = %v", g)
	}
}
