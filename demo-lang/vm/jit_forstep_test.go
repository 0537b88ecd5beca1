package vm_test

import (
	"bytes"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/irkit"
)

// sloads counts the slot loads of a root loop trace of traces (the first
// one whose loop is at line; -1 if none).
func sloads(traces []vm.TraceInfo, line int) int {
	for _, ti := range traces {
		if ti.Parent != 0 || ti.End != "loop" || ti.Line != line {
			continue
		}
		n := 0
		for r := irkit.First; r < ti.IR.Next(); r++ {
			if ti.IR.Ins(r).Op == irkit.SLOAD {
				n++
			}
		}
		return n
	}
	return -1
}

// TestForStepConstant: a for loop whose step is a constant of the code
// (loaded right before its FORI) records the constant, with no load of
// the step's slot: its trace has one slot load fewer than the same loop
// stepping by a variable, and both count as the interpreter does.
func TestForStepConstant(t *testing.T) {
	const k = `local s = 0
for i = 1, 3000 do s = s + i * 0.5 end
print(s)
`
	const v = `local s, st = 0, 1
for i = 1, 3000, st do s = s + i * 0.5 end
print(s)
`
	outK, trK, _ := runUnroll(t, k, 15)
	outV, trV, _ := runUnroll(t, v, 15)
	if outK != "2250750\n" || outV != outK {
		t.Fatalf("printed %q and %q, want 2250750", outK, outV)
	}
	nk, nv := sloads(trK, 2), sloads(trV, 2)
	if nk < 0 || nv < 0 || nk != nv-1 {
		t.Errorf("slot loads: %d with a constant step, %d with a variable one; want one fewer", nk, nv)
	}
}

// TestForStepConditional: a step chosen by a condition (two constant
// loads, one jumping to the FORI) is not a constant: entries of the same
// loop with either step count as the interpreter does.
func TestForStepConditional(t *testing.T) {
	const src = `local s = 0
for r = 1, 400 do
  local k = r % 3 == 0
  for i = 1, 60, k and 3 or 1 do s = s + i end
  for i = 60, 1, k and -1 or -4 do s = s + i * 2 end
end
print(s)
`
	var want bytes.Buffer
	L := vm.New(vm.Options{Stdout: &want})
	if _, err := L.DoString("c.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	got, traces, _ := runUnroll(t, src, 15)
	if got != want.String() {
		t.Fatalf("JIT printed %q, interpreter %q", got, want.String())
	}
	if len(traces) == 0 {
		t.Fatal("no trace: the test exercises nothing")
	}
}
