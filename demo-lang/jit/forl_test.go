package jit

import (
	"bytes"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// TestForlExitsPastLoop checks the exit of a root trace's own FORL
// compare: its snapshot resumes past the loop (the FORL's pc + 1), is
// marked irkit.SnapExitOnly in the peeled iteration and in the loop body,
// and a run that leaves the loop through it, with every other guard
// forced to exit too, still gives the interpreter's answer.
func TestForlExitsPastLoop(t *testing.T) {
	if NativeBackend() == nil {
		t.Skip("no machine-code backend on this host (no loop optimization)")
	}
	const src = "local s = 0\nfor i = 1, 2000 do s = s + i % 7 end\nprint(s)\n"
	run := func(stress string) (string, []vm.TraceInfo) {
		var out bytes.Buffer
		L := vm.New(vm.Options{Stdout: &out})
		st, err := guard.ParseStress(stress)
		if err != nil {
			t.Fatal(err)
		}
		L.EnableJIT(vm.JITOptions{Opt: guard.DefaultOptions(), Stress: st, Backend: NativeBackend()})
		defer L.DisableJIT()
		if _, err := L.DoString("f.lua", src); err != nil {
			t.Fatal(err)
		}
		L.Flush()
		return out.String(), L.JITTraces()
	}
	want := "6000\n"
	for _, stress := range []string{"off", "all", "random:1:2", "random:2:2", "random:3:2", "random:4:2", "random:5:3", "random:6:3"} {
		if got, _ := run(stress); got != want {
			t.Errorf("stress %s: %q, want %q", stress, got, want)
		}
	}
	_, traces := run("off")
	if len(traces) == 0 || traces[0].IR.Loop == irkit.NoRef {
		t.Fatalf("no loop trace: %+v", traces)
	}
	ti := traces[0]
	forl := ti.LoopPC
	var flagged []int
	for s, sn := range ti.IR.Snaps {
		if sn.Flags&irkit.SnapExitOnly != 0 {
			flagged = append(flagged, s)
			if sn.PC != uint64(forl+1) {
				t.Errorf("snapshot %d: pc %d, want %d (past the FORL at %d)", s, sn.PC, forl+1, forl)
			}
		}
	}
	if len(flagged) != 2 || ti.IR.Snaps[flagged[1]].Ref < ti.IR.Loop {
		t.Errorf("exit-only snapshots %v, want one before LOOP and its copy after:\n%s", flagged, ti.IR)
	}
}
