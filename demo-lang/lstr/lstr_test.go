package lstr

import (
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

func quick() bool { return testing.Short() || os.Getenv("JITKIT_QEMU") != "" }

func TestAppendNumberAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	vals := []float64{0, 42, -7, 1e13, 3.25, 1e100, math.Inf(1)}
	for _, v := range vals {
		if n := testing.AllocsPerRun(100, func() { buf = AppendNumber(buf[:0], v) }); n != 0 {
			t.Errorf("AppendNumber(%v): %v allocs", v, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = FormatNumber(200) }); n != 0 {
		t.Errorf("FormatNumber(200): %v allocs", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseNumber(" 12345 ") }); n != 0 {
		t.Errorf("ParseNumber: %v allocs", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseNumber("1.5e10") }); n != 0 {
		t.Errorf("ParseNumber(1.5e10): %v allocs", n)
	}
}

func TestMatchAllocs(t *testing.T) {
	var m Matcher
	s := strings.Repeat("abc ", 50) + "key = value"
	if n := testing.AllocsPerRun(100, func() { _, _ = m.Find(s, "(%w+)%s*=%s*(%d+)", 1, false) }); n != 0 {
		t.Errorf("failed Find: %v allocs", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = m.Find(s, "(%w+)%s*=%s*(%w+)", 1, false) }); n != 0 {
		t.Errorf("successful Find: %v allocs", n)
	}
	if ok, _ := m.Find(s, "(%w+)%s*=%s*(%w+)", 1, false); !ok {
		t.Fatal("no match")
	}
	k, _, _ := m.Capture(0)
	v, _, _ := m.Capture(1)
	if k != "key" || v != "value" {
		t.Errorf("captures %q %q", k, v)
	}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf, _, _ = m.Gsub(buf[:0], s, "%w+", "<%0>", nil, len(s)+1) }); n != 0 {
		t.Errorf("Gsub into a buffer: %v allocs", n)
	}
}

func TestFormatAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	args := &oneNum{v: 3.5}
	if n := testing.AllocsPerRun(100, func() { buf, _ = Format(buf[:0], "x=%5.2f y=%d %g", args) }); n != 0 {
		t.Errorf("Format: %v allocs", n)
	}
	if got := string(buf); got != "x= 3.50 y=3 3.5" {
		t.Errorf("got %q", got)
	}
}

// oneNum is an Args of three copies of one number.
type oneNum struct{ v float64 }

func (a *oneNum) Len() int                   { return 3 }
func (a *oneNum) Number(int) (float64, bool) { return a.v, true }
func (a *oneNum) String(int) (string, bool)  { return "", false }
func (a *oneNum) TypeName(int) string        { return "number" }

// TestTooComplex checks the recursion bound: a pattern needing more
// nested backtracking than MaxMatchDepth fails cleanly.
func TestTooComplex(t *testing.T) {
	var m Matcher
	p := strings.Repeat("a?", MaxMatchDepth+10)
	_, err := m.Find(strings.Repeat("a", 300), p, 1, false)
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want %v", err, ErrTooComplex)
	}
	// Within the bound the same shape matches.
	ok, err := m.Find(strings.Repeat("a", 50), strings.Repeat("a?", 50)+"$", 1, false)
	if !ok || err != nil {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	// A long subject is no problem: '*' loops instead of recursing.
	ok, err = m.Find(strings.Repeat("x", 100000)+"y", "^x*y$", 1, false)
	if !ok || err != nil {
		t.Fatalf("long subject: ok=%v err=%v", ok, err)
	}
}

// nested reuses the Matcher from inside a replacement, as a Lua callback
// calling string.find would.
type nested struct{}

func (nested) Replace(m *Matcher) (string, bool, error) {
	w, _, _ := m.Capture(0)
	if ok, _ := m.Find(w, "l+", 1, false); ok {
		return strconv.Itoa(m.End() - m.Start()), true, nil
	}
	return "", false, nil
}

func TestGsubReentrant(t *testing.T) {
	var m Matcher
	out, n, err := m.Gsub(nil, "hello world ok", "%a+", "", nested{}, 100)
	if err != nil || n != 3 || string(out) != "2 1 ok" {
		t.Fatalf("got %q %d %v", out, n, err)
	}
}

func TestSubRange(t *testing.T) {
	for _, c := range []struct{ n, i, j, s, e int }{
		{5, 1, -1, 0, 5}, {5, 2, 3, 1, 3}, {5, -3, -2, 2, 4}, {5, 0, 100, 0, 5}, {5, 4, 2, 0, 0}, {5, -100, 1, 0, 1},
		{0, 1, -1, 0, 0},
	} {
		if s, e := SubRange(c.n, c.i, c.j); s != c.s || e != c.e {
			t.Errorf("SubRange(%d,%d,%d) = %d,%d want %d,%d", c.n, c.i, c.j, s, e, c.s, c.e)
		}
	}
	if got := string(AppendReverse(AppendUpper(AppendLower(nil, "AbC"), "xY"), "12")); got != "abcXY21" {
		t.Errorf("got %q", got)
	}
	if got := string(AppendRep(nil, "ab", 3)); got != "ababab" {
		t.Errorf("got %q", got)
	}
}

