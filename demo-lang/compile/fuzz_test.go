package compile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/syntax"
)

// FuzzCompile checks that compiling any input never panics or hangs, that
// errors are *syntax.Error, and that everything the compiler accepts passes
// the bytecode verifier (slots inside the frame, constants and jumps in
// range, comparisons followed by JMP, no fall-through off the end).
func FuzzCompile(f *testing.F) {
	for _, pat := range []string{"testdata/*.lua", "testdata/semantics/*.lua"} {
		files, _ := filepath.Glob(pat)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Add([]byte("local a, b = ... ; a, b.c, b[a] = b or a and 1, not (a < b) == (a ~= nil), #b .. -a ^ 2"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := CompileSource("f.lua", src)
		if err != nil {
			e, ok := err.(*syntax.Error)
			if !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if strings.HasPrefix(e.Msg, internalError) {
				t.Fatalf("%v", err)
			}
			return
		}
		if err := bc.Verify(p); err != nil {
			t.Fatalf("%v\n%s", err, bc.DumpString(p))
		}
		_ = bc.DumpString(p)
	})
}
