package vm_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

// runUnroll runs src under the JIT (IR interpreter) with the given
// loopunroll parameter and returns its output, traces and counters.
func runUnroll(t *testing.T, src string, unroll int) (string, []vm.TraceInfo, vm.JITStats) {
	t.Helper()
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	o := guard.DefaultOptions()
	o.LoopUnroll = unroll
	L.EnableJIT(vm.JITOptions{Opt: o})
	defer L.DisableJIT()
	if _, err := L.DoString("u.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	return out.String(), L.JITTraces(), L.JITStats()
}

// forls counts the FORL bytecodes of each source line a trace recorded.
func forls(ti vm.TraceInfo) map[int]int {
	n := map[int]int{}
	for _, b := range ti.Bytecodes {
		if strings.HasPrefix(b.Text, "FORL") {
			n[b.Line]++
		}
	}
	return n
}

const inner2Src = `local s = 0
for i = 1, 30000 do
  for j = 1, 2 do s = s + j * i end
end
print(s)
`

// TestUnrollShortInnerLoop: the inner loop runs two rounds per entry. Its
// own root trace leaves it, so the outer loop's root trace records
// through it, as LuaJIT's does: the inner FORL twice (the round goes on,
// then the loop ends), then the outer FORL. With -Oloopunroll=0 no root
// trace crosses the inner loop's back edge.
func TestUnrollShortInnerLoop(t *testing.T) {
	out, traces, st := runUnroll(t, inner2Src, 15)
	if out != "1350045000\n" {
		t.Fatalf("printed %q", out)
	}
	found := false
	for _, ti := range traces {
		if f := forls(ti); ti.Parent == 0 && ti.End == "loop" && f[3] == 2 && f[2] == 1 {
			found = true
		}
	}
	if !found || st.Aborts["leaving loop in root trace"] == 0 {
		var b strings.Builder
		for _, ti := range traces {
			b.WriteString(ti.End + " ")
			for _, bc := range ti.Bytecodes {
				b.WriteString(bc.Text + "; ")
			}
			b.WriteString("\n")
		}
		t.Errorf("no root trace with the inner FORL twice, then the outer one (aborts %v):\n%s", st.Aborts, b.String())
	}
	_, traces, _ = runUnroll(t, inner2Src, 0)
	for _, ti := range traces {
		if f := forls(ti); ti.Parent == 0 && f[3] > 1 {
			t.Errorf("loopunroll=0: root trace %d unrolls the inner loop (%v)", ti.ID, f)
		}
	}
}

// TestLongInnerLoopKeepsTrace: an inner loop of 200 rounds is not
// unrolled; it gets a root trace of its own, which no root trace crosses.
func TestLongInnerLoopKeepsTrace(t *testing.T) {
	const src = `local s = 0
for i = 1, 300 do
  for j = 1, 200 do s = s + (i + j) % 5 end
end
print(s)
`
	_, traces, _ := runUnroll(t, src, 15)
	own := false
	for _, ti := range traces {
		f := forls(ti)
		if ti.Parent == 0 && ti.End == "loop" && f[3] == 1 && f[2] == 0 {
			own = true
		}
		if ti.Parent == 0 && f[3] > 1 {
			t.Errorf("root trace %d unrolls the long loop (%v)", ti.ID, f)
		}
	}
	if !own {
		t.Errorf("the inner loop has no root trace of its own")
	}
}

// TestUnrollLimit: five nested loops of two rounds each, all short (each
// one's own root trace leaves it): the outer loop's root trace would pass
// 1+2+4+8+16 = 31 of their back edges, more than loopunroll allows, so it
// aborts with that reason, and no trace passes more back edges than the
// bound.
func TestUnrollLimit(t *testing.T) {
	const src = `local s = 0
for i = 1, 3000 do
  for a = 1, 2 do for b = 1, 2 do for c = 1, 2 do for d = 1, 2 do for e = 1, 2 do
    s = s + a * b + c * d * e
  end end end end end
end
print(s)
`
	out, traces, st := runUnroll(t, src, 15)
	if out != "540000\n" {
		t.Fatalf("printed %q", out)
	}
	if st.Aborts["loop unroll limit"] == 0 {
		t.Errorf("no abort for the unroll limit: %v", st.Aborts)
	}
	for _, ti := range traces {
		n := 0
		for _, c := range forls(ti) {
			n += c
		}
		if n > 15+6 { // and the FORLs that end the loops
			t.Errorf("trace %d records %d FORLs", ti.ID, n)
		}
	}
}
