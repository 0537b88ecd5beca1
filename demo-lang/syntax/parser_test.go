package syntax

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseShapes(t *testing.T) {
	cases := []struct{ src, want string }{
		{"local x = -y^2", `(block (local (x) ((neg (^ y 2)))))`},
		{"x = 2^-3^2", `(block (= (x) ((^ 2 (neg (^ 3 2))))))`},
		{"x = a..b..c", `(block (= (x) ((.. a (.. b c)))))`},
		{"x = a+b*c-d", `(block (= (x) ((- (+ a (* b c)) d))))`},
		{"x = a or b and c == d", `(block (= (x) ((or a (and b (== c d))))))`},
		{"x = not a == b", `(block (= (x) ((== (not a) b))))`},
		{"x = #t + 1 < 2 .. 3", `(block (= (x) ((< (+ (# t) 1) (.. 2 3)))))`},
		{"a, b.c, d[1] = 1, 2", `(block (= (a (index b "c") (index d 1)) (1 2)))`},
		{"f() g:h(1)('s'){}", `(block (call f ()) (call (call (method g h (1)) ("s")) ((table))))`},
		{"t = {1, x=2, [3]=4; 5,}", `(block (= (t) ((table 1 ["x"]=2 [3]=4 5))))`},
		{"function a.b.c:m(x, ...) return self, ... end", `(block (funcstat (index (index (index a "b") "c") "m") (function (self x ...) (block (return (self ...))))))`},
		{"local function f() end", `(block (localfunc f (function () (block))))`},
		{"for i = 1, 10, 2 do break end", `(block (fornum i 1 10 2 (block (break))))`},
		{"for k, v in pairs(t) do end", `(block (forin (k v) ((call pairs (t))) (block)))`},
		{"repeat local x until x", `(block (repeat (block (local (x) ())) x))`},
		{"if a then elseif b then x() else return end", `(block (if a (block) b (block (call x ())) else (block (return ()))))`},
		{"while true do end do end", `(block (while true (block)) (do (block)))`},
		{"return (f())", `(block (return ((paren (call f ())))))`},
		{"local a, b", `(block (local (a b) ()))`},
		{"x = function(...) return ... end", `(block (= (x) ((function (...) (block (return (...)))))))`},
		{"#!/usr/bin/lua\nreturn 1;", `(block (return (1)))`},
		{"x = nil ~= false >= true", `(block (= (x) ((>= (~= nil false) true))))`},
		{`x = "a" .. [[b]]`, `(block (= (x) ((.. "a" "b"))))`},
	}
	for _, c := range cases {
		ch, err := Parse("t.lua", []byte(c.src))
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if got := Sprint(ch.Body); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestParsePositions(t *testing.T) {
	ch, err := Parse("t.lua", []byte("local a = 1\n  x = a +\n    f(2)\n"))
	if err != nil {
		t.Fatal(err)
	}
	as := ch.Body.Stmts[1].(*AssignStmt)
	if as.Pos != (Pos{2, 5}) {
		t.Errorf("= at %v", as.Pos)
	}
	bin := as.Exprs[0].(*BinaryExpr)
	if bin.Pos != (Pos{2, 9}) || bin.L.Position() != (Pos{2, 7}) {
		t.Errorf("+ at %v, a at %v", bin.Pos, bin.L.Position())
	}
	call := bin.R.(*CallExpr)
	if call.Pos != (Pos{3, 6}) || call.Fn.Position() != (Pos{3, 5}) {
		t.Errorf("call at %v", call.Pos)
	}
	if ch.EndLine != 4 {
		t.Errorf("EndLine %d", ch.EndLine)
	}
}

// errorCases lists invalid programs with the message we give (with column)
// and what lua5.1 prints (checked against luac5.1 when it is installed).
var errorCases = []struct{ src, want, lua string }{
	{"x = = 1", "t.lua:1:5: unexpected symbol near '='", ""},
	{"x = 1 +", "t.lua:1:8: unexpected symbol near '<eof>'", ""},
	{"for i=1,2 do\n  break\n  x=1\nend", "t.lua:3:3: 'end' expected (to close 'for' at line 1) near 'x'", ""},
	{"print(1)\nbreak", "t.lua:2:6: no loop to break near '<eof>'", ""},
	{"function f() break end", "t.lua:1:20: no loop to break near 'end'", ""},
	{"while 1 do local function g() break end end", "t.lua:1:37: no loop to break near 'end'", ""},
	{"return 1\nx = 2", "t.lua:2:1: '<eof>' expected near 'x'", ""},
	{"if x then", "t.lua:1:10: 'end' expected near '<eof>'", ""},
	{"if x then\n", "t.lua:2:1: 'end' expected (to close 'if' at line 1) near '<eof>'", ""},
	{"if x y", "t.lua:1:6: 'then' expected near 'y'", ""},
	{"local 1", "t.lua:1:7: '<name>' expected near '1'", ""},
	{"for a b", "t.lua:1:7: '=' or 'in' expected near 'b'", ""},
	{"f(", "t.lua:1:3: unexpected symbol near '<eof>'", ""},
	{"f(1", "t.lua:1:4: ')' expected near '<eof>'", ""},
	{"f(1\n\n", "t.lua:3:1: ')' expected (to close '(' at line 1) near '<eof>'", ""},
	{"x = f\n(g)()", "t.lua:2:1: ambiguous syntax (function call x new statement) near '('", ""},
	{"function f() return ... end", "t.lua:1:21: cannot use '...' outside a vararg function near '...'", ""},
	{"x.y:z = 1", "t.lua:1:7: function arguments expected near '='", ""},
	{"x", "t.lua:1:2: '=' expected near '<eof>'", ""},
	{"(x) = 1", "t.lua:1:5: syntax error near '='", ""},
	{"x, f() = 1", "t.lua:1:8: syntax error near '='", ""},
	{"function f(a,) end", "t.lua:1:14: <name> or '...' expected near ')'", ""},
	{"t = {x=}", "t.lua:1:8: unexpected symbol near '}'", ""},
	{"x = 'a' 'b'", "t.lua:1:9: unexpected symbol near ''b''", ""},
	{"x = 1 ; ;", "t.lua:1:9: unexpected symbol near ';'", ""},
	{"x = @", "t.lua:1:5: unexpected symbol near '@'", ""},
	{"x = \x01", "t.lua:1:5: unexpected symbol near 'char(1)'", ""},
	{"x = [[\nab", "t.lua:2:3: unfinished long string near '<eof>'", ""},
	{"x = a // b", "t.lua:1:7: unexpected symbol near '/' (integer division '//' is not supported)", ""},
	{"x = a & b", "t.lua:1:7: unexpected symbol near '&' (bitwise operator '&' is not supported)", ""},
	{"x = a | b", "t.lua:1:7: unexpected symbol near '|' (bitwise operator '|' is not supported)", ""},
	{"x = ~a", "t.lua:1:5: unexpected symbol near '~' (bitwise operator '~' is not supported)", ""},
	{"x = a << 1", "t.lua:1:7: unexpected symbol near '<' (bitwise operator '<<' is not supported)", "t.lua:1: unexpected symbol near '<'"},
	{"x = a >> 1", "t.lua:1:7: unexpected symbol near '>' (bitwise operator '>>' is not supported)", "t.lua:1: unexpected symbol near '>'"},
	{"goto done", "t.lua:1:6: '=' expected near 'done' (goto is not supported)", ""},
	{"::done::", "t.lua:1:1: unexpected symbol near ':' (goto labels '::name::' are not supported)", ""},
	{"x = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1",
		"t.lua:1:204: chunk has too many syntax levels", "-"},
}

func TestParseErrors(t *testing.T) {
	for _, c := range errorCases {
		_, err := Parse("t.lua", []byte(c.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", c.src, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, err, c.want)
		}
	}
}

// TestParseErrorsMatchLua51 runs every error case through luac5.1 -p and
// compares its message with Error.Lua51.
func TestParseErrorsMatchLua51(t *testing.T) {
	luac, err := exec.LookPath("luac5.1")
	if err != nil || os.Getenv("JITKIT_QEMU") == "1" {
		t.Skip("luac5.1 not available")
	}
	dir := t.TempDir()
	for _, c := range errorCases {
		if c.lua == "-" {
			continue // depends on lua5.1's C stack depth at load time
		}
		if err := os.WriteFile(filepath.Join(dir, "t.lua"), []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(luac, "-p", "t.lua")
		cmd.Dir = dir
		out, _ := cmd.CombinedOutput()
		lua := strings.TrimSpace(string(out))
		if i := strings.Index(lua, "t.lua:"); i >= 0 {
			lua = lua[i:]
		}
		if c.lua != "" && c.lua != lua {
			t.Errorf("%q: the test expects lua5.1 to say %q, it says %q", c.src, c.lua, lua)
		}
		_, perr := Parse("t.lua", []byte(c.src))
		e, ok := perr.(*Error)
		if !ok {
			t.Errorf("%q: error %v is not *Error", c.src, perr)
			continue
		}
		if e.Lua51() != lua {
			t.Errorf("%q:\n ours    %s\n lua5.1  %s", c.src, e.Lua51(), lua)
		}
	}
}

func TestParseBench(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.lua")
	if len(files) == 0 {
		t.Fatal("no testdata/*.lua")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(filepath.Base(f), src); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
