package syntax

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tokenSoup are the pieces random programs are made of: every keyword and
// operator, names, numbers, strings, and a few longer fragments that make
// valid statements likely.
var tokenSoup = []string{
	"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in",
	"local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
	"+", "-", "*", "/", "%", "^", "#", "==", "~=", "<=", ">=", "<", ">", "=", "(", ")", "{", "}",
	"[", "]", ";", ":", ",", ".", "..", "...", "\n",
	"a", "b", "f", "t", "x", "1", "2.5", "0x10", "1e3", `"s"`, "'q'", "[[long]]",
	"x = 1", "local y = 2", "f(x)", "t.k", "t[1]", "a:m()", "function g() end", "do end",
	"if x then end", "while x do end", "for i=1,2 do end", "for k,v in t do end", "return",
	"repeat until x", "{1, 2}", "(a)", "-- c\n", "--[[ c ]]",
}

// stmtSoup are whole statements and blocks.
var stmtSoup = []string{
	"x = 1", "local a, b = 1, f()", "f(x)", "t.k.j = t[1] + -x ^ 2", "a:m(1)(2)", "g{1, [2] = 3; k = 4}",
	"f'str'", "function t.a.b:c(x, ...) return ... end", "local function h() return end",
	"if x then y = 1 elseif z then else end", "while x > 1 do x = x - 1 break end",
	"for i = 1, 2, 3 do end", "for k, v in next, t do end", "repeat local q = 1 until q",
	"do return x end", "x, y = y, x", "return 1, 2;", "local s = a and b or not c .. d",
	"print(#t, (f()))", "x = function(...) return select('#', ...) end", "break", "end", ";",
}

// TestParseMatchesLuac51 feeds random token sequences to both our parser
// and luac5.1 -p and requires the same verdict and, for errors, the same
// Lua 5.1 message.
func TestParseMatchesLuac51(t *testing.T) {
	luac, err := exec.LookPath("luac5.1")
	if err != nil || os.Getenv("JITKIT_QEMU") == "1" {
		t.Skip("luac5.1 not available")
	}
	n := 300
	if testing.Short() {
		n = 100
	}
	if v, err := strconv.Atoi(os.Getenv("JITKIT_GEN_N")); err == nil && v > 0 {
		n = v
	}
	r := rand.New(rand.NewSource(7))
	dir := t.TempDir()
	accepted := 0
	for i := 0; i < n; i++ {
		var sb strings.Builder
		pieces := tokenSoup
		if i%2 == 0 {
			pieces = stmtSoup // mostly valid programs, sometimes one token off
		}
		for k, m := 0, 1+r.Intn(8); k < m; k++ {
			sb.WriteString(pieces[r.Intn(len(pieces))])
			sb.WriteByte(" \n"[r.Intn(2)])
			if r.Intn(10) == 0 {
				sb.WriteString(tokenSoup[r.Intn(len(tokenSoup))] + " ")
			}
		}
		src := sb.String()
		if err := os.WriteFile(filepath.Join(dir, "t.lua"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(luac, "-p", "t.lua")
		cmd.Dir = dir
		out, lerr := cmd.CombinedOutput()
		lua := strings.TrimSpace(string(out))
		if k := strings.Index(lua, "t.lua:"); k >= 0 {
			lua = lua[k:]
		}
		_, perr := Parse("t.lua", []byte(src))
		switch {
		case lerr == nil && perr == nil:
			accepted++
		case lerr == nil:
			t.Errorf("%q: luac5.1 accepts, we say %v", src, perr)
		case perr == nil:
			t.Errorf("%q: we accept, luac5.1 says %s", src, lua)
		default:
			if got := perr.(*Error).Lua51(); got != lua {
				t.Errorf("%q:\n ours   %s\n lua5.1 %s", src, got, lua)
			}
		}
	}
	t.Logf("%d of %d random programs valid", accepted, n)
}
