package arm64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
)

// -- Test case generator -----------------------------------------------------
//
// A case pairs assembly text for GNU as with the encoder calls that should
// produce the same bytes. binutils_test.go assembles all of them at once and
// compares, and also decodes our bytes with arm64asm and compares the text.

type tcase struct {
	asm  string     // GNU as input; instructions separated by "; "
	dis  string     // expected arm64asm text when it differs from asm; "-" skips
	emit func(*Asm) // the encoder calls
	bad  bool       // the encoder must refuse (and emit nothing)
	gas  bool       // bad: GNU as must refuse it too
}

type gen struct {
	r     *rand.Rand
	cases []tcase
	quick bool // fewer random combinations
}

func newGen() *gen {
	q := os.Getenv("JITKIT_QEMU") == "1"
	return &gen{r: rand.New(rand.NewPCG(1, 2)), quick: q}
}

func (g *gen) add(asm, dis string, f func(*Asm)) {
	g.cases = append(g.cases, tcase{asm: asm, dis: dis, emit: f})
}

// bad adds a case the encoder must refuse; gasToo says GNU as refuses it.
func (g *gen) bad(asm string, gasToo bool, f func(*Asm)) {
	g.cases = append(g.cases, tcase{asm: asm, emit: f, bad: true, gas: gasToo})
}

// rn picks a register number, 31 included, favoring the edges.
func (g *gen) rn() int {
	switch g.r.IntN(8) {
	case 0:
		return 31
	case 1:
		return 0
	case 2:
		return 30
	}
	return g.r.IntN(32)
}

// gr returns the register with number n in a slot where 31 means SP (sp)
// or the zero register, in the 32-bit view if w.
func gr(n int, w, sp bool) Reg {
	r := Reg(n)
	if n == 31 && sp {
		r = SP
	}
	if w {
		r = r.As32()
	}
	return r
}

// rs returns the assembly name of gr(n, w, sp).
func rs(n int, w, sp bool) string { return gr(n, w, sp).String() }

func hex(v uint64) string { return fmt.Sprintf("#0x%x", v) }

var allConds = []Cond{EQ, NE, HS, LO, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE, AL, NV}

// -- Integer families --------------------------------------------------------

type op3 struct {
	name string
	f    func(a *Asm, d, n, m Reg)
	only string // "x": 64-bit only
}

var ops3 = []op3{
	{"add", (*Asm).Add, ""}, {"adds", (*Asm).Adds, ""}, {"sub", (*Asm).Sub, ""}, {"subs", (*Asm).Subs, ""},
	{"and", (*Asm).And, ""}, {"orr", (*Asm).Orr, ""}, {"eor", (*Asm).Eor, ""}, {"ands", (*Asm).Ands, ""},
	{"bic", (*Asm).Bic, ""}, {"orn", (*Asm).Orn, ""}, {"eon", (*Asm).Eon, ""}, {"bics", (*Asm).Bics, ""},
	{"adc", (*Asm).Adc, ""}, {"adcs", (*Asm).Adcs, ""}, {"sbc", (*Asm).Sbc, ""}, {"sbcs", (*Asm).Sbcs, ""},
	{"lsl", (*Asm).Lsl, ""}, {"lsr", (*Asm).Lsr, ""}, {"asr", (*Asm).Asr, ""}, {"ror", (*Asm).Ror, ""},
	{"sdiv", (*Asm).Sdiv, ""}, {"udiv", (*Asm).Udiv, ""}, {"mul", (*Asm).Mul, ""}, {"mneg", (*Asm).Mneg, ""},
	{"smulh", (*Asm).Smulh, "x"}, {"umulh", (*Asm).Umulh, "x"},
}

