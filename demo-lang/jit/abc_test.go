package jit

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// nativeTraces runs src with the JIT on machine code, fails t unless it
// prints want (what the interpreter prints, if want is ""), and returns
// its traces.
func nativeTraces(t *testing.T, src, want string) []vm.TraceInfo {
	t.Helper()
	if want == "" {
		want, _ = runSrc(src, nil)
	}
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	L.EnableJIT(vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend()})
	t.Cleanup(L.DisableJIT) // the traces' code stays readable until the test ends
	if _, err := L.DoString("t.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	if out.String() != want {
		t.Fatalf("JIT printed %q, want %q", out.String(), want)
	}
	return L.JITTraces()
}

// loopGuards counts, in the optimized root loop trace that starts at
// line, the bounds guards (ULT) and the loads of a table's array header
// (FLOAD #0: its data, #8: its length) before and after the LOOP marker;
// ok is false if there is no such trace.
func loopGuards(traces []vm.TraceInfo, line int) (preULT, bodyULT, bodyHdr int, tr *irkit.Trace, ok bool) {
	for _, ti := range traces {
		if ti.Parent != 0 || ti.End != "loop" || ti.Line != line {
			continue
		}
		tr = ti.IR
		loop := false
		for r := irkit.First; r < tr.Next(); r++ {
			switch ins := tr.Ins(r); ins.Op {
			case irkit.LOOP:
				loop = true
			case irkit.ULT:
				if loop {
					bodyULT++
				} else {
					preULT++
				}
			case irkit.FLOAD:
				if loop && tr.Ins(ins.Op1).Op == irkit.ALOAD && (ins.Op2 == 0 || ins.Op2 == 8) {
					bodyHdr++
				}
			}
		}
		return preULT, bodyULT, bodyHdr, tr, loop
	}
	return 0, 0, 0, nil, false
}

// TestLoopBoundsGuard: array reads and writes at the index of the root
// trace's own for loop (constant start, positive constant step) are
// guarded once, on the highest index the loop reaches, before the loop
// (the recorder's loopBound), and the arrays' headers, which no array
// store changes (irkit.Builder.FieldsDisjoint), are loaded there too: the
// loop body has neither left. The abc-* programs of TestDifferential hold
// the guards' exits against the interpreter.
func TestLoopBoundsGuard(t *testing.T) {
	if NativeBackend() == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	const src = `local n = 300
local t, u = {}, {}
for i = 1, n do t[i] = i * 0.5; u[i] = 0 end
local s = 0
for r = 1, 40 do
  for k = 1, n do
    s = s + t[k]
    u[k] = s
  end
end
print(s, u[n])
`
	traces := nativeTraces(t, src, "")
	pre, body, hdr, tr, ok := loopGuards(traces, 7)
	if !ok {
		t.Fatal("no optimized root loop trace of the inner loop (line 7)")
	}
	if body != 0 || pre == 0 || hdr != 0 {
		t.Errorf("bounds guards: %d before the loop, %d in it; header loads in it: %d; want some guards before, none in it, no header loads\n%s", pre, body, hdr, tr)
	}
}
