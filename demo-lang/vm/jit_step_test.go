package vm

import (
	"testing"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/compile"
)

// TestStepK: the recorder takes a for loop's step as a constant only when
// the instruction before the FORI loads it and no jump lands on the FORI.
func TestStepK(t *testing.T) {
	for _, c := range []struct {
		src  string
		want float64
		ok   bool
	}{
		{"local s = 0 for i = 1, 10 do s = s + i end", 1, true},
		{"local s = 0 for i = 10, 1, -2 do s = s + i end", -2, true},
		{"local s = 0 for i = 1, 10, 0.25 do s = s + i end", 0.25, true},
		{"local s, st = 0, 3 for i = 1, 10, st do s = s + i end", 0, false},
		{"local s, k = 0, true for i = 1, 10, k and 1 or 2 do s = s + i end", 0, false},
		{"local s, k = 0, true for i = 1, 10, k and 3 or 1 do s = s + i end", 0, false},
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
		got, ok := stepK(p, fori, p.code[fori].A())
		if ok != c.ok || got != c.want {
			t.Errorf("%s: stepK = %v, %v; want %v, %v", c.src, got, ok, c.want, c.ok)
		}
	}
}

// TestForInitK: a for loop's start is a constant only when the last
// instruction before the FORI to write its slot loads one and nothing
// after it but straight-line code leads to the FORI.
func TestForInitK(t *testing.T) {
	for _, c := range []struct {
		src  string
		want float64
		ok   bool
	}{
		{"local s = 0 for i = 1, 10 do s = s + i end", 1, true},
		{"local s = 0 for i = -3, 10, 2 do s = s + i end", -3, true},
		{"local s = 0 for i = 2.5, 10 do s = s + i end", 2.5, true},
		{"local s, n = 0, 7 for i = 3, n * 2 do s = s + i end", 3, true},
		{"local function f() return 9 end local s = 0 for i = 3, f() do s = s + i end", 3, true},
		{"local s, st = 0, 3 for i = st, 10 do s = s + i end", 0, false},
		{"local s, k = 0, true for i = k and 1 or 2, 10 do s = s + i end", 0, false},
		{"local s, k = 0, true for i = 1, k and 10 or 20 do s = s + i end", 0, false},
		{"local s = 0 for i = #arg, 10 do s = s + i end", 0, false},
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
		got, ok := forInitK(p, fori, a, a)
		if ok != c.ok || got != c.want {
			t.Errorf("%s: forInitK = %v, %v; want %v, %v", c.src, got, ok, c.want, c.ok)
		}
	}
}