func (g *gen) alu3() {
	for _, o := range ops3 {
		for _, w := range []bool{false, true} {
			if w && o.only == "x" {
				continue
			}
			for slot := 0; slot < 3; slot++ {
				for i := 0; i < 32; i++ {
					if g.quick && i%4 != 3 {
						continue
					}
					n := [3]int{g.rn(), g.rn(), g.rn()}
					n[slot] = i
					d, s1, s2 := gr(n[0], w, false), gr(n[1], w, false), gr(n[2], w, false)
					f := o.f
					g.add(fmt.Sprintf("%s %v, %v, %v", o.name, d, s1, s2), "", func(a *Asm) { f(a, d, s1, s2) })
				}
			}
		}
	}
	// Two-operand aliases.
	for _, w := range []bool{false, true} {
		for i := 0; i < 32; i++ {
			d, m := gr(i, w, false), gr(31-i, w, false)
			g.add(fmt.Sprintf("cmp %v, %v", d, m), "", func(a *Asm) { a.Cmp(d, m) })
			g.add(fmt.Sprintf("cmn %v, %v", d, m), "", func(a *Asm) { a.Cmn(d, m) })
			g.add(fmt.Sprintf("tst %v, %v", d, m), "", func(a *Asm) { a.Tst(d, m) })
			g.add(fmt.Sprintf("neg %v, %v", d, m), "", func(a *Asm) { a.Neg(d, m) })
			g.add(fmt.Sprintf("negs %v, %v", d, m), "", func(a *Asm) { a.Negs(d, m) })
			g.add(fmt.Sprintf("mvn %v, %v", d, m), "", func(a *Asm) { a.Mvn(d, m) })
			g.add(fmt.Sprintf("mov %v, %v", d, m), "", func(a *Asm) { a.Mov(d, m) })
			g.add(fmt.Sprintf("clz %v, %v", d, m), "", func(a *Asm) { a.Clz(d, m) })
			g.add(fmt.Sprintf("cls %v, %v", d, m), "", func(a *Asm) { a.Cls(d, m) })
			g.add(fmt.Sprintf("rbit %v, %v", d, m), "", func(a *Asm) { a.Rbit(d, m) })
			g.add(fmt.Sprintf("rev %v, %v", d, m), "", func(a *Asm) { a.Rev(d, m) })
			g.add(fmt.Sprintf("rev16 %v, %v", d, m), "", func(a *Asm) { a.Rev16(d, m) })
			// mov to and from sp
			ds, ms := gr(i, w, true), gr(31, w, true)
			g.add(fmt.Sprintf("mov %v, %v", ds, ms), "", func(a *Asm) { a.Mov(ds, ms) })
			g.add(fmt.Sprintf("mov %v, %v", ms, ds), "", func(a *Asm) { a.Mov(ms, ds) })
		}
	}
	// Register slots that do not accept SP, and mixed widths.
	g.bad("add x0, x1, sp", true, func(a *Asm) { a.Add(X0, X1, SP) })
	g.bad("orr sp, x1, x2", true, func(a *Asm) { a.Orr(SP, X1, X2) })
	g.bad("add x0, x1, w2", true, func(a *Asm) { a.Add(X0, X1, W2) })
	g.bad("mul sp, x1, x2", true, func(a *Asm) { a.Mul(SP, X1, X2) })
	g.bad("smulh w0, w1, w2", true, func(a *Asm) { a.Smulh(W0, W1, W2) })
	g.bad("adds sp, x1, x2", true, func(a *Asm) { a.Adds(SP, X1, X2) })
	g.bad("csel x0, sp, x1, eq", true, func(a *Asm) { a.Csel(X0, SP, X1, EQ) })
	g.bad("clz x0, sp", true, func(a *Asm) { a.Clz(X0, SP) })
}

