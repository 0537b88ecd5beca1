package jit

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

// -- Random programs, JIT against interpreter ------------------------------------
//
// The hand-written programs of TestDifferential check one feature each;
// genProgram composes them at random: nested numeric loops, array and
// hash-field reads and writes, new tables, appends, pairs and ipairs loops,
// string keys made by concatenation, tostring, string.byte, string.sub
// (at any positions, fractions and negatives included) and lengths, math builtins,
// branches that make exits hot, and a function with a loop nest called
// from two call sites (side traces from the caller's frame, keyed links).
// Each program must print the same with the JIT off and on, natively and
// with guards forced to exit. The numbers stay small (every store is
// reduced modulo a constant), and everything is printed with %.17g, so a
// single differing bit shows.

// progGen writes one random program.
type progGen struct {
	r     *rand.Rand
	b     strings.Builder
	depth int
	vars  []string // numeric variables in scope
}

func (g *progGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

// num returns a numeric expression over the variables in scope.
func (g *progGen) num(d int) string {
	v := g.vars[g.r.Intn(len(g.vars))]
	if d <= 0 {
		return g.pick(v, v, fmt.Sprint(g.r.Intn(9)+1), fmt.Sprintf("%d.5", g.r.Intn(5)))
	}
	switch g.r.Intn(12) {
	case 0:
		return fmt.Sprintf("(%s + %s)", g.num(d-1), g.num(d-1))
	case 1:
		return fmt.Sprintf("(%s - %s)", g.num(d-1), g.num(d-1))
	case 2:
		return fmt.Sprintf("(%s * %s)", g.num(d-1), g.num(d-1))
	case 3:
		return fmt.Sprintf("(%s %% %d)", g.num(d-1), g.r.Intn(13)+2)
	case 4:
		return fmt.Sprintf("t[(%s) %% #t + 1]", g.idx(v))
	case 5:
		return g.pick("h.x", "h.y", "h.z")
	case 6:
		return fmt.Sprintf("string.byte(s, (%s) %% #s + 1)", g.idx(v))
	case 7:
		return g.pick("#t", "#s", "string.len(s)")
	case 8:
		return fmt.Sprintf("math.floor(%s / 3)", g.num(d-1))
	case 9:
		return fmt.Sprintf("math.sqrt(math.abs(%s))", g.num(d-1))
	case 10:
		return fmt.Sprintf("(%s / %d)", g.num(d-1), g.r.Intn(7)+1)
	}
	return v
}

// idx returns an integer expression built from v; Lua's % of it by a
// positive count is then a valid 0-based index. The second form nests a
// builtin call in another's arguments (CALL with all results, CALLM).
func (g *progGen) idx(v string) string {
	if g.r.Intn(2) == 0 {
		return fmt.Sprintf("math.floor(math.abs(%s))", v)
	}
	return fmt.Sprintf("math.floor(%s)", v)
}

func (g *progGen) line(format string, args ...any) {
	g.b.WriteString(strings.Repeat("  ", g.depth))
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

// stmts writes n random statements.
func (g *progGen) stmts(n, nest int) {
	for k := 0; k < n; k++ {
		switch g.r.Intn(16) {
		case 15:
			g.line("acc = (acc + #string.sub(s, %s, %s) + string.byte(s:sub(%s) .. \"!\")) %% 100003", g.num(1), g.num(1), g.num(0))
		case 14:
			// a2 grows as the program runs; h has no array part.
			g.line("for ik, iv in ipairs(%s) do acc = (acc + iv * ik + %s) %% 100003 end", g.pick("t", "a2", "h"), g.num(0))
		case 13:
			g.line("for pk, pv in pairs(h) do acc = (acc + pv * 2) %% 100003 end")
		case 12:
			g.line("local o = {v = %s, w = i, %s}", g.num(1), g.num(0))
			g.line("o.z = acc %% 7")
			g.line("acc = (acc + o.v + o.w + o.z + o[1]) %% 100003")
		case 9:
			g.line("a2[#a2 + 1] = (%s) %% 1000", g.num(1))
		case 10:
			g.line("local key = \"k\" .. (%s) %% %d", g.idx(g.vars[len(g.vars)-1]), g.r.Intn(12)+1)
			g.line("h2[key] = (h2[key] or 0) + 1")
		case 11:
			g.line("acc = (acc + #tostring(%s) + #(\"x\" .. %s .. s)) %% 100003", g.num(1), g.num(0))
		case 0, 1:
			g.line("acc = (acc + %s) %% 100003", g.num(2))
		case 2:
			g.line("t[(%s) %% #t + 1] = (%s) %% 1000", g.idx(g.vars[len(g.vars)-1]), g.num(2))
		case 3:
			g.line("h.%s = (%s) %% 1000", g.pick("x", "y", "z"), g.num(1))
		case 4:
			g.line("if %s %s %s then", g.num(1), g.pick("<", "<=", ">", "==", "~="), g.num(1))
			g.depth++
			g.stmts(1+g.r.Intn(2), nest)
			g.depth--
			if g.r.Intn(2) == 0 {
				g.line("else")
				g.depth++
				g.stmts(1, nest)
				g.depth--
			}
			g.line("end")
		case 5:
			if nest > 0 {
				v := fmt.Sprintf("j%d", nest)
				g.line("for %s = %d, %d do", v, g.r.Intn(3)+1, g.r.Intn(6)+2)
				g.depth++
				g.vars = append(g.vars, v)
				g.stmts(1+g.r.Intn(3), nest-1)
				g.vars = g.vars[:len(g.vars)-1]
				g.depth--
				g.line("end")
			} else {
				g.line("acc = (acc + %s) %% 100003", g.num(1))
			}
		case 6:
			g.line("acc = (acc + inner(%s, %d)) %% 100003", g.num(1), g.r.Intn(5)+1)
		case 7:
			g.line("local v = %s", g.num(2))
			g.line("if v ~= v or v > 1e9 or v < -1e9 then v = 0 end")
			g.line("acc = (acc + v) %% 100003")
		case 8:
			g.line("local q = %s", g.pick("t[1]", "h.x", "acc"))
			g.line("acc = (acc + q * 2) %% 100003")
		}
	}
}

// genProgram returns a random program for seed.
func genProgram(seed int64) string {
	g := &progGen{r: rand.New(rand.NewSource(seed)), vars: []string{"i", "acc"}}
	n := 8 + g.r.Intn(20)
	g.line("local t = {}")
	g.line("for k = 1, %d do t[k] = k * %d %% 17 end", n, g.r.Intn(5)+1)
	g.line("local h = {x = 1.5, y = -2, z = %d}", g.r.Intn(9))
	g.line("local s = %q", strings.Repeat("jitkit!", 3)[:g.r.Intn(15)+1])
	g.line("local acc = 0")
	g.line("local a2, h2 = {}, {}")
	g.line("local function inner(a, n)")
	g.line("  local r = 0")
	g.line("  for p = 1, n do")
	g.line("    for q = p, n do r = r + (a * q + p) %% 7 end")
	g.line("  end")
	g.line("  return r")
	g.line("end")
	g.line("for i = 1, %d do", 150+g.r.Intn(250))
	g.depth++
	g.stmts(2+g.r.Intn(5), 2)
	g.depth--
	g.line("end")
	g.line("for i = 1, %d do acc = (acc + inner(i %% 5, %d)) %% 100003 end", 100+g.r.Intn(200), g.r.Intn(6)+2)
	g.line("local tt = 0")
	g.line("for k = 1, #t do tt = tt + t[k] end")
	g.line("for k = 1, #a2 do tt = tt + a2[k] * k end")
	g.line("for k = 0, 12 do tt = tt + (h2[\"k\" .. k] or 0) * (k + 1) end")
	g.line("print(string.format('%%.17g %%.17g %%.17g %%.17g %%.17g', acc, tt, h.x, h.y, h.z))")
	return g.b.String()
}

// TestRandomPrograms runs seeded random programs with the JIT off and on
// (native, and with every guard or a random subset forced to exit): the
// outputs, error messages included, must be identical.
// JITKIT_RANDOM_SEEDS=N runs N programs instead of the default.
func TestRandomPrograms(t *testing.T) {
	n := 300
	if testing.Short() || os.Getenv("JITKIT_QEMU") == "1" {
		n = 30
	}
	if s := os.Getenv("JITKIT_RANDOM_SEEDS"); s != "" {
		fmt.Sscan(s, &n)
	}
	be := NativeBackend()
	traces := 0
	for seed := int64(1); seed <= int64(n); seed++ {
		src := genProgram(seed)
		want, _ := runSrc(src, nil)
		if strings.HasPrefix(want, "error") || want == "" {
			t.Fatalf("seed %d: the program fails without the JIT: %q\n%s", seed, want, src)
		}
		for _, m := range []string{"off", "all", "random:5"} {
			st, _ := guard.ParseStress(m)
			o := vm.JITOptions{Opt: guard.DefaultOptions(), Stress: st, Backend: be}
			got, _ := runSrc(src, &o)
			if got != want {
				t.Fatalf("seed %d stress=%s:\ngot  %q\nwant %q\n%s", seed, m, got, want, src)
			}
		}
		L := vm.New(vm.Options{Stdout: &strings.Builder{}})
		L.EnableJIT(vm.JITOptions{Opt: guard.DefaultOptions(), Backend: be})
		L.DoString("rand", src)
		traces += L.JITStats().Traces
		L.DisableJIT()
	}
	// The programs must exercise the JIT, or the test proves nothing.
	if traces < n {
		t.Errorf("%d traces over %d programs; want at least one per program", traces, n)
	}
	t.Logf("%d programs, %d traces", n, traces)
}

// FuzzRandomPrograms is TestRandomPrograms on fuzzed seeds.
func FuzzRandomPrograms(f *testing.F) {
	f.Add(int64(1))
	be := NativeBackend()
	f.Fuzz(func(t *testing.T, seed int64) {
		src := genProgram(seed)
		want, _ := runSrc(src, nil)
		st, _ := guard.ParseStress("random:3")
		for _, o := range []vm.JITOptions{{Opt: guard.DefaultOptions(), Backend: be}, {Opt: guard.DefaultOptions(), Backend: be, Stress: st}} {
			if got, _ := runSrc(src, &o); got != want {
				t.Fatalf("seed %d:\ngot  %q\nwant %q\n%s", seed, got, want, src)
			}
		}
	})
}
