package arm64

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// -- Verification against GNU binutils -----------------------------------------

// slot is the room every case gets in the assembled file: 8 words.
const slot = 32

func binutils(t *testing.T) (as, objcopy string) {
	t.Helper()
	if os.Getenv("JITKIT_QEMU") == "1" {
		t.Skip("host tools are not run under qemu")
	}
	as, err1 := exec.LookPath("aarch64-linux-gnu-as")
	objcopy, err2 := exec.LookPath("aarch64-linux-gnu-objcopy")
	if err1 != nil || err2 != nil {
		t.Skip("aarch64-linux-gnu-as/objcopy not installed (Debian: binutils-aarch64-linux-gnu)")
	}
	return as, objcopy
}

// encodeCase runs a case's encoder calls in a fresh assembler.
func encodeCase(a *Asm, c tcase) ([]byte, error) {
	a.Reset()
	a.AllowReserved = true // the cases use every register
	c.emit(a)
	return a.Buf.Bytes(), a.Err()
}

// TestBinutils encodes every generated case, assembles the same text with
// GNU as, and compares the bytes; cases the encoder must refuse are checked
// to be refused (and, where GNU as refuses them too, that it does).
func TestBinutils(t *testing.T) {
	as, objcopy := binutils(t)
	g := newGen()
	g.all()
	dir := t.TempDir()
	a := New(emit.NewBuf(64))

	var src, badSrc strings.Builder
	src.WriteString(".text\n")
	badSrc.WriteString(".text\n")
	var good []int
	ours := make([][]byte, len(g.cases))
	var badLines []int // line in badSrc -> case
	nbad := 0
	for i, c := range g.cases {
		code, err := encodeCase(a, c)
		if c.bad {
			nbad++
			if err == nil || len(code) != 0 {
				t.Errorf("%q: encoder accepted it (emitted % x)", c.asm, code)
			}
			if c.gas {
				badSrc.WriteString(c.asm + "\n")
				badLines = append(badLines, i)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.asm, err)
			continue
		}
		if len(code) > slot {
			t.Fatalf("%q: %d bytes, more than a slot", c.asm, len(code))
		}
		ours[i] = bytes.Clone(code)
		good = append(good, i)
		src.WriteString(".balign 32, 0\n")
		src.WriteString(strings.ReplaceAll(c.asm, "; ", "\n"))
		src.WriteString("\n")
	}
	src.WriteString(".balign 32, 0\n")

	bin := assemble(t, as, objcopy, dir, "good", src.String())
	if len(bin) != slot*len(good) {
		t.Fatalf("as produced %d bytes for %d cases", len(bin), len(good))
	}
	mismatch := 0
	for k, i := range good {
		want := bin[k*slot : (k+1)*slot]
		got := ours[i]
		if !bytes.Equal(want[:len(got)], got) || !allZero(want[len(got):]) {
			mismatch++
			if mismatch <= 40 {
				t.Errorf("%q:\n\tours % x\n\tas   % x", g.cases[i].asm, got, bytes.TrimRight(want, "\x00"))
			}
		}
	}

	// Every refused case that GNU as refuses too must give one error line.
	errs := assembleErrors(t, as, dir, badSrc.String())
	for k, i := range badLines {
		if !errs[k+2] { // line 1 is .text
			t.Errorf("%q: we refuse it but GNU as accepts it", g.cases[i].asm)
		}
	}
	t.Logf("%d cases: %d encodings compared with GNU as (%d mismatches), %d refused (%d also refused by as)",
		len(g.cases), len(good), mismatch, nbad, len(badLines))
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// assemble runs as and objcopy and returns the .text bytes.
func assemble(t *testing.T, as, objcopy, dir, name, src string) []byte {
	t.Helper()
	s, o, b := filepath.Join(dir, name+".s"), filepath.Join(dir, name+".o"), filepath.Join(dir, name+".bin")
	if err := os.WriteFile(s, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(as, "-o", o, s).CombinedOutput(); err != nil {
		t.Fatalf("as: %v\n%s", err, firstLines(string(out), 30))
	}
	if out, err := exec.Command(objcopy, "-O", "binary", "-j", ".text", o, b).CombinedOutput(); err != nil {
		t.Fatalf("objcopy: %v\n%s", err, out)
	}
	bin, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

var errLine = regexp.MustCompile(`\.s:(\d+): Error:`)

// assembleErrors returns the set of lines GNU as reports an error on.
func assembleErrors(t *testing.T, as, dir, src string) map[int]bool {
	t.Helper()
	s := filepath.Join(dir, "bad.s")
	if err := os.WriteFile(s, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(as, "-o", filepath.Join(dir, "bad.o"), s).CombinedOutput()
	lines := map[int]bool{}
	for _, m := range errLine.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		lines[n] = true
	}
	return lines
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n")
}