func (g *gen) shifted() {
	type sop struct {
		name  string
		f     func(a *Asm, d, n, m Reg, s Shift, amt uint)
		logic bool
	}
	ops := []sop{
		{"add", (*Asm).AddShift, false}, {"sub", (*Asm).SubShift, false},
		{"adds", (*Asm).AddsShift, false}, {"subs", (*Asm).SubsShift, false},
	}
	for i, name := range logicNames {
		op := LogicOp(i)
		ops = append(ops, sop{name, func(a *Asm, d, n, m Reg, s Shift, amt uint) { a.LogicShift(op, d, n, m, s, amt) }, true})
	}
	for _, o := range ops {
		for _, w := range []bool{false, true} {
			max := uint(63)
			if w {
				max = 31
			}
			for s := LSL; s <= ROR; s++ {
				if s == ROR && !o.logic {
					g.bad(fmt.Sprintf("%s x1, x2, x3, ror #1", o.name), true, func(a *Asm) { o.f(a, X1, X2, X3, ROR, 1) })
					continue
				}
				for _, amt := range []uint{0, 1, 7, max - 1, max, uint(g.r.IntN(int(max)))} {
					d, n, m := gr(g.rn(), w, false), gr(g.rn(), w, false), gr(g.rn(), w, false)
					f, s, amt := o.f, s, amt
					g.add(fmt.Sprintf("%s %v, %v, %v, %v #%d", o.name, d, n, m, s, amt), "", func(a *Asm) { f(a, d, n, m, s, amt) })
				}
				f, s := o.f, s
				d := gr(1, w, false)
				g.bad(fmt.Sprintf("%s %v, %v, %v, %v #%d", o.name, d, d, d, s, max+1), true, func(a *Asm) { f(a, d, d, d, s, max+1) })
			}
		}
	}
}

func (g *gen) extended() {
	type eop struct {
		name string
		f    func(a *Asm, d, n, m Reg, e Ext, amt uint)
		s    bool
	}
	ops := []eop{{"add", (*Asm).AddExt, false}, {"sub", (*Asm).SubExt, false}, {"adds", (*Asm).AddsExt, true}, {"subs", (*Asm).SubsExt, true}}
	for _, o := range ops {
		for _, w := range []bool{false, true} {
			for e := UXTB; e <= SXTX; e++ {
				for _, amt := range []uint{0, 1, 4} {
					for k := 0; k < 3; k++ {
						nd, nn, nm := g.rn(), g.rn(), g.rn()
						if k == 0 {
							nd, nn = 31, 31
						}
						d, n := gr(nd, w, !o.s), gr(nn, w, true)
						m := gr(nm, w || e&3 != 3, false)
						f, e, amt := o.f, e, amt
						g.add(fmt.Sprintf("%s %v, %v, %v, %v #%d", o.name, d, n, m, e, amt), "", func(a *Asm) { f(a, d, n, m, e, amt) })
					}
				}
			}
			f := o.f
			d := gr(1, w, false)
			g.bad(fmt.Sprintf("%s %v, %v, %v, uxtb #5", o.name, d, d, W3), true, func(a *Asm) { f(a, d, d, W3, UXTB, 5) })
		}
	}
	g.bad("add x0, x1, x2, uxtw", false, func(a *Asm) { a.AddExt(X0, X1, X2, UXTW, 0) })
	g.bad("add x0, x1, w2, uxtx", false, func(a *Asm) { a.AddExt(X0, X1, W2, UXTX, 0) })
	// Plain add/sub with SP pick the extended form.
	for _, w := range []bool{false, true} {
		sp, r1, r2 := gr(31, w, true), gr(1, w, false), gr(2, w, false)
		g.add(fmt.Sprintf("add %v, %v, %v", sp, sp, r1), "", func(a *Asm) { a.Add(sp, sp, r1) })
		g.add(fmt.Sprintf("sub %v, %v, %v", r2, sp, r1), "", func(a *Asm) { a.Sub(r2, sp, r1) })
		g.add(fmt.Sprintf("subs %v, %v, %v", r2, sp, r1), "", func(a *Asm) { a.Subs(r2, sp, r1) })
		g.add(fmt.Sprintf("cmp %v, %v", sp, r1), "", func(a *Asm) { a.Cmp(sp, r1) })
	}
}

