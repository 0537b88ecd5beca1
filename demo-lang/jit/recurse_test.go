package jit

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// TestRecursionTraces: a recursive function becomes a handful of traces
// that call and return through one another (-jv names their ends), and the
// recursion runs in them: few entries from Go. Mutual recursion too. The tree builder allocates
// in its traces and returns all its results to a table constructor
// (TSETM after a return to a CALL with B=0).
func TestRecursionTraces(t *testing.T) {
	src := `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local function mk(d) if d == 0 then return {} end d = d - 1 return {mk(d), mk(d)} end
local function chk(t) if t[1] then return 1 + chk(t[1]) + chk(t[2]) end return 1 end
local even, odd
function even(k) if k == 0 then return true end local r = odd(k - 1) return r end
function odd(k) if k == 0 then return false end local r = even(k - 1) return r end
local n, e = 0, 0
for i = 1, 60 do n = n + chk(mk(12)) end
for i = 1, 500 do if even(i) then e = e + 1 end end
print(fib(24), n, e)`
	want, _ := runSrc(src, nil)
	var v bytes.Buffer
	o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend(), Verbose: &v}
	got, st, err := runSrcStats(src, &o)
	if err != nil || got != want {
		t.Fatalf("got %q (err %v), want %q", got, err, want)
	}
	for _, w := range []string{"up-recursion", "-> return"} {
		if !strings.Contains(v.String(), w) {
			t.Errorf("-jv shows no %q trace:\n%s", w, v.String())
		}
	}
	// fib(24) alone makes 75,025 calls, the trees 1,000,000.
	t.Logf("%d traces, %d entries from Go, %d exits, aborts %v", st.Traces, st.Entries, st.Exits, st.Aborts)
	if st.Traces > 45 {
		t.Errorf("%d traces; want at most 45", st.Traces)
	}
	if o.Backend != nil && st.Entries > 5000 {
		t.Errorf("%d entries from Go; want the recursion to stay in machine code", st.Entries)
	}
}

// TestLimitsInRecursion: an endless tail recursion runs as one trace linked
// to itself, which only Go's preemption or the VM's interrupt leaves; the
// instruction and time limits still stop it, and the error names the
// function's line (a trace leaves its frame at pc 0, which has no
// bytecode before it: line 0 before the fix).
func TestLimitsInRecursion(t *testing.T) {
	for _, lim := range []vm.Options{{InstructionLimit: 2_000_000}, {TimeLimit: 100 * time.Millisecond}} {
		L := vm.New(lim)
		L.EnableJIT(vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend()})
		_, err := L.DoString("t", "local function f(n) return f(n + 1) end\nf(1)")
		st := L.JITStats()
		L.DisableJIT()
		if err == nil || !strings.Contains(err.Error(), "limit exceeded") || !strings.HasPrefix(err.Error(), "t:1:") {
			t.Errorf("%+v: err = %v; want t:1: ... limit exceeded", lim, err)
		}
		if st.Traces == 0 {
			t.Errorf("%+v: the recursion did not run as a trace", lim)
		}
	}
	// A long tree recursion, linked in machine code from call to call
	// and return to return: the links check, so the time limit stops
	// it.
	L := vm.New(vm.Options{TimeLimit: 100 * time.Millisecond})
	L.EnableJIT(vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend()})
	t0 := time.Now()
	_, err := L.DoString("t", "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\nprint(fib(60))")
	L.DisableJIT()
	if err == nil || !strings.Contains(err.Error(), "time limit exceeded") || time.Since(t0) > 5*time.Second {
		t.Errorf("fib(60) under a 100 ms limit: err = %v after %v; want a time limit error", err, time.Since(t0))
	}
}

// fib20Src prints fib(20), 6765, through the recursion's traces.
const fib20Src = `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end print(fib(20))`

// TestRecursionTraceLoads counts the memory reads of fib's traces. fib
// is its function's only closure: the traces guard it by value and read
// its upvalue directly, and the recursive call compares the callee with
// it, instead of loading the closure, its upvalue and the callee's
// closure and prototype. A return into the same closure compares the
// records' closure indexes instead of loading the caller's closure and
// prototype, and a side trace knows the constants its parent's exit
// wrote. Before those, a trace that ends in the recursive call read 17
// words and one that returns 11 or 12; now 11 and at most 10.
func TestRecursionTraceLoads(t *testing.T) {
	traces := nativeTraces(t, fib20Src, "6765\n")
	loads := func(tr *irkit.Trace) int {
		n := 0
		for r := irkit.First; r < irkit.First+irkit.Ref(tr.Len()); r++ {
			switch tr.Ins(r).Op {
			case irkit.SLOAD, irkit.FLOAD, irkit.ALOAD, irkit.XLOAD:
				n++
			}
		}
		return n
	}
	var ups, rets int
	for _, ti := range traces {
		n := loads(ti.IR)
		switch {
		case ti.End == "up-recursion":
			ups++
			if n > 11 {
				t.Errorf("trace %d ends in the recursive call and reads %d words, want at most 11:\n%s", ti.ID, n, ti.IR)
			}
		case strings.HasPrefix(ti.End, "return"):
			rets++
			if n > 10 {
				t.Errorf("trace %d returns and reads %d words, want at most 10:\n%s", ti.ID, n, ti.IR)
			}
		}
	}
	if ups < 2 || rets < 2 {
		t.Errorf("%d traces end in the recursive call and %d return, want at least 2 of each", ups, rets)
	}
}

// TestClosureSpecialization: a main chunk's function with one closure
// gets its traces specialized on that closure (a guard of the function
// slot against the closure's value), a function made by another
// function does not: queens' place, made anew by each solve, failed the
// guard in every run after the first, filled its trees with side traces
// and had them flushed (0.52 s instead of 0.25 s).
func TestClosureSpecialization(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end print(fib(18))`, true},
		{`local function solve() local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(18) end print(solve())`, false},
	} {
		var out bytes.Buffer
		L := vm.New(vm.Options{Stdout: &out})
		L.EnableJIT(vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend()})
		if _, err := L.DoString("t", c.src); err != nil {
			t.Fatal(err)
		}
		L.Flush()
		got := false
		for _, ti := range L.JITTraces() {
			tr := ti.IR
			for r := irkit.First; r < irkit.First+irkit.Ref(tr.Len()); r++ {
				in := tr.Ins(r)
				if in.Op == irkit.EQ && in.Op1.IsIns() && tr.Ins(in.Op1).Op == irkit.SLOAD && tr.Ins(in.Op1).Op1 == 0 && in.Op2.IsConst() {
					got = true
				}
			}
		}
		L.DisableJIT()
		if out.String() != "2584\n" || got != c.want {
			t.Errorf("%s: printed %q, function slot guarded by value %v, want %v", c.src, out.String(), got, c.want)
		}
	}
}
