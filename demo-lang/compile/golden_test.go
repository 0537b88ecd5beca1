package compile

import (
	"testing"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
)

// goldenCases hold the exact bytecode of small programs, reviewed by hand:
// they document the code shapes the VM and the trace recorder see.
var goldenCases = []struct{ name, src, want string }{
	{"not in a condition tests the operand", `local a, b; if not a then b = 1 end`, `-- BYTECODE -- t.lua:0-1
0000    KNIL     0   1
0001    IST          0
0002    JMP      2 => 0004
0003    KSHORT   1   1
0004 => RET0     0   1

`},
	{"and/or with constant operands", `local a = 1; local x = a and 2 or 3`, `-- BYTECODE -- t.lua:0-1
0000    KSHORT   0   1
0001    ISF          0
0002    JMP      1 => 0005
0003    KSHORT   1   2
0004    JMP      2 => 0006
0005 => KSHORT   1   3
0006 => RET0     0   1

`},
	{"generic for with a captured loop variable", `local t = {} for k, v in pairs(t) do local f = function() return v end end`, `-- BYTECODE -- t.lua:1-1
0000    UGET     0   0          ; v
0001    RET1     0   2

-- BYTECODE -- t.lua:0-1
0000    TNEW     0   0
0001    GGET     1   0          ; "pairs"
0002    MOV      2   0
0003    CALL     1   4   2
0004    JMP      4 => 0007
0005 => FNEW     6   0          ; t.lua:1
0006    UCLO     4 => 0007
0007 => ITERC    4   3   3
0008    ITERL    4 => 0005
0009    RET0     0   1

`},
	{"numeric for, captured variable and break", `for i = 1, 10 do local y = i; g = function() return y end if i > 5 then break end end`, `-- BYTECODE -- t.lua:1-1
0000    UGET     0   0          ; y
0001    RET1     0   2

-- BYTECODE -- t.lua:0-1
0000    KSHORT   0   1
0001    KSHORT   1  10
0002    KSHORT   2   1
0003    FORI     0 => 0013
0004 => MOV      4   3
0005    FNEW     5   0          ; t.lua:1
0006    GSET     5   0          ; "g"
0007    KSHORT   5   5
0008    ISGE     5   3
0009    JMP      5 => 0011
0010    UCLO     0 => 0013
0011 => UCLO     3 => 0012
0012 => FORL     0 => 0004
0013 => RET0     0   1

`},
	{"repeat whose condition sees a captured local", `local x = 0 repeat local y = x; f = function() return y end; x = x + 1 until y > 3`, `-- BYTECODE -- t.lua:1-1
0000    UGET     0   0          ; y
0001    RET1     0   2

-- BYTECODE -- t.lua:0-1
0000    KSHORT   0   0
0001 => LOOP     1 => 0012
0002    MOV      1   0
0003    FNEW     2   0          ; t.lua:1
0004    GSET     2   0          ; "f"
0005    ADDVN    0   0   0      ; 1
0006    KSHORT   2   3
0007    ISGE     2   1
0008    JMP      2 => 0010
0009    UCLO     1 => 0012
0010 => UCLO     1 => 0011
0011 => JMP      1 => 0001
0012 => RET0     0   1

`},
	{"varargs, select and multiple returns", `local function f(...) local a, b = ... return select("#", ...), ... end`, `-- BYTECODE -- t.lua:1-1
0000    VARG     0   3   0
0001    GGET     2   0          ; "select"
0002    KSTR     3   1          ; "#"
0003    VARG     4   0   0
0004    CALLM    2   2   1
0005    VARG     3   0   0
0006    RETM     2   1

-- BYTECODE -- t.lua:0-1
0000    FNEW     0   0          ; t.lua:1
0001    RET0     0   1

`},
	{"method calls and a tail call with multiple results", `local o = {} o:m(1, 2) return o.n(o:m())`, `-- BYTECODE -- t.lua:0-1
0000    TNEW     0   0
0001    MOV      2   0
0002    TGETS    1   0   0      ; "m"
0003    KSHORT   3   1
0004    KSHORT   4   2
0005    CALL     1   1   4
0006    TGETS    1   0   1      ; "n"
0007    MOV      3   0
0008    TGETS    2   0   0      ; "m"
0009    CALL     2   0   2
0010    CALLMT   1   0

`},
	{"swap and the assignment hazard", `local a, b, c = 1; a, b = b, a; local t = {} local i = 1; t[i], i = i, 2`, `-- BYTECODE -- t.lua:0-1
0000    KSHORT   0   1
0001    KNIL     1   2
0002    MOV      3   1
0003    MOV      1   0
0004    MOV      0   3
0005    TNEW     3   0
0006    KSHORT   4   1
0007    MOV      5   4
0008    MOV      6   4
0009    KSHORT   4   2
0010    TSETV    6   3   5
0011    RET0     0   1

`},
	{"while with break", `while x do if y then break end end`, `-- BYTECODE -- t.lua:0-1
0000 => GGET     0   0          ; "x"
0001    ISF          0
0002    JMP      0 => 0009
0003    LOOP     0 => 0009
0004    GGET     0   1          ; "y"
0005    ISF          0
0006    JMP      0 => 0008
0007    JMP      0 => 0009
0008 => JMP      0 => 0000
0009 => RET0     0   1

`},
	{"table constructor: positional values are stored after keyed ones, as in Lua 5.1", `local t = {1, "two", x = 3, ["y"] = 4, [5] = 6, f()}`, `-- BYTECODE -- t.lua:0-1
0000    TNEW     0 6147
0001    KSHORT   1   1
0002    KSTR     2   0          ; "two"
0003    KSHORT   3   3
0004    TSETS    3   0   1      ; "x"
0005    KSHORT   3   4
0006    TSETS    3   0   2      ; "y"
0007    KSHORT   3   6
0008    TSETB    3   0   5
0009    TSETB    1   0   1
0010    TSETB    2   0   2
0011    GGET     1   3          ; "f"
0012    CALL     1   0   1
0013    TSETM    1   0          ; 3
0014    RET0     0   1

`},
	{"constant folding keeps IEEE results", `local a, b, c, d = 2 * 3 + 1, -0, 1 / 0, 0 / 0`, `-- BYTECODE -- t.lua:0-1
0000    KSHORT   0   7
0001    KNUM     1   0          ; -0
0002    KSHORT   2   1
0003    DIVVN    2   2   1      ; 0
0004    KSHORT   3   0
0005    DIVVN    3   3   1      ; 0
0006    RET0     0   1

`},
	{"comparisons with constants on either side", `local x; local a = x == "s", 1 ~= x, x == nil, x < 2, 3 <= x`, `-- BYTECODE -- t.lua:0-1
0000    KPRI     0   0          ; nil
0001    ISEQS    0   0          ; "s"
0002    JMP      1 => 0005
0003    KPRI     1   1          ; false
0004    JMP      2 => 0006
0005 => KPRI     1   2          ; true
0006 => ISNEN    0   0          ; 1
0007    JMP      2 => 0010
0008    KPRI     2   1          ; false
0009    JMP      3 => 0011
0010 => KPRI     2   2          ; true
0011 => ISEQP    0   0          ; nil
0012    JMP      3 => 0015
0013    KPRI     3   1          ; false
0014    JMP      4 => 0016
0015 => KPRI     3   2          ; true
0016 => KSHORT   4   2
0017    ISLT     0   4
0018    JMP      4 => 0021
0019    KPRI     4   1          ; false
0020    JMP      5 => 0022
0021 => KPRI     4   2          ; true
0022 => KSHORT   5   3
0023    ISLE     5   0
0024    JMP      5 => 0027
0025    KPRI     5   1          ; false
0026    JMP      6 => 0028
0027 => KPRI     5   2          ; true
0028 => RET0     0   1

`},
	{"concatenation chains", `local a, b; local s = a .. b .. "c" .. 1`, `-- BYTECODE -- t.lua:0-1
0000    KNIL     0   1
0001    MOV      2   0
0002    MOV      3   1
0003    KSTR     4   0          ; "c"
0004    KSHORT   5   1
0005    CAT      2   2   5
0006    RET0     0   1

`},
	{"upvalue stores with constant operands", `local u; local function f() u = 1; u = "s"; u = true; u = nil; u = u end`, `-- BYTECODE -- t.lua:1-1
0000    USETN    0   0          ; u 1
0001    USETS    0   0          ; u "s"
0002    USETP    0   2          ; u true
0003    USETP    0   0          ; u nil
0004    UGET     0   0          ; u
0005    USETV    0   0          ; u
0006    RET0     0   1

-- BYTECODE -- t.lua:0-1
0000    KPRI     0   0          ; nil
0001    FNEW     1   0          ; t.lua:1
0002    RET0     0   1

`},
}

func TestGoldenDisassembly(t *testing.T) {
	for _, c := range goldenCases {
		p := mustCompile(t, c.src)
		if got := bc.DumpString(p); got != c.want {
			t.Errorf("%s: %s\n got:\n%s\nwant:\n%s", c.name, c.src, got, c.want)
		}
	}
}