func (g *gen) addImm() {
	imms := []int64{0, 1, 2, 0xfff, 0x1000, 0x2000, 0xfff000, 0x123000, 4095 << 12, -1, -0xfff, -0x1000, -0xfff000}
	badImms := []int64{0x1001, 0x1fff, 0x1000000, 0xfff001, -0x1001, 1 << 40, math.MinInt64, math.MaxInt64}
	type iop struct {
		name, neg string
		f         func(a *Asm, d, n Reg, imm int64)
		s         bool
	}
	ops := []iop{
		{"add", "sub", (*Asm).AddImm, false}, {"sub", "add", (*Asm).SubImm, false},
		{"adds", "subs", (*Asm).AddsImm, true}, {"subs", "adds", (*Asm).SubsImm, true},
	}
	for _, o := range ops {
		for _, w := range []bool{false, true} {
			for _, imm := range imms {
				for k := 0; k < 3; k++ {
					nd, nn := g.rn(), g.rn()
					if k == 0 {
						nd, nn = 31, 31
					}
					d, n := gr(nd, w, !o.s), gr(nn, w, true)
					name, v := o.name, imm
					if v < 0 {
						name, v = o.neg, -v
					}
					f, imm := o.f, imm
					g.add(fmt.Sprintf("%s %v, %v, #%d", name, d, n, v), "", func(a *Asm) { f(a, d, n, imm) })
				}
			}
			for _, imm := range badImms {
				f, imm, r := o.f, imm, gr(3, w, false)
				g.bad(fmt.Sprintf("%s %v, %v, #%d", o.name, r, r, imm), imm > 0, func(a *Asm) { f(a, r, r, imm) })
			}
		}
	}
	for _, w := range []bool{false, true} {
		for _, imm := range imms {
			r, sp := gr(g.rn(), w, true), gr(31, w, true)
			name, v := "cmp", imm
			if v < 0 {
				name, v = "cmn", -v
			}
			imm := imm
			g.add(fmt.Sprintf("%s %v, #%d", name, r, v), "", func(a *Asm) { a.CmpImm(r, imm) })
			g.add(fmt.Sprintf("%s %v, #%d", name, sp, v), "", func(a *Asm) { a.CmpImm(sp, imm) })
		}
	}
	g.bad("add x0, x1, #0 (xzr as source)", false, func(a *Asm) { a.AddImm(X0, XZR, 0) })
	g.bad("add w0, w1, #0x100000000", false, func(a *Asm) { a.AddImm(W0, W1, 1<<32) })
}

// logicalValues returns every valid logical immediate for the width, by
// walking all 13-bit fields, in a shuffled order.
func (g *gen) logicalValues(w bool) []uint64 {
	var vs []uint64
	seen := map[uint64]bool{}
	for f := uint32(0); f < 1<<13; f++ {
		if v, ok := DecodeLogicalImm(f, w); ok && !seen[v] {
			seen[v] = true
			vs = append(vs, v)
		}
	}
	g.r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
	return vs
}

