package jit

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

const benchDir = "../../../shared/bench"

// quickSizes reads quick-sizes.txt: program name -> its argument.
func quickSizes(t *testing.T) map[string]string {
	f, err := os.Open(filepath.Join(benchDir, "quick-sizes.txt"))
	if err != nil {
		t.Skipf("bench programs not found: %v", err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) == 2 {
			m[fs[0]] = fs[1]
		}
	}
	return m
}

// runBench runs bench program name with argument size under the JIT
// options o (nil: no JIT) and returns its output and statistics.
func runBench(name, size string, o *vm.JITOptions) (string, vm.JITStats, error) {
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	path := filepath.Join(benchDir, name+".lua")
	at := L.NewTable()
	L.RawSetInt(at, 0, L.String(path))
	L.RawSetInt(at, 1, L.String(size))
	L.SetGlobal("arg", at)
	if o != nil {
		L.EnableJIT(*o)
	}
	_, err := L.DoFile(path)
	L.Flush()
	st := L.JITStats()
	L.DisableJIT()
	return out.String(), st, err
}

// TestBenchPrograms runs every bench program at its quick size with the
// JIT on, with every guard forced to exit, and with seeded random subsets
// of guards forced, and compares each output with the reference output
// of Lua 5.1.
func TestBenchPrograms(t *testing.T) {
	sizes := quickSizes(t)
	names := make([]string, 0, len(sizes))
	for n := range sizes {
		names = append(names, n)
	}
	modes := []string{"off", "all", "random:1", "random:7:2"}
	if testing.Short() || os.Getenv("JITKIT_QEMU") == "1" {
		modes = modes[:2]
	}
	for _, native := range []bool{false, true} {
		be := NativeBackend()
		if native && be == nil {
			continue
		}
		for _, name := range names {
			want, err := os.ReadFile(filepath.Join(benchDir, name+".quick.out"))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range modes {
				st, err := guard.ParseStress(m)
				if err != nil {
					t.Fatal(err)
				}
				o := vm.JITOptions{Opt: guard.DefaultOptions(), Stress: st}
				if native {
					o.Backend = be
				}
				t.Run(fmt.Sprintf("%s/native=%v/stress=%s", name, native, m), func(t *testing.T) {
					got, stats, err := runBench(name, sizes[name], &o)
					if err != nil {
						t.Fatalf("run: %v", err)
					}
					if got != string(want) {
						t.Fatalf("output differs from %s.quick.out:\n%s", name, diffLines(got, string(want)))
					}
					if m == "off" {
						t.Logf("%d traces (%d native), %d entries, %d exits, aborts %v", stats.Traces, stats.Native, stats.Entries, stats.Exits, stats.Aborts)
					}
				})
			}
		}
	}
}

// TestTracesForm checks that the hot loops of the bench programs do
// become traces and run (so the correctness test above is not vacuous),
// and the hot functions of the recursive ones (fib, binarytrees) function
// traces.
func TestTracesForm(t *testing.T) {
	sizes := quickSizes(t)
	for _, name := range []string{"loop", "sieve", "mandelbrot", "nbody", "spectral", "matmul", "fannkuch", "closures", "oop", "queens", "strings", "fib", "binarytrees"} {
		o := vm.JITOptions{Opt: guard.DefaultOptions()}
		_, st, err := runBench(name, sizes[name], &o)
		if err != nil {
			t.Fatal(err)
		}
		if st.Traces == 0 || st.Entries == 0 {
			t.Errorf("%s: %d traces, %d entries; want some (aborts %v)", name, st.Traces, st.Entries, st.Aborts)
		}
	}
	// fannkuch's permutation loops branch: hot exits get side traces.
	o := vm.JITOptions{Opt: guard.DefaultOptions()}
	if _, st, err := runBench("fannkuch", sizes["fannkuch"], &o); err != nil || st.SideTraces == 0 {
		t.Errorf("fannkuch: %d side traces (err %v); want some", st.SideTraces, err)
	}
}

// diffLines shows the first differing line of two outputs.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, a, b)
		}
	}
	return "(equal)"
}

// TestNumericInTraces: the numeric bench programs, and fib's recursion,
// leave almost all their work to traces. The measure is the interpreter's own count of executed
// bytecodes (vm.State.Steps), which a trace entry charges as one, against
// the same run without the JIT: deterministic, unlike a time profile.
func TestNumericInTraces(t *testing.T) {
	sizes := quickSizes(t)
	steps := func(name string, o *vm.JITOptions) int64 {
		L := vm.New(vm.Options{Stdout: io.Discard})
		path := filepath.Join(benchDir, name+".lua")
		at := L.NewTable()
		L.RawSetInt(at, 0, L.String(path))
		L.RawSetInt(at, 1, L.String(sizes[name]))
		L.SetGlobal("arg", at)
		if o != nil {
			L.EnableJIT(*o)
		}
		if _, err := L.DoFile(path); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := L.Steps()
		L.DisableJIT()
		return n
	}
	for _, name := range []string{"loop", "mandelbrot", "nbody", "spectral", "fannkuch", "sieve", "matmul", "fib"} {
		off := steps(name, nil)
		on := steps(name, &vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend()})
		share := float64(on) / float64(off)
		t.Logf("%-10s interpreter steps: %9d with the JIT, %9d without (%.1f%%)", name, on, off, 100*share)
		if share > 0.10 {
			t.Errorf("%s: the interpreter still runs %.0f%% of the bytecodes with the JIT on", name, 100*share)
		}
	}
}
