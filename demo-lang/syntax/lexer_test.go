package syntax

import (
	"math"
	"strings"
	"testing"
)

// lexAll returns the tokens of src rendered one per element, or the error.
func lexAll(src string) ([]Token, error) {
	lx := NewLexer("t.lua", []byte(src))
	var out []Token
	for {
		t, err := lx.Next()
		if err != nil {
			return out, err
		}
		if t.Kind == TokEOF {
			return out, nil
		}
		out = append(out, t)
	}
}

func TestLexStrings(t *testing.T) {
	cases := []struct{ src, want string }{
		{`"a\tb"`, "a\tb"},
		{`'\a\b\f\n\r\t\v\\\"\''`, "\a\b\f\n\r\t\v\\\"'"},
		{`"\65\066\0677"`, "AB" + "C7"},
		{`"\0"`, "\x00"},
		{`"\255"`, "\xff"},
		{"\"a\\\nb\"", "a\nb"},
		{"\"a\\\r\nb\"", "a\nb"},
		{`"\q\z\x"`, "qzx"}, // Lua 5.1: unknown escapes stand for the character
		{"[[\nabc]]", "abc"},
		{"[[\r\nabc]]", "abc"},
		{"[[a\r\nb]]", "a\nb"},
		{"[==[a]]b]=]c]==]", "a]]b]=]c"},
		{"[=[\n[[x]]]=]", "[[x]]"},
		{"[[]]", ""},
		{"''", ""},
	}
	for _, c := range cases {
		toks, err := lexAll(c.src)
		if err != nil || len(toks) != 1 || toks[0].Kind != TokString || toks[0].Text != c.want {
			t.Errorf("lex %q = %+v, %v; want string %q", c.src, toks, err, c.want)
		}
	}
}

func TestLexNumbers(t *testing.T) {
	cases := []struct {
		src  string
		want float64
	}{
		{"3", 3}, {"3.0", 3}, {"3.1416", 3.1416}, {"314.16e-2", 3.1416}, {"0.31416E1", 3.1416},
		{"0xff", 255}, {"0x56", 86}, {"0XA", 10}, {".5", 0.5}, {"5.", 5}, {"1e308", 1e308},
		{"1e309", math.Inf(1)}, {"0x1p4", 16}, {"0xffffffffffffffff", 18446744073709551615},
		{"2e-324", 0},
	}
	for _, c := range cases {
		toks, err := lexAll(c.src)
		if err != nil || len(toks) != 1 || toks[0].Kind != TokNumber || toks[0].Num != c.want {
			t.Errorf("lex %q = %+v, %v; want %v", c.src, toks, err, c.want)
		}
	}
	for _, bad := range []string{"3x", "1..2", "0x", "1e", "1e+", "0xg", "1_000", "0x1p", "08f", "3.4.5", "0x"} {
		_, err := lexAll(bad)
		if err == nil || !strings.Contains(err.Error(), "malformed number near '"+bad+"'") {
			t.Errorf("lex %q: err = %v, want malformed number", bad, err)
		}
	}
	// 0x1e+5 is 0x1e plus 5, as in Lua 5.1.
	toks, err := lexAll("0x1e+5")
	if err != nil || len(toks) != 3 || toks[0].Num != 30 || toks[1].Kind != '+' {
		t.Errorf("0x1e+5 lexes as %+v, %v", toks, err)
	}
}

func TestLexOperatorsAndPositions(t *testing.T) {
	src := "a.b..c...d==e~=f<=g>=h<i>j=k\n  -- comment\n--[==[ long\ncomment ]==] x # y"
	toks, err := lexAll(src)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, t := range toks {
		kinds = append(kinds, t.NearText())
	}
	want := "a . b .. c ... d == e ~= f <= g >= h < i > j = k x # y"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("tokens %q, want %q", got, want)
	}
	last := toks[len(toks)-3] // x
	if last.Pos != (Pos{Line: 4, Col: 14}) {
		t.Errorf("x at %v, want 4:14", last.Pos)
	}
	if toks[1].Pos != (Pos{Line: 1, Col: 2}) {
		t.Errorf(". at %v", toks[1].Pos)
	}
}

func TestLexErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{`x = "abc`, `t.lua:1:9: unfinished string near '<eof>'`},
		{"x = \"abc\ny\"", `t.lua:1:9: unfinished string near '"abc'`},
		{`x = "\256"`, `t.lua:1:6: escape sequence too large near '"'`},
		{"x = [[abc", `t.lua:1:10: unfinished long string near '<eof>'`},
		{"--[[abc\n", `t.lua:2:1: unfinished long comment near '<eof>'`},
		{"x = [==abc", `t.lua:1:5: invalid long string delimiter near '[=='`},
		{"x = [[a [[ b]]", `t.lua:1:9: nesting of [[...]] is deprecated near '['`},
		{"x = 3x", `t.lua:1:5: malformed number near '3x'`},
	}
	for _, c := range cases {
		_, err := lexAll(c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("lex %q: %v, want %s", c.src, err, c.want)
		}
	}
}