func (g *gen) logicImm() {
	type lop struct {
		name string
		f    func(a *Asm, d, n Reg, imm uint64)
		s    bool
	}
	ops := []lop{{"and", (*Asm).AndImm, false}, {"orr", (*Asm).OrrImm, false}, {"eor", (*Asm).EorImm, false}, {"ands", (*Asm).AndsImm, true}}
	for _, w := range []bool{false, true} {
		vs := g.logicalValues(w)
		want := 5334
		if w {
			want = 1302
		}
		if len(vs) != want {
			panic(fmt.Sprintf("DecodeLogicalImm: %d valid values, want %d", len(vs), want))
		}
		for i, v := range vs {
			o := ops[i%len(ops)]
			if g.quick && i%4 != 0 {
				continue
			}
			nd, nn := g.rn(), g.rn()
			d, n := gr(nd, w, !o.s), gr(nn, w, false)
			f, v := o.f, v
			g.add(fmt.Sprintf("%s %v, %v, %s", o.name, d, n, hex(v)), "", func(a *Asm) { f(a, d, n, v) })
			if i < 64 {
				r := gr(nn, w, false)
				g.add(fmt.Sprintf("tst %v, %s", r, hex(v)), "", func(a *Asm) { a.TstImm(r, v) })
			}
		}
		// Values that are not logical immediates: the encoder must say so.
		mask := uint64(math.MaxUint64)
		if w {
			mask = math.MaxUint32
		}
		// Values most of which are not logical immediates: whatever
		// LogicalImm says is checked against GNU as either way.
		cands := []uint64{0, mask, 0x1234, 0x5, 0xff00ff00ff00ff01 & mask, 0xfffffffe0000fffe & mask, 0x0f0f0f0f0f0f0f0e & mask}
		for i := 0; i < 400; i++ {
			v := g.r.Uint64() & mask
			if i%2 == 1 {
				// Near misses: a valid value with one bit flipped.
				v = vs[g.r.IntN(len(vs))] ^ 1<<g.r.IntN(nbits(w))
			}
			cands = append(cands, v)
		}
		for i, v := range cands {
			o := ops[i%len(ops)]
			f, v, r := o.f, v, gr(2, w, false)
			if g.quick && i%4 != 0 {
				continue
			}
			text := fmt.Sprintf("%s %v, %v, %s", o.name, r, r, hex(v))
			if _, ok := LogicalImm(v, w); ok {
				g.add(text, "", func(a *Asm) { f(a, r, r, v) })
			} else {
				g.bad(text, true, func(a *Asm) { f(a, r, r, v) })
			}
		}
	}
	g.bad("and w0, w1, #0x100000000", true, func(a *Asm) { a.AndImm(W0, W1, 1<<32) })
	g.bad("ands sp, x1, #1", true, func(a *Asm) { a.AndsImm(SP, X1, 1) })
}

func nbits(w bool) int {
	if w {
		return 32
	}
	return 64
}

func (g *gen) movWide() {
	for _, w := range []bool{false, true} {
		shifts := []uint{0, 16, 32, 48}
		if w {
			shifts = shifts[:2]
		}
		for _, sh := range shifts {
			for _, imm := range []uint16{0, 1, 0x8000, 0xfffe, 0xffff, uint16(g.r.Uint32())} {
				r := gr(g.rn(), w, false)
				sh, imm := sh, imm
				g.add(fmt.Sprintf("movk %v, #%d, lsl #%d", r, imm, sh), "", func(a *Asm) { a.Movk(r, imm, sh) })
				g.add(fmt.Sprintf("movz %v, #%d, lsl #%d", r, imm, sh), movAlias(r, uint64(imm)<<sh, imm, sh, false), func(a *Asm) { a.Movz(r, imm, sh) })
				g.add(fmt.Sprintf("movn %v, #%d, lsl #%d", r, imm, sh), movAlias(r, ^(uint64(imm)<<sh), imm, sh, true), func(a *Asm) { a.Movn(r, imm, sh) })
			}
		}
		r := gr(1, w, false)
		g.bad(fmt.Sprintf("movz %v, #1, lsl #8", r), true, func(a *Asm) { a.Movz(r, 1, 8) })
		if w {
			g.bad("movz w1, #1, lsl #32", true, func(a *Asm) { a.Movz(W1, 1, 32) })
		}
	}
	g.bad("movz sp, #1", true, func(a *Asm) { a.Movz(SP, 1, 0) })
}

// movAlias is how a disassembler shows movz/movn: as mov #value unless the
// immediate is zero with a shift (or, for movn of a W register, 0xffff).
func movAlias(r Reg, v uint64, imm uint16, sh uint, n bool) string {
	if imm == 0 && sh != 0 || n && r.Is32() && imm == 0xffff {
		return ""
	}
	if r.Is32() {
		v &= math.MaxUint32
	}
	return fmt.Sprintf("mov %v, %s", r, hex(v))
}

