package jit

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

// TestNativeCompilesBench: on a host with a machine-code backend, the
// traces of the numeric bench programs are all compiled to machine code
// (none refused), and -jv names the host architecture.
func TestNativeCompilesBench(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	if be.Name() != runtime.GOARCH {
		t.Fatalf("backend %q on %s", be.Name(), runtime.GOARCH)
	}
	sizes := quickSizes(t)
	for _, name := range []string{"loop", "sieve", "mandelbrot", "nbody", "spectral", "matmul", "fannkuch", "oop"} {
		var v bytes.Buffer
		o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: be, Verbose: &v}
		_, st, err := runBench(name, sizes[name], &o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Traces == 0 || st.Native != st.Traces {
			t.Errorf("%s: %d traces, %d in machine code; want all:\n%s", name, st.Traces, st.Native, v.String())
		}
		if want := "(" + runtime.GOARCH + ", "; !strings.Contains(v.String(), want) {
			t.Errorf("%s: -jv lacks %q:\n%s", name, want, v.String())
		}
	}
}

// TestNativeFloatPow: a loop with float POW gives the interpreter's
// result under the machine-code backend, with guards forced to exit and
// without, and every trace is machine code whose POW is a call-out to
// math.Pow (neither amd64 nor arm64 has a machine-code math.Pow).
func TestNativeFloatPow(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	const src = `local s, t = 0, {}
for i = 1, 2000 do
  local x = (i % 7 + 0.5) ^ 1.5 + 2 ^ (i % 5) - (i % 3) ^ -0.5
  t[i % 10 + 1] = x
  s = s + x
end
print(string.format("%.17g", s), t[1], t[10])`
	run := func(o *vm.JITOptions) (string, vm.JITStats) {
		out, st, err := runSrcStats(src, o)
		if err != nil {
			t.Fatal(err)
		}
		return out, st
	}
	want, _ := run(nil)
	modes := []string{"off", "all", "random:3"}
	if os.Getenv("JITKIT_QEMU") == "1" {
		modes = modes[:2]
	}
	for _, m := range modes {
		stress, err := guard.ParseStress(m)
		if err != nil {
			t.Fatal(err)
		}
		var v bytes.Buffer
		got, st := run(&vm.JITOptions{Opt: guard.DefaultOptions(), Stress: stress, Backend: be, Verbose: &v})
		if got != want {
			t.Errorf("stress=%s: got %q, interpreter %q", m, got, want)
		}
		if st.Traces == 0 {
			t.Errorf("stress=%s: no trace formed:\n%s", m, v.String())
		}
		if st.Native != st.Traces {
			t.Errorf("stress=%s: %d of %d traces in machine code:\n%s", m, st.Native, st.Traces, v.String())
		}
	}
}
