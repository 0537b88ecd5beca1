package compile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
)

func mustCompile(t *testing.T, src string) *bc.Proto {
	t.Helper()
	p, err := CompileSource("t.lua", []byte(src))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	if err := bc.Verify(p); err != nil {
		t.Fatalf("%q: verify: %v\n%s", src, err, bc.DumpString(p))
	}
	return p
}

// TestBenchCompiles compiles every benchmark program and verifies the result.
func TestBenchCompiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.lua")
	if len(files) == 0 {
		t.Fatal("no testdata/*.lua")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := CompileSource(filepath.Base(f), src)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if err := bc.Verify(p); err != nil {
			t.Errorf("%s: %v\n%s", f, err, bc.DumpString(p))
		}
	}
}

// dumpBody returns the listing of the main function only, without header.
func dumpMain(p *bc.Proto) string {
	var sb strings.Builder
	for pc, ins := range p.Code {
		target := false
		for q, j := range p.Code {
			if op := j.Op(); op < bc.NumOps && bc.Ops[op].CD == bc.MJump && j.Target(q) == pc {
				target = true
			}
		}
		sb.WriteString(bc.FormatIns(p, pc, ins, target))
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestGoldenFib(t *testing.T) {
	p := mustCompile(t, "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end print(fib(20))")
	want := `-- BYTECODE -- t.lua:1-1
0000    KSHORT   1   2
0001    ISGE     0   1
0002    JMP      1 => 0004
0003    RET1     0   2
0004 => UGET     1   0          ; fib
0005    SUBVN    2   0   0      ; 1
0006    CALL     1   2   2
0007    UGET     2   0          ; fib
0008    SUBVN    3   0   1      ; 2
0009    CALL     2   2   2
0010    ADDVV    1   1   2
0011    RET1     1   2

-- BYTECODE -- t.lua:0-1
0000    FNEW     0   0          ; t.lua:1
0001    GGET     1   0          ; "print"
0002    MOV      2   0
0003    KSHORT   3  20
0004    CALL     2   0   2
0005    CALLM    1   1   0
0006    RET0     0   1

`
	if got := bc.DumpString(p); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
