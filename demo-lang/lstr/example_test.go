package lstr_test

import (
	"fmt"
	"math"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

func ExampleAppendNumber() {
	var buf []byte
	for _, f := range []float64{100, 1e15, 0.1, math.Inf(-1), 2.0 / 3} {
		buf = lstr.AppendNumber(buf[:0], f)
		fmt.Println(string(buf))
	}
	// Output:
	// 100
	// 1e+15
	// 0.1
	// -inf
	// 0.66666666666667
}

func ExampleParseNumber() {
	for _, s := range []string{" 10 ", "0x1A", "1e", "inf"} {
		f, ok := lstr.ParseNumber(s)
		fmt.Println(f, ok)
	}
	f, ok, _ := lstr.ParseNumberBase("zz", 36)
	fmt.Println(f, ok)
	// Output:
	// 10 true
	// 26 true
	// 0 false
	// +Inf true
	// 1295 true
}

// vals is a minimal Args: the VM implements it over its own values.
type vals []any

func (v vals) Len() int { return len(v) }
func (v vals) Number(i int) (float64, bool) {
	f, ok := v[i].(float64)
	return f, ok
}
func (v vals) String(i int) (string, bool) {
	s, ok := v[i].(string)
	return s, ok
}
func (v vals) TypeName(i int) string {
	if _, ok := v[i].(string); ok {
		return "string"
	}
	return "number"
}

func ExampleFormat() {
	out, err := lstr.Format(nil, "%5.2f|%-4d|%x|%q", vals{3.14159, 42.0, 255.0, "a\nb"})
	fmt.Printf("%s %v\n", out, err)
	_, err = lstr.Format(nil, "%d", vals{"x"})
	fmt.Println(err)
	// Output:
	// 3.14|42  |ff|"a\
	// b" <nil>
	// bad argument #2 to 'format' (number expected, got string)
}

func ExampleMatcher_Find() {
	var m lstr.Matcher
	ok, err := m.Find("key = value", "(%w+)%s*=%s*(%w+)", 1, false)
	fmt.Println(ok, err, m.Start()+1, m.End())
	for i := 0; i < m.NumCaptures(); i++ {
		s, _, _ := m.Capture(i)
		fmt.Println(s)
	}
	_, err = m.Find("x", "[a", 1, false)
	fmt.Println(err)
	// Output:
	// true <nil> 1 11
	// key
	// value
	// malformed pattern (missing ']')
}

func ExampleMatcher_Gsub() {
	var m lstr.Matcher
	out, n, _ := m.Gsub(nil, "x = 10, y = 20", "(%w+) = (%w+)", "%2=%1", nil, 100)
	fmt.Println(string(out), n)
	// Output: 10=x, 20=y 2
}

func ExampleGmatch() {
	var m lstr.Matcher
	g := lstr.Gmatch{Src: "one two three", Pat: "%a+"}
	for {
		ok, _ := g.Next(&m)
		if !ok {
			break
		}
		w, _, _ := m.Capture(0)
		fmt.Println(w)
	}
	// Output:
	// one
	// two
	// three
}
