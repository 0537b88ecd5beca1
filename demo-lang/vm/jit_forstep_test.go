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

// TestForControlSlotsUnguarded: in a for loop's body its index and stop
// slots hold numbers (the FORI coerced them), so the root trace loads them
// as numbers with no type guard; loops whose bounds are strings, coerced
// by the FORI, count as the interpreter does.
func TestForControlSlotsUnguarded(t *testing.T) {
	const src = `local s, n = 0, 3000
for i = 1, n do s = s + i * 0.5 end
print(s)
`
	out, traces, _ := runUnroll(t, src, 15)
	if out != "2250750\n" {
		t.Fatalf("printed %q", out)
	}
	// Slots (0-based) s 0, n 1, the loop's index 2, stop 3: IR slots 3, 4.
	found := 0
	for _, ti := range traces {
		if ti.Parent != 0 || ti.End != "loop" {
			continue
		}
		tr := ti.IR
		for r := irkit.First; r < tr.Next(); r++ {
			ins := tr.Ins(r)
			if ins.Op != irkit.SLOAD || (ins.Op1 != 3 && ins.Op1 != 4) {
				continue
			}
			found++
			if ins.T.Base() != irkit.TNum {
				t.Errorf("%s: the loop's slot %d loaded as %v, want num (no type guard)\n%s", tr.InsString(r), ins.Op1, ins.T.Base(), tr)
			}
		}
	}
	if found == 0 {
		t.Fatal("no root trace loads the loop's index or stop")
	}
	const strs = `local s = 0
for r = 1, 300 do
  for i = "1", "30" do s = s + i * 0.5 end
  for i = "40", 1, "-3" do s = s - i end
end
print(s)
`
	var want bytes.Buffer
	L := vm.New(vm.Options{Stdout: &want})
	if _, err := L.DoString("s.lua", strs); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	got, traces, _ := runUnroll(t, strs, 15)
	if got != want.String() || len(traces) == 0 {
		t.Fatalf("JIT printed %q with %d traces, interpreter %q", got, len(traces), want.String())
	}
}
