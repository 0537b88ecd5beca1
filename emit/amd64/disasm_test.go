package amd64

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDisasm(t *testing.T) {
	a := New(nil)
	a.Ret()
	a.SseRR(ADDSD, X0, X1)
	a.Load(S64, false, RAX, MI(RDI, RCX, 8, 16))
	code := a.Buf.Bytes()
	for _, c := range []struct {
		syn  Syntax
		want []string
	}{
		{GNU, []string{"mov 0x10(%rdi,%rcx,8),%rax", "addsd %xmm1,%xmm0", "retq"}},
		{Go, []string{"MOVQ 0x10(DI)(CX*8), AX", "ADDSD X1, X0", "RET"}},
		{Intel, []string{"mov rax, qword ptr [rdi+8*rcx+0x10]", "addsd xmm0, xmm1", "ret"}},
	} {
		lines, err := Disasm(code, 0x1000, c.syn)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines {
			got = append(got, l.Text)
		}
		if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
			t.Errorf("syntax %d: %q, want %q", c.syn, got, c.want)
		}
		if lines[1].Addr != 0x1005 || len(lines[1].Bytes) != 4 {
			t.Errorf("line 1 at %#x with %d bytes", lines[1].Addr, len(lines[1].Bytes))
		}
	}
	// Undecodable bytes become one-byte (bad) lines; decoding resumes.
	lines, err := Disasm([]byte{0x06, 0xC3}, 0, GNU) // push %es does not exist in 64-bit mode
	if err == nil {
		t.Error("no error for undecodable bytes")
	}
	if n := len(lines); n < 2 || lines[0].Text != "(bad)" || lines[n-1].Text != "retq" {
		t.Errorf("bad bytes: %v", lines)
	}
	var sb strings.Builder
	if err := Dump(&sb, code, 0, GNU); err != nil || strings.Count(sb.String(), "\n") != 3 {
		t.Errorf("Dump: %v\n%s", err, sb.String())
	}
}

// Disassemble generated code in Go's assembler syntax.
func ExampleDump() {
	a := New(nil)
	a.Ret()
	a.Cvtsi2sd(S64, X0, RAX)
	a.ImulRRI(S64, RAX, RCX, 10)
	Dump(os.Stdout, a.Buf.Bytes(), 0x400000, Go)
	// Output:
	// 400000  48 6b c1 0a                    IMULQ $0xa, CX, AX
	// 400004  f2 48 0f 2a c0                 CVTSI2SDQ AX, X0
	// 400009  c3                             RET
}

// Line.String formats one instruction like objdump.
func ExampleLine_String() {
	lines, _ := Disasm([]byte{0x48, 0x01, 0xd8}, 0, GNU)
	fmt.Println(lines[0])
	// Output: 0000  48 01 d8                       add %rbx,%rax
}
