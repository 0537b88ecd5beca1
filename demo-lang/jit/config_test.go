package jit

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

// TestHotLoopFlag: -Ohotloop=N sets when a loop first becomes hot (after
// N back edges; LuaJIT's default 56), also for a chunk loaded before the
// JIT was attached. A loop of 5 iterations (4 back edges) gets a trace
// with -Ohotloop=2 (hot at the third back edge, recorded over the fourth
// iteration); with -Ohotloop=3 the recording starts too late (the loop
// ends and the print call aborts it); with 4 or by default it is never
// hot.
func TestHotLoopFlag(t *testing.T) {
	const src = `local s = 0 for i = 1, 5 do s = s + i end print(s)`
	for _, c := range []struct {
		flag     string
		preload  bool // load the chunk before attaching the JIT
		recorded int  // recordings started
		traces   int  // of which completed
	}{
		{"", false, 0, 0},
		{"-Ohotloop=56", false, 0, 0},
		// The 4 back edges run the counter down; the loop's end, which
		// counts too, finds it hot: a recording from there would leave
		// the loop at once, so it counts as one that did (loopLeft).
		{"-Ohotloop=4", false, 1, 0},
		{"-Ohotloop=3", false, 1, 0},
		{"-Ohotloop=2", false, 1, 1},
		{"-Ohotloop=1", false, 1, 1},
		{"-Ohotloop=2", true, 1, 1},
		{"", true, 0, 0},
	} {
		cfg, err := NewConfig()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Stress, cfg.V = guard.Stress{}, true
		if c.flag != "" {
			if _, err := cfg.Flag(c.flag, nil); err != nil {
				t.Fatal(err)
			}
		}
		var out, v bytes.Buffer
		L := vm.New(vm.Options{Stdout: &out})
		var fn vm.Value
		if c.preload {
			if fn, err = L.LoadString("hot", src); err != nil {
				t.Fatal(err)
			}
		}
		cfg.Attach(L, &v)
		if !c.preload {
			fn, err = L.LoadString("hot", src)
		}
		if err == nil {
			_, err = L.Call(fn)
		}
		L.Flush()
		st := L.JITStats()
		cfg.Finish(L, nil)
		if err != nil || out.String() != "15\n" {
			t.Fatalf("%q: printed %q, err %v", c.flag, out.String(), err)
		}
		rec := st.Traces
		for _, n := range st.Aborts {
			rec += n
		}
		if st.Traces != c.traces || rec != c.recorded {
			t.Errorf("%q preload=%v: %d recordings, %d traces; want %d, %d:\n%s", c.flag, c.preload, rec, st.Traces, c.recorded, c.traces, v.String())
		}
	}
}

// TestWriteHotExits checks the -jstats list of exits to Go: the most
// taken first, at most n, with where each resumes and its side trace.
func TestWriteHotExits(t *testing.T) {
	traces := []vm.TraceInfo{
		{ID: 1, Chunk: "q.lua", Exits: []int64{0, 7, 300}, SnapLine: []int{3, 4, 9}, Sides: []int{0, 2, 0}},
		{ID: 2, Chunk: "q.lua", Exits: []int64{50, 0}, SnapLine: []int{0, 5}, Sides: []int{3, 0}},
	}
	var b bytes.Buffer
	WriteHotExits(&b, traces, 2)
	want := "jit: exit 1/2        300 at q.lua:9, no side trace\n" +
		"jit: exit 2/0         50, side trace 3\n"
	if b.String() != want {
		t.Errorf("got\n%swant\n%s", b.String(), want)
	}
	b.Reset()
	WriteHotExits(&b, traces, 5)
	if n := strings.Count(b.String(), "\n"); n != 3 {
		t.Errorf("%d lines for 3 exits taken:\n%s", n, b.String())
	}
	b.Reset()
	WriteHotExits(&b, nil, 5)
	if b.Len() != 0 {
		t.Errorf("no traces printed %q", b.String())
	}
}
