package vm_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// TestJITTraces runs a loop with a hot branch on the IR interpreter and
// checks the trace records JITTraces returns: the root and its side trace
// point at each other, the counters add up to JITStats, and the bytecodes
// carry their source lines.
func TestJITTraces(t *testing.T) {
	if got := vm.New(vm.Options{}).JITTraces(); got != nil {
		t.Fatalf("JITTraces without a JIT = %v, want nil", got)
	}
	const src = "local s = 0\nfor i = 1, 3000 do\n  if i % 3 == 0 then s = s + i else s = s - 1 end\nend\nprint(s)\n"
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	o := guard.DefaultOptions()
	o.HotLoop = 5
	L.EnableJIT(vm.JITOptions{Opt: o})
	defer L.DisableJIT()
	if _, err := L.DoString("loop.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	traces := L.JITTraces()
	st := L.JITStats()
	if len(traces) != st.Traces || st.SideTraces == 0 {
		t.Fatalf("%d traces, stats %+v", len(traces), st)
	}
	byID := map[int]vm.TraceInfo{}
	var entries, exits int64
	for _, ti := range traces {
		byID[ti.ID] = ti
		entries += ti.Entries
		for _, n := range ti.Exits {
			exits += n
		}
		if ti.Code != nil {
			t.Errorf("trace %d has machine code without a backend", ti.ID)
		}
		if ti.Chunk != "loop.lua" || ti.Line != 3 || len(ti.Bytecodes) == 0 {
			t.Errorf("trace %d: %s:%d, %d bytecodes", ti.ID, ti.Chunk, ti.Line, len(ti.Bytecodes))
		}
		for _, b := range ti.Bytecodes {
			if b.Line < 2 || b.Line > 3 || b.Text == "" || strings.HasPrefix(b.Text, "0") {
				t.Errorf("trace %d: bytecode %+v", ti.ID, b)
			}
		}
		if len(ti.InsBytecode) != ti.IR.Len() || len(ti.SnapBytecode) != len(ti.IR.Snaps) ||
			len(ti.Exits) != len(ti.IR.Snaps) || len(ti.Sides) != len(ti.IR.Snaps) {
			t.Errorf("trace %d: per-instruction or per-snapshot slices of the wrong length", ti.ID)
		}
		for i, k := range ti.InsBytecode {
			if k >= len(ti.Bytecodes) || ti.IR.Ins(irkit.First+irkit.Ref(i)).Op == irkit.DIV && k < 0 {
				t.Errorf("trace %d: instruction %d maps to bytecode %d", ti.ID, i+1, k)
			}
		}
	}
	if entries != st.Entries || exits != st.Exits {
		t.Errorf("entries %d, exits %d; JITStats says %d, %d", entries, exits, st.Entries, st.Exits)
	}
	for _, ti := range traces {
		if ti.Parent == 0 {
			if ti.Root != ti.ID || ti.ParentExit != -1 {
				t.Errorf("root trace %d: root %d, parent exit %d", ti.ID, ti.Root, ti.ParentExit)
			}
			continue
		}
		p, ok := byID[ti.Parent]
		if !ok || p.Sides[ti.ParentExit] != ti.ID {
			t.Errorf("side trace %d of %d/%d is not linked from its parent's exit", ti.ID, ti.Parent, ti.ParentExit)
		}
	}
}

// TestSideTracesInheritNumbers checks that a side trace loads the slots
// its parent's exit wrote numbers to as numbers, without a type guard
// (knownNumbers), and that the program's answer is the interpreter's.
// The inner loop's exit has a side trace that runs the outer loop's
// body and enters the inner loop again, reading zr, zi, cr, ci and the
// loop counters the exit wrote.
func TestSideTracesInheritNumbers(t *testing.T) {
	const src = `local n = 0
for y = 0, 59 do
  local ci = y / 30 - 1
  for x = 0, 59 do
    local cr = x / 30 - 1.5
    local zr, zi = 0.0, 0.0
    for k = 1, 20 do
      local zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4 then break end
      zi = 2 * zr * zi + ci
      zr = zr2 - zi2 + cr
    end
    if zr * zr + zi * zi <= 4 then n = n + 1 end
  end
end
print(n)
`
	o := guard.DefaultOptions()
	o.HotLoop, o.HotExit = 7, 3
	traces := runSame(t, src, o)
	byID := map[int]vm.TraceInfo{}
	for _, ti := range traces {
		byID[ti.ID] = ti
	}
	inherited := 0
	for _, ti := range traces {
		if ti.Parent == 0 {
			continue
		}
		pt := byID[ti.Parent].IR
		isNum := map[int]bool{}
		for _, e := range pt.Entries(ti.ParentExit) {
			if ty := pt.Ins(e.Ref()).T.Base(); e.Flags() == 0 && (ty == irkit.TNum || ty == irkit.TInt) {
				isNum[e.Slot()] = true
			}
		}
		for r := irkit.First; r < ti.IR.Next(); r++ {
			ins := ti.IR.Ins(r)
			if ins.Op != irkit.SLOAD || !isNum[int(ins.Op1)] {
				continue
			}
			if ins.T.Base() != irkit.TNum {
				t.Errorf("trace %d (%d/%d): %s loads a slot its parent's exit wrote a number to as %v",
					ti.ID, ti.Parent, ti.ParentExit, ti.IR.InsString(r), ins.T)
			}
			inherited++
		}
	}
	if inherited == 0 {
		t.Errorf("no side trace loaded a slot as a number its parent wrote; traces: %d", len(traces))
	}
}

// runSame runs src without the JIT and with it (options o, traces on the
// IR interpreter), fails t unless both print the same, and returns the
// traces.
func runSame(t *testing.T, src string, o guard.Options) []vm.TraceInfo {
	t.Helper()
	run := func(jit bool) (string, []vm.TraceInfo) {
		var out bytes.Buffer
		L := vm.New(vm.Options{Stdout: &out})
		if jit {
			L.EnableJIT(vm.JITOptions{Opt: o})
			defer L.DisableJIT()
		}
		if _, err := L.DoString("t.lua", src); err != nil {
			t.Fatal(err)
		}
		L.Flush()
		return out.String(), L.JITTraces()
	}
	want, _ := run(false)
	got, traces := run(true)
	if got != want {
		t.Fatalf("with the JIT %q, without %q", got, want)
	}
	return traces
}

// TestLoadedNumbersUnboxed: a number loaded from an array element, a
// string-keyed field, a global or a raw-get helper call is type-checked
// and unboxed once, at the load, and the slot it goes to holds the
// number: no snapshot entry names the boxed word of a load whose type the
// trace checked to be a number (on amd64 the word then needs no register:
// the check and the unboxing read memory).
func TestLoadedNumbersUnboxed(t *testing.T) {
	const src = `g = 0.5
local a, p, h = {}, {x = 1.5, y = 2}, {}
for i = 1, 100 do a[i] = i * 0.25 end
h[1000] = 3
local s = 0
for i = 1, 100 do
  local v = a[i]
  local w = p.x
  s = s + v * w + p.y + g + h[1000]
end
print(s)
`
	traces := runSame(t, src, guard.DefaultOptions())
	checked := 0
	for _, ti := range traces {
		tr := ti.IR
		isNum := map[irkit.Ref]bool{} // loads or calls guarded by ISNUM
		for r := irkit.First; int(r-irkit.First) < tr.Len(); r++ {
			if in := tr.Ins(r); in.Op == irkit.ISNUM {
				switch tr.Ins(in.Op1).Op {
				case irkit.ALOAD, irkit.FLOAD, irkit.CALLS, irkit.CALLN:
					isNum[in.Op1] = true
				}
			}
		}
		checked += len(isNum)
		for s := 0; s < tr.NumSnaps(); s++ {
			for _, e := range tr.Entries(s) {
				if isNum[e.Ref()] {
					t.Errorf("trace %d snapshot %d: slot %d holds the boxed load %s", ti.ID, s, e.Slot(), tr.InsString(e.Ref()))
				}
			}
		}
	}
	if checked < 4 {
		t.Errorf("%d number loads checked in the traces; want the array element, the two fields, the global and the helper's result", checked)
	}
}
