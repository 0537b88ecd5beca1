package jit

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/guard"
)

// hotLoop is a loop of n iterations: n is chosen per configuration so the
// run takes tens of milliseconds, a few dozen samples.
func hotLoop(n int) string {
	return fmt.Sprintf("local s = 0\nfor i = 1, %d do s = s + i %% 7 end\nprint(s)", n)
}

// profileRun runs src under a 1 ms profiler with the JIT options o (nil:
// no JIT) and returns the profile.
func profileRun(t *testing.T, src string, o *vm.JITOptions) ([]ProfileEntry, int) {
	t.Helper()
	p := NewProfiler(0)
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	if o != nil {
		p.Hook(o)
		L.EnableJIT(*o)
	}
	p.Start()
	_, err := L.DoString("loop.lua", src)
	p.Stop()
	L.Flush()
	L.DisableJIT()
	if err != nil {
		t.Fatal(err)
	}
	es, total := p.Profile()
	if total < 10 {
		t.Fatalf("only %d samples", total)
	}
	return es, total
}

// TestProfileHotLoop: a hot loop spends most samples in its trace, which
// the profile names with its location; with the JIT off every sample is
// in the interpreter.
func TestProfileHotLoop(t *testing.T) {
	scale := 1 // under qemu everything is 5-10x slower: fewer iterations, as many samples
	if os.Getenv("JITKIT_QEMU") == "1" {
		scale = 5
	}
	for _, native := range []bool{false, true} {
		o := &vm.JITOptions{Opt: guard.DefaultOptions()}
		n := 500000 // the IR interpreter: about 100 ns an iteration
		if native {
			if o.Backend = NativeBackend(); o.Backend == nil {
				continue
			}
			n = 50000000 // about 1.5 ns an iteration
		}
		es, total := profileRun(t, hotLoop(n/scale), o)
		var buf strings.Builder
		for _, e := range es {
			fmt.Fprintf(&buf, "%s %s %d; ", e.Name, e.Where, e.Samples)
		}
		if es[0].Trace() != 1 || es[0].Where != "loop.lua:2" {
			t.Fatalf("native=%v: top entry is not trace 1 at loop.lua:2: %s", native, buf.String())
		}
		if 2*es[0].Samples < total {
			t.Errorf("native=%v: trace has %d of %d samples: %s", native, es[0].Samples, total, buf.String())
		}
		t.Logf("native=%v: %d samples: %s", native, total, buf.String())
	}
	es, total := profileRun(t, hotLoop(8000000/scale), nil) // about 7 ns an iteration
	if len(es) != 1 || es[0].State != vm.VMInterp || es[0].Samples != total {
		t.Errorf("JIT off: %+v, want all %d samples in the interpreter", es, total)
	}
}

// TestProfileStates: the profile names each state and sorts by samples;
// Write prints percentages.
func TestProfileStates(t *testing.T) {
	p := NewProfiler(0)
	p.counts = []int{vm.VMInterp: 5, vm.VMCompile: 1, vm.VMExit: 0, vm.VMGC: 2, vm.VMTrace + 3: 12}
	p.Note(3, "x.lua:7")
	es, total := p.Profile()
	got := ""
	for _, e := range es {
		got += fmt.Sprintf("%s/%s/%d ", e.Name, e.Where, e.Samples)
	}
	if want := "TRACE 3/x.lua:7/12 interpreter//5 GC//2 compiler//1 "; got != want || total != 20 {
		t.Errorf("profile %q (total %d), want %q", got, total, want)
	}
	var w bytes.Buffer
	p.Write(&w)
	if !strings.Contains(w.String(), "jp:  60.0%  TRACE 3      x.lua:7") {
		t.Errorf("table:\n%s", w.String())
	}
}