// movValues are constants for MovImm: every shape of halfword pattern.
func (g *gen) movValues() []uint64 {
	vs := []uint64{0, 1, 0xffff, 0x10000, 0xffff0000, 0xffffffff, 1 << 63, math.MaxUint64, math.MaxUint64 - 1,
		0x5555555555555555, 0x00ff00ff00ff00ff, 0x1234567890abcdef, 0xffffffff00001234, 0x12340000ffff5678,
		0x0000ffff0000ffff, 0xaaaaaaaa12345678, 0x1234aaaaaaaaaaaa, 0x00ff00ff00ff1234,
		math.Float64bits(1.5), math.Float64bits(math.Pi), math.Float64bits(-0.1), 0x7ff8000000000000}
	halves := []uint64{0, 0xffff, 0x1234, 0x8000, 0x00ff}
	for i := 0; i < 300; i++ {
		var v uint64
		for h := 0; h < 4; h++ {
			var x uint64
			if g.r.IntN(2) == 0 {
				x = halves[g.r.IntN(len(halves))]
			} else {
				x = uint64(g.r.Uint32() & 0xffff)
			}
			v |= x << (16 * h)
		}
		vs = append(vs, v)
	}
	return vs
}

// movText gives GNU as text for the words of a MovImm sequence, read back
// from the plan (the bytes are then checked against as, and the value the
// words compute is checked separately in TestMovImmValue).
func movText(r Reg, v uint64) string {
	var p movPlan
	planMov(&p, v, r.Is32())
	var parts []string
	f := p.first
	switch {
	case f&0x7f800000 == 0x52800000: // movz
		parts = append(parts, fmt.Sprintf("movz %v, #%d, lsl #%d", r, f>>5&0xffff, f>>21&3*16))
	case f&0x7f800000 == 0x12800000: // movn
		parts = append(parts, fmt.Sprintf("movn %v, #%d, lsl #%d", r, f>>5&0xffff, f>>21&3*16))
	default:
		x, _ := DecodeLogicalImm(f>>10&0x1fff, r.Is32())
		parts = append(parts, fmt.Sprintf("orr %v, %v, %s", r, zrOf(r), hex(x)))
	}
	for i := 0; i < 4; i++ {
		if p.movk[i] {
			parts = append(parts, fmt.Sprintf("movk %v, #%d, lsl #%d", r, p.movkVal[i], 16*i))
		}
	}
	return strings.Join(parts, "; ")
}

func (g *gen) movImm() {
	for _, v := range g.movValues() {
		for _, w := range []bool{false, true} {
			r := gr(g.r.IntN(31), w, false)
			v := v
			if w {
				v &= math.MaxUint32
			}
			if MovImmLen(v, w) == 1 {
				// GNU as picks the single instruction itself.
				g.add(fmt.Sprintf("mov %v, %s", r, hex(v)), "-", func(a *Asm) { a.MovImm(r, v) })
			} else {
				g.add(movText(r, v), "-", func(a *Asm) { a.MovImm(r, v) })
			}
		}
	}
	g.bad("mov sp, #1", false, func(a *Asm) { a.MovImm(SP, 1) })
}

