package arm64

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// -- Decoding back with arm64asm -------------------------------------------------

var (
	hexNum    = regexp.MustCompile(`0x[0-9a-f]+`)
	floatNum  = regexp.MustCompile(`#-?[0-9]+\.[0-9]+(e[-+][0-9]+)?`)
	lsl12     = regexp.MustCompile(`#([0-9]+),lsl#12$`)
	pcRel     = regexp.MustCompile(`\.\+[0-9]+`)
	condAlias = regexp.MustCompile(`\b(hs|lo|nv)\b`)
)

// normalize makes assembly text comparable: lower case, no spaces, numbers
// in decimal, floats in shortest form, zero shifts and offsets dropped.
func normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = hexNum.ReplaceAllStringFunc(s, func(h string) string {
		v, _ := strconv.ParseUint(h[2:], 16, 64)
		return strconv.FormatUint(v, 10)
	})
	s = floatNum.ReplaceAllStringFunc(s, func(f string) string {
		v, _ := strconv.ParseFloat(f[1:], 64)
		return "#" + strconv.FormatFloat(v, 'g', -1, 64)
	})
	s = pcRel.ReplaceAllStringFunc(s, func(r string) string {
		v, _ := strconv.ParseUint(r[2:], 10, 64)
		return "." + strconv.FormatInt(int64(v), 10)
	})
	s = strings.ReplaceAll(s, ".+-", ".-")
	s = condAlias.ReplaceAllStringFunc(s, func(c string) string {
		return map[string]string{"hs": "cs", "lo": "cc", "nv": "al"}[c]
	})
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, ",#0]", "]")
	s = strings.TrimSuffix(s, ",lsl#0")
	s = strings.ReplaceAll(s, ",lsl#0]", "]")
	if m := lsl12.FindStringSubmatch(s); m != nil && (strings.HasPrefix(s, "add") || strings.HasPrefix(s, "sub") ||
		strings.HasPrefix(s, "cmp") || strings.HasPrefix(s, "cmn") || strings.HasPrefix(s, "mov")) {
		v, _ := strconv.ParseUint(m[1], 10, 64)
		s = s[:len(s)-len(m[0])] + "#" + strconv.FormatUint(v<<12, 10)
	}
	return s
}

// TestDecodeText decodes every single-instruction case with arm64asm and
// compares the text with what was asked for.
func TestDecodeText(t *testing.T) {
	g := newGen()
	g.all()
	a := New(emit.NewBuf(64))
	n, bad := 0, 0
	for _, c := range g.cases {
		if c.bad || c.dis == "-" {
			continue
		}
		code, err := encodeCase(a, c)
		if err != nil || len(code) != 4 {
			t.Errorf("%q: %v, %d bytes", c.asm, err, len(code))
			continue
		}
		want := c.asm
		if c.dis != "" {
			want = c.dis
		}
		got := DisasmWord(binary.LittleEndian.Uint32(code))
		n++
		if normalize(got) != normalize(want) && !equivalentText(got, want) {
			bad++
			if bad <= 40 {
				t.Errorf("%-40q decodes as %q", want, got)
			}
		}
	}
	t.Logf("%d instructions decoded, %d differ", n, bad)
}

// equivalentText accepts the spellings where the disassembler shows the
// preferred alias of what was asked for (cmp for subs into the zero
// register, mov for orr from it, ...): the alias rules of the architecture
// manual, applied to the text.
func equivalentText(got, want string) bool {
	return normalize(got) == normalize(preferred(want))
}

var extZero = regexp.MustCompile(`, ([us]xt[bhwx]) #0$`)

func isZR(s string) bool { return s == "xzr" || s == "wzr" }
func isSP(s string) bool { return s == "sp" || s == "wsp" }

