package compile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jitkit/jitkit/demo-lang/compile"
	"github.com/jitkit/jitkit/demo-lang/vm"
)

// runLua compiles and runs src on the VM with the given arguments and
// returns what it printed and the error.
func runLua(t *testing.T, name, src string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out, InstructionLimit: 5e8, TimeLimit: 60 * time.Second})
	L.SetCompiler(compile.CompileSource)
	at := L.NewTable()
	L.RawSetInt(at, 0, L.String(name))
	for i, a := range args {
		L.RawSetInt(at, i+1, L.String(a))
	}
	L.SetGlobal("arg", at)
	_, err := L.DoString(name, src)
	L.Flush()
	return out.String(), err
}

// TestBenchRuns runs every benchmark at its quick size on the VM and
// compares the output with the reference implementations'.
func TestBenchRuns(t *testing.T) {
	sizes, err := os.ReadFile("/work/shared/bench/quick-sizes.txt")
	if err != nil {
		t.Skip("no bench directory")
	}
	for _, line := range strings.Split(strings.TrimSpace(string(sizes)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		name, size := f[0], f[1]
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", name+".lua"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("/work/shared/bench", name+".quick.out"))
			if err != nil {
				t.Skip("no reference output")
			}
			got, err := runLua(t, name+".lua", string(src), size)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if got != string(want) {
				t.Errorf("output differs:\n got %q\nwant %q", got, want)
			}
		})
	}
}
