package compile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSemantics runs small programs that exercise tricky code generation
// (and/or values, upvalues in loops, multiple results, assignment order,
// constant folding) on the VM and compares the output with lua5.1's,
// recorded in testdata/semantics/*.out.
func TestSemantics(t *testing.T) {
	files, _ := filepath.Glob("testdata/semantics/*.lua")
	if len(files) == 0 {
		t.Fatal("no testdata/semantics/*.lua")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".lua"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".lua") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			got, err := runLua(t, name, string(src))
			if err != nil {
				got += "error: " + err.Error() + "\n"
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) || i < len(wl); i++ {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Errorf("line %d:\n got %q\nwant %q", i+1, g, w)
					}
				}
			}
		})
	}
}