// -- Fuzzing --

// FuzzPattern runs every pattern function on arbitrary input: they must
// never panic and, with a step budget, never run away.
func FuzzPattern(f *testing.F) {
	for _, s := range []string{"(%w+)=(%w+)", "%b()", "%f[%a]", "[^]]", "(()", "%", "[a-", "a-b*c?d+", "(.)%1", "^$"} {
		f.Add("key=val (x) ]]", s)
	}
	f.Fuzz(func(t *testing.T, s, p string) {
		var m Matcher
		m.limit, m.steps = true, 20000
		if ok, err := m.Find(s, p, 1, false); ok && err == nil {
			for i := 0; i < m.Results(false); i++ {
				_, _, _ = m.Capture(i)
			}
			if m.Start() < 0 || m.End() > len(s) || m.Start() > m.End() {
				t.Fatalf("bad span %d %d", m.Start(), m.End())
			}
		}
		m.steps = 20000
		_, _ = m.Match(s, p, -3)
		g := Gmatch{Src: s, Pat: p}
		for i := 0; i <= len(s)+1; i++ {
			m.steps = 20000
			ok, err := g.Next(&m)
			if !ok || err != nil {
				break
			}
		}
		m.steps = 20000
		_, _, _ = m.Gsub(nil, s, p, "[%0%1]", nil, len(s)+1)
	})
}

// FuzzNumber checks round trips: the shortest decimal form of any double
// parses back to the same bits, tostring's form is a fixed point of
// parse-then-format, and "%.17g" round-trips exactly.
func FuzzNumber(f *testing.F) {
	for _, v := range []float64{0, 1, -1.5, 1e15, 1e-300, math.MaxFloat64, 5e-324, 123456789.125} {
		f.Add(math.Float64bits(v))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		v := math.Float64frombits(bits)
		if math.IsNaN(v) {
			return
		}
		g, ok := ParseNumber(strconv.FormatFloat(v, 'g', -1, 64))
		if !ok || math.Float64bits(g) != bits {
			t.Fatalf("shortest form of %v parsed as %v (%v)", v, g, ok)
		}
		s := FormatNumber(v)
		p, ok := ParseNumber(s)
		if !ok || FormatNumber(p) != s {
			t.Fatalf("%v: %q parsed to %v formats as %q", v, s, p, FormatNumber(p))
		}
		out, err := Format(nil, "%.17g", &oneNum{v: v})
		if err != nil {
			t.Fatal(err)
		}
		e, ok := ParseNumber(string(out))
		if !ok || math.Float64bits(e) != bits {
			t.Fatalf("%%.17g of %v = %q parsed as %v", v, out, e)
		}
		var m Matcher
		m.limit, m.steps = true, 1000
		_, _ = m.Find(s, "^[+-]?%d", 1, false)
	})
}

// -- Benchmarks --

func BenchmarkAppendNumberInt(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = AppendNumber(buf[:0], float64(i&0xffff))
	}
}

func BenchmarkAppendNumberFrac(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = AppendNumber(buf[:0], float64(i)*0.001+0.5)
	}
}

func BenchmarkParseNumber(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_, _ = ParseNumber("12345")
	}
}

func BenchmarkFormat(b *testing.B) {
	buf := make([]byte, 0, 64)
	args := &oneNum{v: 3.14159}
	for i := 0; i < b.N; i++ {
		buf, _ = Format(buf[:0], "%5.2f %d %g", args)
	}
}

var benchText = strings.Repeat("the quick brown fox jumps over the lazy dog ", 20)

func BenchmarkFind(b *testing.B) {
	var m Matcher
	for i := 0; i < b.N; i++ {
		_, _ = m.Find(benchText, "l(%a+)y", 1, false)
	}
}

func BenchmarkFindFail(b *testing.B) {
	var m Matcher
	for i := 0; i < b.N; i++ {
		_, _ = m.Find(benchText, "%d+", 1, false)
	}
}

func BenchmarkGsub(b *testing.B) {
	var m Matcher
	buf := make([]byte, 0, 2048)
	for i := 0; i < b.N; i++ {
		buf, _, _ = m.Gsub(buf[:0], benchText, "o", "0", nil, len(benchText)+1)
	}
}

// FuzzFormat runs string.format on arbitrary format strings with a number
// and a string argument: errors are fine, panics are not, and a format
// without '%' comes back unchanged.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{"%5.2f", "%-+ #0d", "%q", "%", "%123d", "%.99f", "%c%s", "%%", "%#.0e", "%099.99g"} {
		f.Add(s, 3.25, "str")
	}
	f.Fuzz(func(t *testing.T, format string, v float64, s string) {
		out, err := Format(nil, format, testArgs{v, s, v, s})
		if err == nil && !strings.Contains(format, "%") && string(out) != format {
			t.Fatalf("plain format %q came back as %q", format, out)
		}
		_, _ = Format(nil, format, testArgs{s})
		_, _ = Format(nil, format, testArgs{})
	})
}
