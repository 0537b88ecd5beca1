package jit

import (
	"strings"
	"testing"
)

// TestRecursionMachineCode: fib's traces as amd64 machine code, as
// emit/amd64 lowers them since the record push and pop were trimmed:
// the up-recursion traces store the record's constant fields as
// immediates (no register loaded with them at the entry) and load their
// float constants from the trace's pool;
// the return traces address the two top records as displacements off
// n*4 (lea -0x20(...), lea -0x40(...), no add of -4 or -8) and compare
// the records' fields in memory. fib(20) prints 6765.
func TestRecursionMachineCode(t *testing.T) {
	var ups, rets int
	for _, ti := range nativeTraces(t, fib20Src, "6765\n") {
		if ti.Code == nil {
			t.Fatalf("trace %d has no machine code", ti.ID)
		}
		code := ti.Code.Disasm()
		switch {
		case ti.End == "up-recursion":
			ups++
			if n := strings.Count(code, "movl $0x"); n < 5 {
				t.Errorf("trace %d: %d immediate stores, want the record's 5 constant fields at least:\n%s", ti.ID, n, code)
			}
			if strings.Contains(code, "movq %r11,%xmm") {
				t.Errorf("trace %d loads a float constant through R11, not from its pool:\n%s", ti.ID, code)
			}
		case strings.HasPrefix(ti.End, "return"):
			rets++
			if strings.Contains(code, "add $-0x4,") || strings.Contains(code, "add $-0x8,") {
				t.Errorf("trace %d computes a record's index with an add:\n%s", ti.ID, code)
			}
			if !strings.Contains(code, "lea -0x20(") || !strings.Contains(code, "cmpl $0x0,0x18(") {
				t.Errorf("trace %d: no record at -0x20 off n*4, or its kind not compared in memory:\n%s", ti.ID, code)
			}
		}
	}
	if ups < 2 || rets < 2 {
		t.Errorf("%d traces end in the recursive call and %d return, want at least 2 of each", ups, rets)
	}
}