// TestConfigProfile: -jp through Config prints a table at Finish. The
// trace loop runs long enough (20M iterations, 20-40 ms) for the 1 ms
// sampler to see it in every run.
func TestConfigProfile(t *testing.T) {
	c, _ := NewConfig()
	c.Stress = guard.Stress{}
	for _, a := range []string{"-jp"} {
		if ok, err := c.Flag(a, nil); !ok || err != nil {
			t.Fatalf("%s: %v %v", a, ok, err)
		}
	}
	var out, diag bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	c.Attach(L, &diag)
	src := "local t\nfor i = 1, 400000 do t = {i, i + 1} end\nlocal s = 0\nfor i = 1, 20000000 do s = s + i % 3 end\nprint(s, t[1])"
	if _, err := L.DoString("prog.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	c.Finish(L, &diag)
	d := diag.String()
	if !strings.HasPrefix(d, "jp: ") || !strings.Contains(d, "TRACE ") || !strings.Contains(d, "prog.lua:") {
		t.Errorf("-jp output:\n%s", d)
	}
	t.Logf("\n%s", d)
}

// TestPerfMapHook: each machine-code trace gets a perf map line naming it
// demolang:TRACE_n:file:line over its code.
func TestPerfMapHook(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skip("no machine-code backend on this host")
	}
	path := filepath.Join(t.TempDir(), "perf.map")
	pm := emit.OpenPerfMap(path)
	o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: be, Installed: PerfMapHook(pm, nil)}
	L := vm.New(vm.Options{Stdout: &bytes.Buffer{}})
	L.EnableJIT(o)
	_, err := L.DoString("dir/loop.lua", "local s = 0\nfor i = 1, 1000 do s = s + i end\nprint(s)")
	st := L.JITStats()
	L.DisableJIT()
	pm.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if st.Native == 0 || len(b) == 0 || len(lines) != st.Native {
		t.Fatalf("%d lines for %d machine-code traces:\n%s", len(lines), st.Native, b)
	}
	var addr, size uint64
	var name string
	if _, err := fmt.Sscanf(lines[0], "%x %x %s", &addr, &size, &name); err != nil || addr == 0 || size == 0 || name != "demolang:TRACE_1:loop.lua:2" {
		t.Errorf("line %q: %v", lines[0], err)
	}
}

func TestPerfMapName(t *testing.T) {
	for _, c := range []struct {
		id          int
		where, want string
	}{
		{1, "loop.lua:3", "demolang:TRACE_1:loop.lua:3"},
		{12, "/a/b/nbody.lua:40", "demolang:TRACE_12:nbody.lua:40"},
		{2, "noline", "demolang:TRACE_2:noline"},
	} {
		if got := PerfMapName(c.id, c.where); got != c.want {
			t.Errorf("PerfMapName(%d, %q) = %q, want %q", c.id, c.where, got, c.want)
		}
	}
}

// BenchmarkProfilerOverhead runs a hot loop (2M iterations, machine code
// where there is a backend) with and without the -jp sampler: the
// difference is the profiler's cost (the VM-state stores around each
// trace run plus a 1 ms sampling goroutine).
func BenchmarkProfilerOverhead(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("jp=%v", on), func(b *testing.B) {
			src := hotLoop(2000000)
			for b.Loop() {
				o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend()}
				p := NewProfiler(0)
				if on {
					p.Hook(&o)
					p.Start()
				}
				L := vm.New(vm.Options{Stdout: &bytes.Buffer{}})
				L.EnableJIT(o)
				if _, err := L.DoString("loop.lua", src); err != nil {
					b.Fatal(err)
				}
				L.DisableJIT()
				p.Stop()
			}
		})
	}
}

// ExamplePerfMapName shows how a trace is named in /tmp/perf-PID.map.
func ExamplePerfMapName() {
	fmt.Println(PerfMapName(3, "bench/nbody.lua:29"))
	// Output:
	// demolang:TRACE_3:nbody.lua:29
}

// TestProfileLinkedTraces: a side trace reached only through a machine-code
// link gets samples of its own. The root trace is entered from Go once;
// after 2000 iterations its guard fails on every iteration and the linked
// side trace runs the rest of the loop, so without the running-trace token
// every sample would name the root.
func TestProfileLinkedTraces(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	p := NewProfiler(0)
	o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: be}
	p.Hook(&o)
	L := vm.New(vm.Options{Stdout: io.Discard})
	L.EnableJIT(o)
	p.Start()
	src := "local s = 0\nfor i = 1, 10000000 do\n  if i > 2000 then s = s + i % 7 else s = s + 1 end\nend\nprint(s)"
	if _, err := L.DoString("linked.lua", src); err != nil {
		t.Fatal(err)
	}
	p.Stop()
	st := L.JITStats()
	L.DisableJIT()
	if st.Links == 0 || st.SideTraces == 0 {
		t.Fatalf("no linked side trace: %+v", st)
	}
	es, total := p.Profile()
	side := 0
	for _, e := range es {
		if e.Trace() > 1 {
			side += e.Samples
		}
	}
	var w bytes.Buffer
	p.Write(&w)
	t.Logf("%d samples\n%s", total, w.String())
	if side == 0 {
		t.Errorf("no sample names the linked side trace:\n%s", w.String())
	}
}
