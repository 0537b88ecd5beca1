package main

import (
	"math"
	"strings"
	"testing"
	"time"
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

// TestMarkdownNumeric: the report adds a geometric mean over the numeric
// programs only, and demolang's speed-up over its own interpreter.
func TestMarkdownNumeric(t *testing.T) {
	sec := func(s float64) []time.Duration { return []time.Duration{time.Duration(s * float64(time.Second))} }
	r := &report{runs: 1, impls: []impl{{name: "demolang"}, {name: "demolang -joff"}, {name: "luajit"}},
		suite: map[string]map[string]*result{
			"loop":  {"demolang": {times: sec(2)}, "demolang -joff": {times: sec(10)}, "luajit": {times: sec(1)}},
			"fib":   {"demolang": {times: sec(8)}, "demolang -joff": {times: sec(8)}, "luajit": {times: sec(1)}},
			"nbody": {"demolang": {times: sec(8)}, "demolang -joff": {times: sec(16)}, "luajit": {times: sec(1)}},
		}}
	md := r.markdown()
	for _, want := range []string{
		"| geometric mean of ratios to luajit | 5.04× (3 programs) | 10.86× (3 programs) | 1.00× (3 programs) |",
		"| geometric mean, numeric programs (loop, mandelbrot, nbody, spectral, fannkuch, sieve, matmul) | 4.00× (2 programs) | 12.65× (2 programs) | 1.00× (2 programs) |",
		"fib 1.0×, loop 5.0×, nbody 2.0×",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

// TestFailuresOursAndPeers: a peer's wrong answer is reported but is not
// demolang's failure.
func TestFailuresOursAndPeers(t *testing.T) {
	r := &report{suite: map[string]map[string]*result{
		"closures": {"demolang": {}, "lua5.4": {fail: "wrong output"}, "gopher-lua": {fail: "wrong output"}},
		"strings":  {"demolang -joff": {fail: "exit status 1"}},
	}}
	if ours, peers := r.failures(); ours != 1 || peers != 2 {
		t.Errorf("failures = %d ours, %d peers; want 1, 2", ours, peers)
	}
}
