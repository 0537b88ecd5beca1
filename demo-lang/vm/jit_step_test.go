package vm

import (
	"testing"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/compile"
)

// TestForInitK: the recorder takes a for loop's start (slot a) or step
// (slot a+2, stepK) as a constant only when the last instruction before
// the FORI to write that slot loads one and nothing after it but
// straight-line code leads to the FORI (no jump lands on it).
func TestForInitK(t *testing.T) {
	for _, c := range []struct {
		src  string
		slot int // 0: the start, 2: the step
		want float64
		ok   bool
	}{
		{"local s = 0 for i = 1, 10 do s = s + i end", 2, 1, true},
		{"local s = 0 for i = 10, 1, -2 do s = s + i end", 2, -2, true},
		{"local s = 0 for i = 1, 10, 0.25 do s = s + i end", 2, 0.25, true},
		{"local s, st = 0, 3 for i = 1, 10, st do s = s + i end", 2, 0, false},
		{"local s, k = 0, true for i = 1, 10, k and 1 or 2 do s = s + i end", 2, 0, false},
		{"local s, k = 0, true for i = 1, 10, k and 3 or 1 do s = s + i end", 2, 0, false},
		{"local s = 0 for i = 1, 10 do s = s + i end", 0, 1, true},
		{"local s = 0 for i = -3, 10, 2 do s = s + i end", 0, -3, true},
		{"local s = 0 for i = 2.5, 10 do s = s + i end", 0, 2.5, true},
		{"local s, n = 0, 7 for i = 3, n * 2 do s = s + i end", 0, 3, true},
		{"local function f() return 9 end local s = 0 for i = 3, f() do s = s + i end", 0, 3, true},
		{"local s, st = 0, 3 for i = st, 10 do s = s + i end", 0, 0, false},
		{"local s, k = 0, true for i = k and 1 or 2, 10 do s = s + i end", 0, 0, false},
		{"local s, k = 0, true for i = 1, k and 10 or 20 do s = s + i end", 0, 0, false},
		{"local s = 0 for i = #arg, 10 do s = s + i end", 0, 0, false},
	} {
		bp, err := compile.CompileSource("k.lua", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		L := New(Options{})
		p := L.load(bp)
		fori := -1
		for pc, ins := range p.code {
			if ins.Op() == bytecode.FORI {
				fori = pc
			}
		}
		if fori < 0 {
			t.Fatalf("%s: no FORI", c.src)
		}
		a := p.code[fori].A()
		got, ok := forInitK(p, fori, a, a+c.slot)
		if c.slot == 2 {
			if sg, sok := stepK(p, fori, a); sg != got || sok != ok {
				t.Errorf("%s: stepK = %v, %v; forInitK = %v, %v", c.src, sg, sok, got, ok)
			}
		}
		if ok != c.ok || got != c.want {
			t.Errorf("%s: slot a+%d: forInitK = %v, %v; want %v, %v", c.src, c.slot, got, ok, c.want, c.ok)
		}
	}
}
