package compile

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/syntax"
)

func manyLocals(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "local v%d = %d\n", i, i)
	}
	return sb.String()
}

func manyUpvalues(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "local u%d = %d ", i, i)
		if i%100 == 99 {
			sb.WriteString("do\n")
		}
	}
	sb.WriteString("\nlocal function f()\n  return ")
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(" + ")
		}
		fmt.Fprintf(&sb, "u%d", i)
	}
	sb.WriteString("\nend\n")
	for i := 0; i < n/100; i++ {
		sb.WriteString("end ")
	}
	return sb.String()
}

func manyArgs(n int) string {
	var sb strings.Builder
	sb.WriteString("print(")
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("x")
	}
	sb.WriteString(")\n")
	return sb.String()
}

func manyConsts(n int) string {
	var sb strings.Builder
	sb.WriteString("local t = {}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "t.k%d = 1\n", i)
	}
	return sb.String()
}

func longJump(n int) string {
	var sb strings.Builder
	sb.WriteString("local x = 0\nif x then\n")
	for i := 0; i < n; i++ {
		sb.WriteString("x = x + 1\n")
	}
	sb.WriteString("end\n")
	return sb.String()
}

// compileErrors are programs that parse but exceed a limit of the compiler.
// lua is the message lua5.1 gives ("" if the limit is ours only).
var compileErrors = []struct {
	name, src, want, lua string
}{
	{"locals", manyLocals(201), "t.lua:201:7: main function has more than 200 local variables", "t.lua:201: main function has more than 200 local variables"},
	{"params", "\n\nfunction f(" + strings.TrimSuffix(strings.Repeat("a,", 201), ",") + ") end", "t.lua:3:1: function at line 3 has more than 200 local variables", "t.lua:3: function at line 3 has more than 200 local variables"},
	{"upvalues", manyUpvalues(61), "t.lua:3:352: function at line 2 has more than 60 upvalues", ""},
	{"registers", manyArgs(300), "t.lua:1:1: function or expression too complex", ""},
	{"constants", manyConsts(70000), "t.lua:65538:2: constant table overflow", ""},
	{"jump", longJump(40000), "t.lua:40002:3: control structure too long", ""},
}

func TestCompileErrors(t *testing.T) {
	for _, c := range compileErrors {
		t.Run(c.name, func(t *testing.T) {
			_, err := CompileSource("t.lua", []byte(c.src))
			if err == nil {
				t.Fatalf("no error, want %s", c.want)
			}
			e, ok := err.(*syntax.Error)
			if !ok {
				t.Fatalf("error %T %v", err, err)
			}
			if err.Error() != c.want {
				t.Errorf("got  %s\nwant %s", err, c.want)
			}
			if c.lua != "" && e.Lua51() != c.lua {
				t.Errorf("Lua51: got %s, want %s", e.Lua51(), c.lua)
			}
		})
	}
}

// TestCompileErrorsMatchLua51 checks the expected lua5.1 messages above
// against luac5.1 itself.
func TestCompileErrorsMatchLua51(t *testing.T) {
	luac, err := exec.LookPath("luac5.1")
	if err != nil || os.Getenv("JITKIT_QEMU") == "1" {
		t.Skip("luac5.1 not available")
	}
	dir := t.TempDir()
	for _, c := range compileErrors {
		if c.lua == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, "t.lua"), []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(luac, "-p", "t.lua")
		cmd.Dir = dir
		out, _ := cmd.CombinedOutput()
		got := strings.TrimSpace(string(out))
		if i := strings.Index(got, "t.lua:"); i >= 0 {
			got = got[i:]
		}
		if got != c.lua {
			t.Errorf("%s: luac5.1 says %q, test expects %q", c.name, got, c.lua)
		}
	}
}