func (g *gen) bitfield() {
	for _, w := range []bool{false, true} {
		size := uint(nbits(w))
		for sh := uint(0); sh < size; sh++ {
			d, n := gr(g.rn(), w, false), gr(g.rn(), w, false)
			sh := sh
			g.add(fmt.Sprintf("lsl %v, %v, #%d", d, n, sh), "", func(a *Asm) { a.LslImm(d, n, sh) })
			g.add(fmt.Sprintf("lsr %v, %v, #%d", d, n, sh), "", func(a *Asm) { a.LsrImm(d, n, sh) })
			g.add(fmt.Sprintf("asr %v, %v, #%d", d, n, sh), "", func(a *Asm) { a.AsrImm(d, n, sh) })
			g.add(fmt.Sprintf("ror %v, %v, #%d", d, n, sh), "", func(a *Asm) { a.RorImm(d, n, sh) })
			m := gr(g.rn(), w, false)
			g.add(fmt.Sprintf("extr %v, %v, %v, #%d", d, n, m, sh), extrDis(d, n, m, sh), func(a *Asm) { a.Extr(d, n, m, sh) })
		}
		r := gr(1, w, false)
		g.bad(fmt.Sprintf("lsl %v, %v, #%d", r, r, size), true, func(a *Asm) { a.LslImm(r, r, size) })
		g.bad(fmt.Sprintf("asr %v, %v, #%d", r, r, size), true, func(a *Asm) { a.AsrImm(r, r, size) })
		type bop struct {
			name string
			f    func(a *Asm, d, n Reg, lsb, w uint)
		}
		for _, o := range []bop{{"ubfx", (*Asm).Ubfx}, {"sbfx", (*Asm).Sbfx}, {"bfxil", (*Asm).Bfxil},
			{"ubfiz", (*Asm).Ubfiz}, {"sbfiz", (*Asm).Sbfiz}, {"bfi", (*Asm).Bfi}} {
			fields := [][2]uint{{0, 1}, {0, size}, {size - 1, 1}, {1, size - 1}, {3, 5}, {size / 2, size / 2}}
			for k := 0; k < 6; k++ {
				lsb := uint(g.r.IntN(int(size)))
				fields = append(fields, [2]uint{lsb, 1 + uint(g.r.IntN(int(size-lsb)))})
			}
			for _, fl := range fields {
				d, n := gr(g.rn(), w, false), gr(g.rn(), w, false)
				f, fl := o.f, fl
				g.add(fmt.Sprintf("%s %v, %v, #%d, #%d", o.name, d, n, fl[0], fl[1]), "-", func(a *Asm) { f(a, d, n, fl[0], fl[1]) })
			}
			f := o.f
			g.bad(fmt.Sprintf("%s %v, %v, #%d, #2", o.name, r, r, size-1), true, func(a *Asm) { f(a, r, r, size-1, 2) })
			g.bad(fmt.Sprintf("%s %v, %v, #0, #0", o.name, r, r), true, func(a *Asm) { f(a, r, r, 0, 0) })
		}
		for i := 0; i < 32; i += 5 {
			d, n := gr(i, w, false), gr(31-i, true, false)
			g.add(fmt.Sprintf("sxtb %v, %v", d, n), "", func(a *Asm) { a.Sxtb(d, n) })
			g.add(fmt.Sprintf("sxth %v, %v", d, n), "", func(a *Asm) { a.Sxth(d, n) })
			dw := d.As32()
			g.add(fmt.Sprintf("uxtb %v, %v", dw, n), "", func(a *Asm) { a.Uxtb(d, n) })
			g.add(fmt.Sprintf("uxth %v, %v", dw, n), "", func(a *Asm) { a.Uxth(d, n) })
			g.add(fmt.Sprintf("sxtw %v, %v", d.As64(), n), "", func(a *Asm) { a.Sxtw(d.As64(), n) })
			g.add(fmt.Sprintf("ubfm %v, %v, #%d, #%d", d, d, i, 31-i), "-", func(a *Asm) { a.Ubfm(d, d, uint(i), uint(31-i)) })
			g.add(fmt.Sprintf("sbfm %v, %v, #%d, #%d", d, d, 31-i, i), "-", func(a *Asm) { a.Sbfm(d, d, uint(31-i), uint(i)) })
			g.add(fmt.Sprintf("bfm %v, %v, #%d, #%d", d, d, i, i), "-", func(a *Asm) { a.Bfm(d, d, uint(i), uint(i)) })
		}
	}
	g.bad("sxtw w0, w1", true, func(a *Asm) { a.Sxtw(W0, W1) })
}

func extrDis(d, n, m Reg, sh uint) string {
	if n == m {
		return fmt.Sprintf("ror %v, %v, #%d", d, n, sh)
	}
	return ""
}