func preferred(want string) string {
	mn, rest, _ := strings.Cut(want, " ")
	ops := strings.Split(rest, ", ")
	join := func(m string, o []string) string { return m + " " + strings.Join(o, ", ") }
	// Extended register with a zero amount: the amount is not shown; with
	// SP and the natural extension it is shown as lsl, or not at all.
	if len(ops) >= 4 && (mn == "add" || mn == "sub" || mn == "adds" || mn == "subs") {
		ext := strings.Fields(ops[3])[0]
		nat := ext == "uxtx" && !strings.HasPrefix(ops[0], "w") || ext == "uxtw" && strings.HasPrefix(ops[0], "w")
		if nat && (isSP(ops[0]) || isSP(ops[1])) {
			ops[3] = strings.Replace(ops[3], ext, "lsl", 1)
			if ops[3] == "lsl #0" {
				ops = ops[:3]
			}
		}
		want = extZero.ReplaceAllString(join(mn, ops), ", $1")
		ops = strings.Split(strings.SplitN(want, " ", 2)[1], ", ")
	}
	inv := func(c string) string {
		for i, n := range condNames {
			if n == c {
				return Cond(i).Invert().String()
			}
		}
		return c
	}
	switch {
	case want == "ret x30":
		return "ret"
	case mn == "negs" && isZR(ops[0]):
		return join("cmp", ops)
	case len(ops) == 3 && ops[2] == "#0" && (mn == "add" || mn == "sub") && (isSP(ops[0]) || isSP(ops[1])):
		return join("mov", ops[:2])
	case mn == "lsl" && len(ops) == 3 && ops[2] == "#0":
		return join("lsr", ops)
	case len(ops) == 4 && isZR(ops[3]) && (mn == "madd" || mn == "msub" || mn == "smaddl" || mn == "umaddl"):
		return join(map[string]string{"madd": "mul", "msub": "mneg", "smaddl": "smull", "umaddl": "umull"}[mn], ops[:3])
	case (mn == "cinc" || mn == "cinv") && isZR(ops[1]):
		return join(map[string]string{"cinc": "cset", "cinv": "csetm"}[mn], []string{ops[0], ops[2]})
	case len(ops) == 4 && (mn == "csinc" || mn == "csinv") && isZR(ops[1]) && isZR(ops[2]) && ops[3] != "al" && ops[3] != "nv":
		return join(map[string]string{"csinc": "cset", "csinv": "csetm"}[mn], []string{ops[0], inv(ops[3])})
	case len(ops) == 4 && (mn == "csinc" || mn == "csinv" || mn == "csneg") && ops[1] == ops[2] && ops[3] != "al" && ops[3] != "nv":
		return join(map[string]string{"csinc": "cinc", "csinv": "cinv", "csneg": "cneg"}[mn], []string{ops[0], ops[1], inv(ops[3])})
	case len(ops) >= 3 && isZR(ops[0]) && (mn == "adds" || mn == "subs" || mn == "ands"):
		return join(map[string]string{"adds": "cmn", "subs": "cmp", "ands": "tst"}[mn], ops[1:])
	case len(ops) >= 3 && isZR(ops[1]) && (mn == "sub" || mn == "subs"):
		return join(map[string]string{"sub": "neg", "subs": "negs"}[mn], append(ops[:1], ops[2:]...))
	case len(ops) == 3 && isZR(ops[1]) && mn == "orr":
		return join("mov", []string{ops[0], ops[2]})
	case len(ops) >= 3 && isZR(ops[1]) && mn == "orn":
		return join("mvn", append(ops[:1], ops[2:]...))
	case len(ops) == 3 && isZR(ops[1]) && (mn == "sbc" || mn == "sbcs"):
		return join(map[string]string{"sbc": "ngc", "sbcs": "ngcs"}[mn], []string{ops[0], ops[2]})
	}
	return want
}

// TestAdrp checks adrp by decoding only: GNU as turns adrp to a local
// expression into a relocation, so it cannot be compared as bytes.
func TestAdrp(t *testing.T) {
	a := New(emit.NewBuf(64))
	for _, pages := range []int64{0, 1, -1, -2, 0x12345, 1<<20 - 1, -(1 << 20)} {
		for _, r := range []Reg{X0, X17, X30, XZR} {
			a.Reset()
			a.Adrp(r, pages)
			if a.Err() != nil {
				t.Fatal(a.Err())
			}
			got := DisasmWord(word(a.Buf.Bytes(), 0))
			want := fmt.Sprintf("adrp %v, .%+d", r, pages<<12)
			if normalize(got) != normalize(want) {
				t.Errorf("Adrp(%v, %d) decodes as %q, want %q", r, pages, got, want)
			}
		}
	}
	for _, bad := range []int64{1 << 20, -(1 << 20) - 1} {
		a.Reset()
		a.Adrp(X0, bad)
		if a.Err() == nil || a.Buf.Len() != 0 {
			t.Errorf("Adrp(%d) accepted", bad)
		}
	}
}
