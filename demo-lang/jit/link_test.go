package jit

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/guard"
)

// nestSrc is a loop nest whose inner loop runs eight iterations for a
// while, long enough to get a root trace, and then two: the root trace
// (its first iteration peeled) leaves through the loop's exit before
// reaching its back edge, and a side trace from that exit runs the outer
// body and links back to the inner trace. From then on the run never
// passes a back edge, so only the link stubs' checks can give the
// goroutine back to Go.
const nestSrc = `local s = 0
for i = 1, N do
  for j = 1, i < 300 and 8 or 2 do s = s + j * 0.5 end
  s = s - 1.5
end
print(s)`

func runNest(t *testing.T, n string, o *vm.JITOptions, opts vm.Options) (string, vm.JITStats, error) {
	t.Helper()
	var out bytes.Buffer
	opts.Stdout = &out
	L := vm.New(opts)
	if o != nil {
		L.EnableJIT(*o)
	}
	_, err := L.DoString("nest", strings.Replace(nestSrc, "N", n, 1))
	L.Flush()
	st := L.JITStats()
	L.DisableJIT()
	return out.String(), st, err
}

// TestLinkedNest: a loop nest becomes a trace tree linked in machine code
// (exits to Go only when the runtime asks for the goroutine), and prints
// what the interpreter prints, with and without forced exits.
func TestLinkedNest(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	want, _, err := runNest(t, "20000", nil, vm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"off", "all", "random:7"} {
		stress, err := guard.ParseStress(m)
		if err != nil {
			t.Fatal(err)
		}
		var v bytes.Buffer
		o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend(), Stress: stress, Verbose: &v}
		got, st, err := runNest(t, "20000", &o, vm.Options{})
		if err != nil || got != want {
			t.Fatalf("stress=%s: got %q, %v; interpreter %q", m, got, err, want)
		}
		if m != "off" {
			continue
		}
		if st.SideTraces == 0 || st.Links < 2 {
			t.Errorf("%d side traces, %d links in machine code; want a linked tree:\n%s", st.SideTraces, st.Links, v.String())
		}
		if st.Exits > 100 {
			t.Errorf("%d exits to Go for 20000 outer iterations; the links do not hold:\n%s", st.Exits, v.String())
		}
	}
}

// TestLinkedNestYields: while linked traces run (no back edge in the
// cycle), a runtime.GC from another goroutine completes promptly, and the
// VM's time limit stops the program.
func TestLinkedNestYields(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	base := lowertest.GCTime(3)
	done := make(chan error, 1)
	var st vm.JITStats
	start := time.Now()
	go func() {
		o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: be}
		var err error
		_, st, err = runNest(t, "1e12", &o, vm.Options{TimeLimit: 1500 * time.Millisecond})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	const k = 10
	var worst time.Duration
	for i := 0; i < k; i++ {
		t0 := time.Now()
		runtime.GC()
		worst = max(worst, time.Since(t0))
	}
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "time limit exceeded") {
		t.Fatalf("err = %v, want time limit exceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %v", d)
	}
	if st.Links == 0 {
		t.Errorf("no links in machine code: %+v", st)
	}
	t.Logf("slowest of %d GCs while linked traces ran: %v (a GC alone: %v)", k, worst, base)
	// Without the stubs' checks a GC waits for the time limit (1.5 s); the
	// JIT promises 1 ms on a quiet machine, and the bound leaves room for
	// a loaded one.
	if limit := 5*base + 150*time.Millisecond; worst > limit {
		t.Errorf("a GC took %v while linked traces ran (limit %v)", worst, limit)
	}
}

// deepSrc has a loop nest in a function called from loops at three call
// sites and from two callers: side traces from the inner loop's exits
// return into the caller, guarding the caller's function and CALL from
// the frame records, continue there and call the function again; they
// must not continue a caller they were not recorded with.
const deepSrc = `local function inner(t, n)
  local s = 0
  for i = 1, n do
    local ti = t[i]
    for j = i + 1, n do s = s + ti * t[j] end
  end
  return s
end
local t = {}
for i = 1, 8 do t[i] = i * 0.25 end
local acc = 0
for k = 1, 3000 do
  acc = acc + inner(t, 8)
  if k % 3 == 0 then acc = acc - inner(t, 5) end
end
local function other(n) return inner(t, n) + 1 end
for k = 1, 2000 do acc = acc + other(6) + inner(t, 7) end
print(acc)`

// TestDeepSideTraces: the side traces from the inner loop's exits return
// into the caller in machine code (recRetDown, which guards the caller
// from the frame records) and the continuations call inner again, pushing
// its record, so the runs stay in machine code across calls; the program
// prints what the interpreter prints, with forced exits too (the answer
// is wrong if a return continues in the wrong caller).
func TestDeepSideTraces(t *testing.T) {
	be := NativeBackend()
	if be == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	run := func(o *vm.JITOptions) (string, vm.JITStats) {
		out, st, err := runSrcStats(deepSrc, o)
		if err != nil {
			t.Fatal(err)
		}
		return out, st
	}
	want, _ := run(nil)
	for _, m := range []string{"off", "all", "random:5"} {
		stress, err := guard.ParseStress(m)
		if err != nil {
			t.Fatal(err)
		}
		var v bytes.Buffer
		// Without inner-loop unrolling: the callers' loops would
		// otherwise unroll the short loops of inner (n = 5 to 8) into
		// their own traces, with no side trace from the caller's frame.
		opt := guard.DefaultOptions()
		opt.LoopUnroll = 0
		got, st := run(&vm.JITOptions{Opt: opt, Backend: NativeBackend(), Stress: stress, Verbose: &v})
		if got != want {
			t.Errorf("stress=%s: got %q, interpreter %q\n%s", m, got, want, v.String())
		}
		if m != "off" {
			continue
		}
		if !strings.Contains(v.String(), "-> return") {
			t.Errorf("no side trace returns into the caller:\n%s", v.String())
		}
		// 3000+1000 calls from the first loop's two sites, 4000 from the
		// second loop's: 8986 runs entered from Go when every call came
		// back to Go, 6100 with deep side traces linked by caller key,
		// 112 with returns and calls in machine code.
		if st.Entries > 1000 {
			t.Errorf("%d entries from Go; want at most 1000", st.Entries)
		}
		t.Logf("%d keyed links, %d entries from Go", st.KeyedLinks, st.Entries)
	}
}