func (g *gen) mulDiv() {
	for _, w := range []bool{false, true} {
		for i := 0; i < 32; i++ {
			if g.quick && i%4 != 1 {
				continue
			}
			d, n, m, ra := gr(i, w, false), gr(g.rn(), w, false), gr(g.rn(), w, false), gr(g.rn(), w, false)
			g.add(fmt.Sprintf("madd %v, %v, %v, %v", d, n, m, ra), "", func(a *Asm) { a.Madd(d, n, m, ra) })
			g.add(fmt.Sprintf("msub %v, %v, %v, %v", d, n, m, ra), "", func(a *Asm) { a.Msub(d, n, m, ra) })
		}
	}
	for i := 0; i < 32; i++ {
		d, n, m, ra := gr(i, false, false), gr(g.rn(), true, false), gr(g.rn(), true, false), gr(g.rn(), false, false)
		g.add(fmt.Sprintf("smaddl %v, %v, %v, %v", d, n, m, ra), "", func(a *Asm) { a.Smaddl(d, n, m, ra) })
		g.add(fmt.Sprintf("umaddl %v, %v, %v, %v", d, n, m, ra), "", func(a *Asm) { a.Umaddl(d, n, m, ra) })
		g.add(fmt.Sprintf("smull %v, %v, %v", d, n, m), "", func(a *Asm) { a.Smull(d, n, m) })
		g.add(fmt.Sprintf("umull %v, %v, %v", d, n, m), "", func(a *Asm) { a.Umull(d, n, m) })
	}
	g.bad("smull x0, x1, x2", true, func(a *Asm) { a.Smull(X0, X1, X2) })
	g.bad("madd x0, x1, x2, w3", true, func(a *Asm) { a.Madd(X0, X1, X2, W3) })
}

func (g *gen) condSel() {
	type cop struct {
		name string
		f    func(a *Asm, d, n, m Reg, c Cond)
	}
	for _, w := range []bool{false, true} {
		for _, o := range []cop{{"csel", (*Asm).Csel}, {"csinc", (*Asm).Csinc}, {"csinv", (*Asm).Csinv}, {"csneg", (*Asm).Csneg}} {
			for _, c := range allConds {
				d, n, m := gr(g.rn(), w, false), gr(g.rn(), w, false), gr(g.rn(), w, false)
				f, c := o.f, c
				g.add(fmt.Sprintf("%s %v, %v, %v, %v", o.name, d, n, m, c), "", func(a *Asm) { f(a, d, n, m, c) })
			}
		}
		for _, c := range allConds[:14] {
			d, n := gr(g.rn(), w, false), gr(g.rn(), w, false)
			c := c
			g.add(fmt.Sprintf("cset %v, %v", d, c), "", func(a *Asm) { a.Cset(d, c) })
			g.add(fmt.Sprintf("csetm %v, %v", d, c), "", func(a *Asm) { a.Csetm(d, c) })
			g.add(fmt.Sprintf("cinc %v, %v, %v", d, n, c), "", func(a *Asm) { a.Cinc(d, n, c) })
			g.add(fmt.Sprintf("cneg %v, %v, %v", d, n, c), "", func(a *Asm) { a.Cneg(d, n, c) })
			nzcv := uint8(g.r.IntN(16))
			imm := uint8(g.r.IntN(32))
			m := gr(g.rn(), w, false)
			g.add(fmt.Sprintf("ccmp %v, %v, #%d, %v", n, m, nzcv, c), "", func(a *Asm) { a.Ccmp(n, m, nzcv, c) })
			g.add(fmt.Sprintf("ccmn %v, %v, #%d, %v", n, m, nzcv, c), "", func(a *Asm) { a.Ccmn(n, m, nzcv, c) })
			g.add(fmt.Sprintf("ccmp %v, #%d, #%d, %v", n, imm, nzcv, c), "", func(a *Asm) { a.CcmpImm(n, imm, nzcv, c) })
			g.add(fmt.Sprintf("ccmn %v, #%d, #%d, %v", n, imm, nzcv, c), "", func(a *Asm) { a.CcmnImm(n, imm, nzcv, c) })
		}
	}
	g.bad("cset x0, al", true, func(a *Asm) { a.Cset(X0, AL) })
	g.bad("ccmp x0, #32, #0, eq", true, func(a *Asm) { a.CcmpImm(X0, 32, 0, EQ) })
	g.bad("ccmp x0, x1, #16, eq", true, func(a *Asm) { a.Ccmp(X0, X1, 16, EQ) })
}
