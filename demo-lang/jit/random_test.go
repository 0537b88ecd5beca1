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
// branches that make exits hot, a function with a loop nest called
// from two call sites (side traces from the caller's frame, keyed links),
// and recursive functions (function traces, see recFuncs below).
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
	recs  []*recFn // recursive functions defined so far
	inRec bool     // writing a recursive function's body
	outer []string // vars outside the function being written
	calls bool     // the function being written calls another one or loops
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
		c := g.r.Intn(16)
		// Recursive calls, less often in the inner loops (the main
		// loop's body is at nest 2).
		if len(g.recs) > 0 && g.r.Intn(8+4*(2-nest)) == 0 && (!g.inRec || nest > 0) {
			c = 16
		}
		switch c {
		case 16:
			g.recCall(g.recs[g.r.Intn(len(g.recs))])
		case 15:
			g.line("acc = (acc + #string.sub(s, %s, %s) + string.byte(s:sub(%s) .. \"!\")) %% 100003", g.num(1), g.num(1), g.num(0))
		case 14:
			// a2 grows as the program runs; h has no array part.
			g.line("for ik, iv in ipairs(%s) do acc = (acc + iv * ik + %s) %% 100003 end", g.pick("t", "a2", "h"), g.num(0))
		case 13:
			g.line("for pk, pv in pairs(h) do acc = (acc + pv * 2) %% 100003 end")
		case 12:
			g.line("local o = {v = %s, w = %s, %s}", g.num(1), g.vars[0], g.num(0))
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
	g.line("local keep, rs, ec, em, M = {}, {}, 0, \"none\", {}")
	g.recFuncs()
	iters := 150 + g.r.Intn(250)
	if len(g.recs) > 0 {
		iters = 120 + g.r.Intn(120) // the calls make hot traces soon enough
	}
	g.line("for i = 1, %d do", iters)
	g.depth++
	for _, f := range g.recs {
		if strings.HasPrefix(f.name, "G") {
			g.recSwap(f, 50+g.r.Intn(iters-50))
		}
	}
	g.stmts(2+g.r.Intn(5), 2)
	for _, f := range g.recs {
		if !f.called {
			g.recCall(f)
		}
	}
	g.depth--
	g.line("end")
	g.line("for i = 1, %d do acc = (acc + inner(i %% 5, %d)) %% 100003 end", 100+g.r.Intn(200), g.r.Intn(6)+2)
	g.line("local tt = 0")
	g.line("for k = 1, #t do tt = tt + t[k] end")
	g.line("for k = 1, #a2 do tt = tt + a2[k] * k end")
	g.line("for k = 0, 12 do tt = tt + (h2[\"k\" .. k] or 0) * (k + 1) end")
	g.line("print(string.format('%%.17g %%.17g %%.17g %%.17g %%.17g', acc, tt, h.x, h.y, h.z))")
	g.recEnd()
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

// -- Recursive functions ------------------------------------------------------
//
// genProgram also defines a few recursive functions (function traces,
// up-recursion and returns below the base frame, jit_recurse.go) and calls
// them from the loops, from each other and at the end: self-recursion
// with one to three parameters and zero to two results, called for a
// fixed number of results, for one, for all ({f()}, select, print) and as
// tail calls; base cases chosen by several conditions, some returning
// fewer results than the other paths; double recursion with the two calls
// in different expressions, or in a loop; trees of tables built and
// walked; mutual recursion; errors raised at the bottom (error at levels
// 1 and 2, a runtime error) and caught by pcall; closures made on some
// paths, kept and called at the end (open upvalues when a frame returns);
// a recursive global replaced by a wrapper or from inside its own
// recursion; a recursion thousands of frames deep at the end, now and
// then 20000, which grows the stack and the frame records from inside
// machine code.

// recFn is a recursive function of a generated program.
type recFn struct {
	name   string
	params []string // the depth n first
	nres   int      // results of every path but a short base case
	maxN   int      // depth the loops pass at most
	pcall  bool     // it may raise an error: called through pcall only
	deep   bool     // linear, so a call thousands deep is cheap
	check  string   // for a tree builder, the function that walks the tree
	str    bool     // it returns a string
	called bool     // the main loop calls it
}

// recFuncs defines the program's recursive functions.
func (g *progGen) recFuncs() {
	n := 1
	switch g.r.Intn(12) {
	case 0, 1:
		n = 0
	case 2, 3:
		n = 2
	}
	for k := 0; k < n; k++ {
		switch g.r.Intn(8) {
		case 0, 1, 2:
			g.recLinear(k)
		case 3, 4:
			g.recDouble(k)
		case 5:
			g.recTree(k)
		case 6:
			g.recMutual(k)
		case 7:
			if g.r.Intn(2) == 0 {
				g.recString(k)
			} else {
				g.recVararg(k)
			}
		}
	}
}

// recHead writes the first line of f, a local function or, now and then,
// a field of table M or a global one that the main loop replaces
// (recSwap).
func (g *progGen) recHead(f *recFn) {
	switch g.r.Intn(6) {
	case 0:
		f.name = "M." + f.name
		g.line("function %s(%s)", f.name, strings.Join(f.params, ", "))
		return
	case 1:
		f.name = "G" + f.name
		g.line("sw_%s = false", f.name)
		g.line("function %s(%s)", f.name, strings.Join(f.params, ", "))
		g.line("  if sw_%s and %s == 2 then sw_%s = false %s = function(%s) %s end end", f.name, f.params[0], f.name, f.name, strings.Join(f.params, ", "), recRet(f, "n + 1", "n"))
		return
	}
	g.line("local function %s(%s)", f.name, strings.Join(f.params, ", "))
}

// recArgs returns the arguments of a recursive call of f from its own
// body with depth expression n.
func (g *progGen) recArgs(f *recFn, n string) string {
	args := []string{n}
	for _, p := range f.params[1:] {
		args = append(args, g.pick(p, fmt.Sprintf("(%s + %s) %% 17", p, f.params[0]), fmt.Sprintf("(%s) %% 1000", g.num(1))))
	}
	return strings.Join(args, ", ")
}

// recRet returns the return list of f made from the numeric expressions
// a and b (b for the second result).
func recRet(f *recFn, a, b string) string {
	switch f.nres {
	case 0:
		return "return"
	case 1:
		return fmt.Sprintf("return (%s) %% 100003", a)
	}
	return fmt.Sprintf("return (%s) %% 100003, (%s) %% 1000", a, b)
}

// recBase writes f's base case: several conditions, maybe an error at
// the bottom, maybe fewer results than the other paths.
func (g *progGen) recBase(f *recFn, least int) {
	n := f.params[0]
	cond := fmt.Sprintf("%s < %d", n, least+g.r.Intn(3))
	if g.r.Intn(2) == 0 {
		cond += fmt.Sprintf(" or %s %% %d == 0", n, g.r.Intn(5)+3)
	}
	if g.r.Intn(3) == 0 && len(f.params) > 1 {
		cond += fmt.Sprintf(" or %s > %d", f.params[1], 500+g.r.Intn(500))
	}
	g.line("if %s then", cond)
	g.depth++
	if f.pcall {
		v := g.pick(append([]string{"acc"}, f.params...)...)
		g.line("if %s %% %d < 1 then", v, g.r.Intn(4)+2)
		g.depth++
		switch g.r.Intn(3) {
		case 0:
			g.line("error(\"bottom \" .. %s)", n)
		case 1:
			g.line("error(\"up \" .. %s, 2)", v)
		case 2:
			g.line("local z = nil")
			g.line("return z.w + %s", n)
		}
		g.depth--
		g.line("end")
	}
	a, b := g.num(1), n
	if f.nres == 2 && g.r.Intn(3) == 0 {
		g.line("return (%s) %% 100003", a)
	} else {
		g.line("%s", recRet(f, a, b))
	}
	g.depth--
	g.line("end")
}

// recBody writes up to two random statements in a recursive function, and
// maybe a closure kept for the end.
func (g *progGen) recBody(f *recFn) {
	if g.r.Intn(4) == 0 {
		g.line("local c = %s", f.params[0])
		g.line("if %s %% %d == %d and #keep < 40 then", f.params[0], g.r.Intn(4)+3, g.r.Intn(3))
		g.line("  keep[#keep + 1] = function() c = c + 1 return c * 3 + %s end", f.params[len(f.params)-1])
		g.line("end")
	}
	if g.r.Intn(5) == 0 {
		g.calls = true // not deep either
		g.line("for p = 1, %s %% 3 + 1 do", f.params[0])
		g.vars = append(g.vars, "p")
		g.line("  rs[p] = ((rs[p] or 0) + %s) %% 1000", g.num(1))
		g.vars = g.vars[:len(g.vars)-1]
		g.line("end")
	}
	if k := g.r.Intn(4) / 2; k > 0 {
		g.calls = true // the statements may loop over growing tables
		saved := g.vars
		g.vars = append([]string(nil), f.params...)
		g.inRec = true
		g.stmts(k, 1)
		g.inRec = false
		g.vars = saved
	}
}

// newRec starts the definition of a recursive function: its expressions
// are over its parameters until endRec.
func (g *progGen) newRec(k int, nparams, nres int) *recFn {
	f := &recFn{name: fmt.Sprintf("r%d", k), nres: nres}
	f.params = []string{"n", "x", "y"}[:nparams]
	g.outer = g.vars
	g.vars = f.params
	g.calls = false
	return f
}

// endRec ends the definition of f.
func (g *progGen) endRec(f *recFn) {
	g.depth--
	g.line("end")
	g.vars = g.outer
	f.deep = f.deep && !g.calls // a deep call would cost too much
	g.recs = append(g.recs, f)
}

// recLinear defines a self-recursive function with one recursive call
// (or two on different branches), cheap enough to call deep.
func (g *progGen) recLinear(k int) {
	f := g.newRec(k, 1+g.r.Intn(3), g.r.Intn(3))
	f.maxN, f.deep, f.pcall = 4+g.r.Intn(12), true, g.r.Intn(3) == 0
	g.recHead(f)
	g.depth++
	g.recBase(f, 1)
	g.recBody(f)
	n := f.params[0]
	step := g.pick("1", "1", "2")
	args := g.recArgs(f, n+" - "+step)
	call := fmt.Sprintf("%s(%s)", f.name, args)
	switch g.r.Intn(7) {
	case 6:
		// Through pcall: Go frames between the recursion's; an error
		// (or the C stack's limit, deep down) is caught at every level.
		g.line("local ok, a, b = pcall(%s, %s)", f.name, args)
		g.line("if not ok then a, b = #a, 1 end")
		g.line("%s", recRet(f, "(a or 0) + 1", "(b or 0) + "+n))
	case 0:
		// A tail call.
		g.line("return %s", call)
	case 1:
		g.line("local a, b = %s", call)
		g.line("%s", recRet(f, fmt.Sprintf("(a or 0) + %s", g.num(1)), "(b or 0) + "+n))
	case 2:
		if f.nres == 0 {
			g.line("%s", call)
			g.line("rs[%s %% 5 + 1] = (%s) %% 1000", n, g.num(1))
			g.line("return")
		} else {
			g.line("local v = (%s + %s) %% 100003", call, g.num(0))
			g.line("%s", recRet(f, "v", "v + "+n))
		}
	case 3:
		g.line("local rt = {%s}", call)
		g.line("%s", recRet(f, "#rt + (rt[1] or 0)", "(rt[2] or 1) * 3"))
	case 4:
		// Two call sites on different branches.
		g.line("local a, b")
		g.line("if %s %% 2 == 0 then", n)
		g.line("  a, b = %s", call)
		g.line("else")
		g.line("  a = %s(%s)", f.name, g.recArgs(f, n+" - 1"))
		g.line("end")
		g.line("%s", recRet(f, "(a or 0) * 2 + 1", "(b or 0) + 1"))
	case 5:
		if f.nres == 0 {
			g.line("%s", call)
			g.line("return")
		} else {
			g.line("return (%s) + %s", call, g.num(1))
			f.nres = 1
		}
	}
	g.endRec(f)
}

// recDouble defines a fib-like function: two recursive calls in different
// expressions or a loop of them, so returns land at different call sites.
func (g *progGen) recDouble(k int) {
	f := g.newRec(k, 1+g.r.Intn(2), 1+g.r.Intn(2))
	f.maxN, f.pcall = 3+g.r.Intn(5), g.r.Intn(4) == 0
	g.recHead(f)
	g.depth++
	g.recBase(f, 2)
	g.recBody(f)
	n := f.params[0]
	switch g.r.Intn(3) {
	case 0:
		g.line("local a, b = %s(%s)", f.name, g.recArgs(f, n+" - 1"))
		g.line("%s", recRet(f, fmt.Sprintf("(a or 0) + %s(%s) * 2", f.name, g.recArgs(f, n+" - 2")), "(b or 0) + a"))
	case 1:
		g.line("local a = %s(%s)", f.name, g.recArgs(f, n+" - 2"))
		g.line("local q = %s", g.num(1))
		g.line("local b = %s(%s) - q", f.name, g.recArgs(f, n+" - 1"))
		g.line("%s", recRet(f, "a + b", "a * 2"))
	case 2:
		g.line("local r = 0")
		g.line("for p = 1, 2 do")
		g.line("  r = (r + %s(%s)) %% 100003", f.name, g.recArgs(f, n+" - p"))
		g.line("end")
		g.line("%s", recRet(f, "r + "+n, "r"))
	}
	g.endRec(f)
}

// recTree defines a builder of binary trees of tables and its checker.
func (g *progGen) recTree(k int) {
	f := &recFn{name: fmt.Sprintf("mk%d", k), params: []string{"d", "v"}, nres: 1, maxN: 2 + g.r.Intn(3), check: fmt.Sprintf("ck%d", k)}
	g.line("local function %s(d, v)", f.name)
	g.line("  if d <= 0 then return {v = v} end")
	if g.r.Intn(2) == 0 {
		g.line("  return {%s(d - 1, (v * 3 + 1) %% 97), %s(d - 1, v + 1), v = v}", f.name, f.name)
	} else {
		g.line("  local l = %s(d - 1, v + d)", f.name)
		g.line("  local r = %s(d - %s, v * 2 %% 89)", f.name, g.pick("1", "2"))
		g.line("  return {l, r, v = v}")
	}
	g.line("end")
	g.line("local function %s(t)", f.check)
	if g.r.Intn(2) == 0 {
		g.line("  if t[1] then return (t.v + %s(t[1]) * 2 - %s(t[2])) %% 100003 end", f.check, f.check)
		g.line("  return t.v")
	} else {
		g.line("  local c = t.v")
		g.line("  for q = 1, #t do c = c + %s(t[q]) end", f.check)
		g.line("  return c %% 100003")
	}
	g.line("end")
	g.recs = append(g.recs, f)
}

// recString defines a function that builds a string as it returns.
func (g *progGen) recString(k int) {
	f := &recFn{name: fmt.Sprintf("st%d", k), params: []string{"n", "x"}, nres: 1, maxN: 4 + g.r.Intn(12), str: true}
	g.line("local function %s(n, x)", f.name)
	g.line("  if n <= 0 then return %s end", g.pick(`""`, `"."`, "tostring(x)"))
	g.line("  local r = %s(n - 1, x + %d)", f.name, g.r.Intn(3)+1)
	g.line("  if n %% %d == 0 then return r .. string.sub(s, x %% #s + 1, x %% #s + 2) end", g.r.Intn(3)+2)
	g.line("  return (x %% 10) .. r")
	g.line("end")
	g.recs = append(g.recs, f)
}

// recVararg defines a vararg function whose recursive calls pass its
// varargs on, with one more or as they are.
func (g *progGen) recVararg(k int) {
	f := &recFn{name: fmt.Sprintf("va%d", k), params: []string{"n", "x"}, nres: 1, maxN: 4 + g.r.Intn(12)}
	g.line("local function %s(n, ...)", f.name)
	g.line("  if n <= 0 then return select(\"#\", ...) * 10 + (... or 0) end")
	g.line("  if n %% %d == 0 then return %s(n - 1, ...) end", g.r.Intn(3)+2, f.name)
	g.line("  local r = %s(n - 1, n, ...)", f.name)
	g.line("  return (r + select(\"#\", ...)) %% 100003")
	g.line("end")
	g.recs = append(g.recs, f)
}

// recMutual defines two mutually recursive functions; the pair's first is
// called.
func (g *progGen) recMutual(k int) {
	a, b := fmt.Sprintf("ma%d", k), fmt.Sprintf("mb%d", k)
	g.line("local %s, %s", a, b)
	g.line("function %s(n, x)", a)
	g.line("  if n <= 0 then return x end")
	g.line("  local r = %s(n - 1, (x + n) %% 101)", b)
	g.line("  return (r * 2 + n) %% 100003")
	g.line("end")
	g.line("function %s(n, x)", b)
	g.line("  if n <= %d then return -x end", g.r.Intn(2))
	maxN := 6 + g.r.Intn(15)
	if g.r.Intn(2) == 0 {
		g.line("  return %s(n - 1, x + 1)", a)
	} else {
		g.line("  return (%s(n - 1, x) + %s(n - 2, x)) %% 100003", a, b)
		maxN = 4 + g.r.Intn(8)
	}
	g.line("end")
	g.recs = append(g.recs, &recFn{name: a, params: []string{"n", "x"}, nres: 1, maxN: maxN})
}

// recCall writes a call of f from a loop or from another function's body
// and adds what it returns to acc.
func (g *progGen) recCall(f *recFn) {
	m := f.maxN
	if g.inRec {
		m = 4
		g.calls = true
	} else {
		f.called = true
	}
	args := []string{fmt.Sprintf("(%s) %% %d", g.num(0), m+1)}
	for range f.params[1:] {
		args = append(args, g.num(0))
	}
	if g.r.Intn(8) == 0 {
		args = append(args, "\"extra\"")
	}
	if f.check != "" {
		g.line("acc = (acc + %s(%s(%s))) %% 100003", f.check, f.name, strings.Join(args, ", "))
		return
	}
	if f.str {
		g.line("local sv = %s(%s)", f.name, strings.Join(args, ", "))
		g.line("acc = (acc + #sv + string.byte(sv .. \"!\")) %% 100003")
		return
	}
	call := fmt.Sprintf("%s(%s)", f.name, strings.Join(args, ", "))
	if f.pcall {
		g.line("local ok, e1, e2 = pcall(%s, %s)", f.name, strings.Join(args, ", "))
		g.line("if ok then acc = (acc + (e1 or 0) + (e2 or 0)) %% 100003 else ec = ec + 1 em = e1 end")
		return
	}
	switch g.r.Intn(5) {
	case 0:
		g.line("local a, b = %s", call)
		g.line("acc = (acc + (a or 0) + (b or 0) * 3) %% 100003")
	case 1:
		if f.nres == 0 {
			g.line("%s", call)
		} else {
			g.line("acc = (acc + %s * 2) %% 100003", call)
		}
	case 2:
		g.line("local rt = {%s}", call)
		g.line("acc = (acc + #rt + (rt[1] or 0)) %% 100003")
	case 3:
		g.line("acc = (acc + select(\"#\", %s)) %% 100003", call)
	case 4:
		g.line("%s", call)
	}
}

// recSwap writes, in the main loop, the replacement of a global recursive
// function at iteration at: a wrapper that calls the old one on some
// depths (the old one's recursive calls then go through the wrapper), or
// a flag that makes the function replace itself from inside its
// recursion.
func (g *progGen) recSwap(f *recFn, at int) {
	ps := strings.Join(f.params, ", ")
	g.line("if i == %d then", at)
	if g.r.Intn(2) == 0 {
		g.line("  local old = %s", f.name)
		g.line("  %s = function(%s) if n %% 3 == 1 then %s end return old(%s) end", f.name, ps, recRet(f, "n * 7", "n"), ps)
	} else {
		g.line("  sw_%s = true", f.name)
	}
	g.line("end")
}

// recEnd writes the calls at the end: a deep one, results printed with
// print (all results), the kept closures called.
func (g *progGen) recEnd() {
	for _, f := range g.recs {
		if f.deep && g.r.Intn(3) == 0 {
			d := 300 + g.r.Intn(2000)
			if g.r.Intn(8) == 0 {
				d = 20000
			}
			args := []string{fmt.Sprint(d)}
			for range f.params[1:] {
				args = append(args, fmt.Sprint(g.r.Intn(9)))
			}
			g.line("print(pcall(%s, %s))", f.name, strings.Join(args, ", "))
		}
		args := []string{fmt.Sprint(g.r.Intn(f.maxN + 1))}
		for range f.params[1:] {
			args = append(args, fmt.Sprintf("%d.5", g.r.Intn(9)))
		}
		switch {
		case f.check != "":
			g.line("print(%s(%s(%s)))", f.check, f.name, strings.Join(args, ", "))
		case f.pcall:
			g.line("print(pcall(%s, %s))", f.name, strings.Join(args, ", "))
		default:
			g.line("print(%s(%s))", f.name, strings.Join(args, ", "))
		}
	}
	if len(g.recs) > 0 {
		g.line("local kk = 0")
		g.line("for k = 1, #keep do kk = (kk + keep[k]()) %% 100003 end")
		g.line("print(#keep, kk, ec, em, rs[1], rs[2], rs[5])")
	}
}
