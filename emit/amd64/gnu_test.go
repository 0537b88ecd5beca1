package amd64

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// This file checks every encoder against GNU binutils: the cases below
// are emitted with Asm and written, in GNU syntax, into one .s file that
// `as --64` assembles. `objdump -d -w` of the object gives one line per
// instruction with its bytes and text; the bytes must equal ours, and
// (xarch_test.go) the text must equal what golang.org/x/arch decodes from
// our bytes.

// gnuCase is one instruction: its GNU syntax and the bytes Asm produced.
type gnuCase struct {
	gas  string
	code []byte
}

type gen struct {
	t     *testing.T
	a     *Asm
	cases []gnuCase
}

// add emits one instruction with f and records it beside its GNU text.
func (g *gen) add(gas string, f func(a *Asm)) {
	g.a.Reset()
	f(g.a)
	if err := g.a.Finish(); err != nil {
		g.t.Errorf("%s: %v", gas, err)
		return
	}
	g.cases = append(g.cases, gnuCase{gas: gas, code: bytes.Clone(g.a.Buf.Bytes())})
}

var (
	allGP = []Reg{RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15}
	allX  = []Reg{X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15}
	// Displacements at every encoding boundary, both signs.
	disps = []int32{0, 1, -1, 8, 127, -128, 128, -129, 0x1234, -0x1234, 0x7fffffff, -0x80000000}
	// Immediates at every encoding boundary.
	imms = []int32{0, 1, -1, 2, 127, -128, 128, -129, 255, 256, 0x7fff, -0x8000, 0x8000,
		0xffff, 0x10000, 0x12345678, 0x7fffffff, -0x80000000, -0x12345678}
	sizesAll = []Size{S8, S16, S32, S64}
)

func gr(r Reg, s Size) string { return "%" + r.Name(s) }

func imm(s Size, v int32) string { return "$" + strconv.FormatInt(sizedImm(s, v), 10) }

// allMems is every combination of base (none, each GP register, RIP),
// index (none or each allowed register), scale and displacement.
func allMems() []Mem {
	var ms []Mem
	bases := append([]Reg{NoReg, RIP}, allGP...)
	for _, b := range bases {
		for _, d := range disps {
			ms = append(ms, Mem{Base: b, Disp: d})
			if b == RIP {
				continue
			}
			for _, x := range allGP {
				if x == RSP {
					continue
				}
				for _, sc := range []uint8{1, 2, 4, 8} {
					ms = append(ms, Mem{Base: b, Index: x, Scale: sc, Disp: d})
				}
			}
		}
	}
	return ms
}

// someMems is a deterministic sample of allMems that still holds every
// base with every displacement class, every index, and the awkward bases
// (rsp, rbp, r12, r13) with an index.
func someMems(rng *rand.Rand, n int) []Mem {
	var ms []Mem
	for _, b := range append([]Reg{NoReg, RIP}, allGP...) {
		ms = append(ms, Mem{Base: b, Disp: disps[rng.Intn(len(disps))]}, Mem{Base: b})
	}
	for _, x := range allGP {
		if x != RSP {
			ms = append(ms, Mem{Base: []Reg{RSP, RBP, R12, R13, NoReg}[rng.Intn(5)], Index: x, Scale: 1 << rng.Intn(4), Disp: disps[rng.Intn(len(disps))]})
		}
	}
	all := allMems()
	for len(ms) < n {
		ms = append(ms, all[rng.Intn(len(all))])
	}
	return ms
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.Intn(len(xs))] }

// genCases builds the whole test corpus; scale shrinks the random parts.
func genCases(t *testing.T, scale int) []gnuCase {
	g := &gen{t: t, a: New(nil)}
	rng := rand.New(rand.NewSource(42))
	nm := 40 * scale // memory operands per memory form
	sfx := func(s Size) string { return s.Suffix() }

	// Integer ALU.
	for op := ADD; op <= CMP; op++ {
		for _, s := range sizesAll {
			for _, d := range allGP {
				for _, r := range allGP {
					g.add(fmt.Sprintf("%v %s,%s", op, gr(r, s), gr(d, s)), func(a *Asm) { a.AluRR(op, s, d, r) })
				}
				for _, v := range imms {
					g.add(fmt.Sprintf("%v%s %s,%s", op, sfx(s), imm(s, v), gr(d, s)), func(a *Asm) { a.AluRI(op, s, d, v) })
				}
			}
			for _, m := range someMems(rng, nm) {
				r := pick(rng, allGP)
				v := pick(rng, imms)
				g.add(fmt.Sprintf("%v %v,%s", op, m, gr(r, s)), func(a *Asm) { a.AluRM(op, s, r, m) })
				g.add(fmt.Sprintf("%v %s,%v", op, gr(r, s), m), func(a *Asm) { a.AluMR(op, s, m, r) })
				g.add(fmt.Sprintf("%v%s %s,%v", op, sfx(s), imm(s, v), m), func(a *Asm) { a.AluMI(op, s, m, v) })
			}
		}
	}
	for _, s := range sizesAll {
		for _, x := range allGP {
			for _, y := range allGP {
				g.add(fmt.Sprintf("test %s,%s", gr(y, s), gr(x, s)), func(a *Asm) { a.TestRR(s, x, y) })
			}
			for _, v := range imms {
				g.add(fmt.Sprintf("test%s %s,%s", sfx(s), imm(s, v), gr(x, s)), func(a *Asm) { a.TestRI(s, x, v) })
			}
			for op := INC; op <= IDIV; op++ {
				g.add(fmt.Sprintf("%v%s %s", op, sfx(s), gr(x, s)), func(a *Asm) { a.UnopR(op, s, x) })
			}
			for _, op := range []Shift{ROL, ROR, SHL, SHR, SAR} {
				for _, n := range []uint8{0, 1, 2, 7, 31, 63} {
					g.add(fmt.Sprintf("%v%s $%d,%s", op, sfx(s), n, gr(x, s)), func(a *Asm) { a.ShiftRI(op, s, x, n) })
				}
				g.add(fmt.Sprintf("%v%s %%cl,%s", op, sfx(s), gr(x, s)), func(a *Asm) { a.ShiftRCL(op, s, x) })
			}
			if s == S8 {
				continue
			}
			for _, y := range allGP {
				g.add(fmt.Sprintf("imul %s,%s", gr(y, s), gr(x, s)), func(a *Asm) { a.ImulRR(s, x, y) })
				for c := O; c <= G; c++ {
					g.add(fmt.Sprintf("cmov%v %s,%s", c, gr(y, s), gr(x, s)), func(a *Asm) { a.Cmov(c, s, x, y) })
				}
			}
			for _, v := range imms {
				y := pick(rng, allGP)
				g.add(fmt.Sprintf("imul %s,%s,%s", imm(s, v), gr(y, s), gr(x, s)), func(a *Asm) { a.ImulRRI(s, x, y, v) })
			}
		}
		for _, m := range someMems(rng, nm) {
			v := pick(rng, imms)
			op := Unop(rng.Intn(int(IDIV) + 1))
			g.add(fmt.Sprintf("test%s %s,%v", sfx(s), imm(s, v), m), func(a *Asm) { a.TestMI(s, m, v) })
			g.add(fmt.Sprintf("%v%s %v", op, sfx(s), m), func(a *Asm) { a.UnopM(op, s, m) })
			if s != S8 {
				r := pick(rng, allGP)
				c := Cond(rng.Intn(16))
				g.add(fmt.Sprintf("imul %v,%s", m, gr(r, s)), func(a *Asm) { a.ImulRM(s, r, m) })
				g.add(fmt.Sprintf("cmov%v %v,%s", c, m, gr(r, s)), func(a *Asm) { a.CmovM(c, s, r, m) })
			}
		}
	}
	g.add("cqto", func(a *Asm) { a.Cqo() })
	g.add("cltd", func(a *Asm) { a.Cdq() })
	for _, s := range []Size{S32, S64} {
		for _, x := range allGP {
			for _, y := range allGP {
				for op := BSF; op <= TZCNT; op++ {
					g.add(fmt.Sprintf("%v %s,%s", op, gr(y, s), gr(x, s)), func(a *Asm) { a.BitRR(op, s, x, y) })
				}
			}
			g.add(fmt.Sprintf("bswap %s", gr(x, s)), func(a *Asm) { a.Bswap(s, x) })
			for _, m := range someMems(rng, 4*scale) {
				g.add(fmt.Sprintf("lea %v,%s", m, gr(x, s)), func(a *Asm) { a.Lea(s, x, m) })
			}
		}
	}

	// Moves, loads, stores.
	for _, s := range sizesAll {
		for _, d := range allGP {
			for _, r := range allGP {
				g.add(fmt.Sprintf("mov %s,%s", gr(r, s), gr(d, s)), func(a *Asm) { a.MovRR(s, d, r) })
			}
		}
	}
	movImms := []int64{0, 1, -1, 127, 128, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
		-0x80000000, -0x80000001, 0x7fffffffffffffff, -0x8000000000000000, 0x123456789abc}
	for _, r := range allGP {
		for _, v := range movImms {
			var text string
			switch {
			case v == 0:
				text = fmt.Sprintf("xor %s,%s", gr(r, S32), gr(r, S32))
			case v > 0 && v <= 0xffffffff:
				text = fmt.Sprintf("mov $%d,%s", v, gr(r, S32))
			case v == int64(int32(v)):
				text = fmt.Sprintf("mov $%d,%s", v, gr(r, S64))
			default:
				text = fmt.Sprintf("movabs $%d,%s", v, gr(r, S64))
			}
			g.add(text, func(a *Asm) { a.MovRI(r, v) })
			if v == 0 {
				g.add(fmt.Sprintf("mov $0,%s", gr(r, S32)), func(a *Asm) { a.MovRIKeep(r, v) })
			}
		}
		for _, y := range allGP {
			g.add(fmt.Sprintf("xchg %s,%s", gr(y, S64), gr(r, S64)), func(a *Asm) { a.Xchg(r, y) })
			g.add(fmt.Sprintf("movzbl %s,%s", gr(y, S8), gr(r, S32)), func(a *Asm) { a.ExtRR(S8, false, r, y) })
			g.add(fmt.Sprintf("movsbq %s,%s", gr(y, S8), gr(r, S64)), func(a *Asm) { a.ExtRR(S8, true, r, y) })
			g.add(fmt.Sprintf("movzwl %s,%s", gr(y, S16), gr(r, S32)), func(a *Asm) { a.ExtRR(S16, false, r, y) })
			g.add(fmt.Sprintf("movswq %s,%s", gr(y, S16), gr(r, S64)), func(a *Asm) { a.ExtRR(S16, true, r, y) })
			g.add(fmt.Sprintf("mov %s,%s", gr(y, S32), gr(r, S32)), func(a *Asm) { a.ExtRR(S32, false, r, y) })
			g.add(fmt.Sprintf("movslq %s,%s", gr(y, S32), gr(r, S64)), func(a *Asm) { a.ExtRR(S32, true, r, y) })
			g.add(fmt.Sprintf("mov %s,%s", gr(y, S64), gr(r, S64)), func(a *Asm) { a.ExtRR(S64, false, r, y) })
		}
		for c := O; c <= G; c++ {
			g.add(fmt.Sprintf("set%v %s", c, gr(r, S8)), func(a *Asm) { a.Setcc(c, r) })
		}
		g.add(fmt.Sprintf("push %s", gr(r, S64)), func(a *Asm) { a.Push(r) })
		g.add(fmt.Sprintf("pop %s", gr(r, S64)), func(a *Asm) { a.Pop(r) })
		g.add(fmt.Sprintf("jmp *%s", gr(r, S64)), func(a *Asm) { a.JmpR(r) })
		g.add(fmt.Sprintf("call *%s", gr(r, S64)), func(a *Asm) { a.CallR(r) })
	}
	loads := []struct {
		s    Size
		sx   bool
		name string
		ds   Size
	}{{S8, false, "movzbl", S32}, {S8, true, "movsbq", S64}, {S16, false, "movzwl", S32},
		{S16, true, "movswq", S64}, {S32, false, "mov", S32}, {S32, true, "movslq", S64}, {S64, false, "mov", S64}}
	// The whole addressing-mode space for the 64-bit load.
	for _, m := range allMems() {
		r := pick(rng, allGP)
		g.add(fmt.Sprintf("mov %v,%s", m, gr(r, S64)), func(a *Asm) { a.Load(S64, false, r, m) })
	}
	for _, l := range loads {
		for _, r := range allGP {
			for _, m := range someMems(rng, 2*scale) {
				g.add(fmt.Sprintf("%s %v,%s", l.name, m, gr(r, l.ds)), func(a *Asm) { a.Load(l.s, l.sx, r, m) })
			}
		}
	}
	for _, s := range sizesAll {
		for _, r := range allGP {
			for _, m := range someMems(rng, 2*scale) {
				g.add(fmt.Sprintf("mov %s,%v", gr(r, s), m), func(a *Asm) { a.Store(s, m, r) })
			}
		}
		for _, m := range someMems(rng, nm) {
			v := pick(rng, imms)
			g.add(fmt.Sprintf("mov%s %s,%v", sfx(s), imm(s, v), m), func(a *Asm) { a.StoreI(s, m, v) })
		}
	}
	for _, m := range someMems(rng, nm) {
		g.add(fmt.Sprintf("jmp *%v", m), func(a *Asm) { a.JmpM(m) })
		g.add(fmt.Sprintf("call *%v", m), func(a *Asm) { a.CallM(m) })
	}

	// SSE.
	for op := ADDSD; op <= MOVSS; op++ {
		for _, d := range allX {
			for _, r := range allX {
				g.add(fmt.Sprintf("%v %s,%s", op, gr(r, S64), gr(d, S64)), func(a *Asm) { a.SseRR(op, d, r) })
			}
		}
		for _, m := range someMems(rng, nm) {
			d := pick(rng, allX)
			g.add(fmt.Sprintf("%v %v,%s", op, m, gr(d, S64)), func(a *Asm) { a.SseRM(op, d, m) })
		}
	}
	for _, m := range someMems(rng, nm) {
		x := pick(rng, allX)
		g.add(fmt.Sprintf("movsd %s,%v", gr(x, S64), m), func(a *Asm) { a.StoreSD(m, x) })
		g.add(fmt.Sprintf("movss %s,%v", gr(x, S64), m), func(a *Asm) { a.StoreSS(m, x) })
		s := pick(rng, []Size{S32, S64})
		g.add(fmt.Sprintf("cvtsi2sd%s %v,%s", sfx(s), m, gr(x, S64)), func(a *Asm) { a.Cvtsi2sdM(s, x, m) })
	}
	for _, x := range allX {
		for _, r := range allGP {
			for _, s := range []Size{S32, S64} {
				g.add(fmt.Sprintf("cvtsi2sd%s %s,%s", sfx(s), gr(r, s), gr(x, S64)), func(a *Asm) { a.Cvtsi2sd(s, x, r) })
				g.add(fmt.Sprintf("cvttsd2si %s,%s", gr(x, S64), gr(r, s)), func(a *Asm) { a.Cvttsd2si(s, r, x) })
				g.add(fmt.Sprintf("cvtsd2si %s,%s", gr(x, S64), gr(r, s)), func(a *Asm) { a.Cvtsd2si(s, r, x) })
				mv := map[Size]string{S32: "movd", S64: "movq"}[s]
				g.add(fmt.Sprintf("%s %s,%s", mv, gr(r, s), gr(x, S64)), func(a *Asm) { a.MovGX(s, x, r) })
				g.add(fmt.Sprintf("%s %s,%s", mv, gr(x, S64), gr(r, s)), func(a *Asm) { a.MovXG(s, r, x) })
			}
		}
		for _, y := range allX {
			mode := pick(rng, []Round{RoundNearest, RoundFloor, RoundCeil, RoundTrunc})
			g.add(fmt.Sprintf("roundsd $%d,%s,%s", mode, gr(y, S64), gr(x, S64)), func(a *Asm) { a.Roundsd(x, y, mode) })
		}
	}

	// Control.
	g.add("ret", func(a *Asm) { a.Ret() })
	g.add("ud2", func(a *Asm) { a.Ud2() })
	g.add("int3", func(a *Asm) { a.Int3() })
	nopText := []string{1: "nop", 2: "xchg %ax,%ax", 3: "nopl (%rax)", 4: "{disp8} nopl 0(%rax)",
		5: "{disp8} nopl 0(%rax,%rax,1)", 6: "{disp8} nopw 0(%rax,%rax,1)", 7: "{disp32} nopl 0(%rax)",
		8: "{disp32} nopl 0(%rax,%rax,1)", 9: "{disp32} nopw 0(%rax,%rax,1)"}
	for n := 1; n <= 9; n++ {
		g.add(nopText[n], func(a *Asm) { a.Nop(n) })
	}
	// Forward branches to bound labels: rel8 exactly where gas relaxes to it.
	for _, k := range []int{0, 1, 100, 125, 126, 127, 128, 129, 130, 1000, 70000} {
		g.addBranch(fmt.Sprintf("jmp .+%d", 2+k), fmt.Sprintf("jmp .+%d", 5+k), k, func(a *Asm, l Label) { a.Jmp(l) })
		c := Cond(k % 16)
		g.addBranch(fmt.Sprintf("j%v .+%d", c, 2+k), fmt.Sprintf("j%v .+%d", c, 6+k), k, func(a *Asm, l Label) { a.Jcc(c, l) })
	}
	// rel32 forms, forward and backward, and RIP-relative labels; gas's
	// {disp32} pseudo-prefix keeps it from relaxing to rel8.
	for _, k := range []int{0, 1, 127, 128, 5000} {
		c := Cond(k % 16)
		g.addLabel("{disp32} jmp .%+d", k, func(a *Asm, l Label) { a.JmpLong(l) })
		g.addLabel(fmt.Sprintf("{disp32} j%v .%%+d", c), k, func(a *Asm, l Label) { a.JccLong(c, l) })
		g.addLabel("call .%+d", k, func(a *Asm, l Label) { a.CallLabel(l) })
		for _, r := range []Reg{RAX, R13} {
			g.addLabel("lea .%+d(%%rip),%%"+r.Name(S64), k, func(a *Asm, l Label) { a.Lea(S64, r, LabelMem(l)) })
			g.addLabel("movsd .%+d(%%rip),%%xmm9", k, func(a *Asm, l Label) { a.LoadSD(X9, LabelMem(l)) })
			g.addLabel("addl $1000,.%+d(%%rip)", k, func(a *Asm, l Label) { a.AluMI(ADD, S32, LabelMem(l), 1000) })
		}
	}
	// The 64-bit shorthands.
	for _, r := range allGP {
		y, v := pick(rng, allGP), pick(rng, imms)
		g.add(fmt.Sprintf("add %s,%s", gr(y, S64), gr(r, S64)), func(a *Asm) { a.AddRR(r, y) })
		g.add(fmt.Sprintf("sub %s,%s", gr(y, S64), gr(r, S64)), func(a *Asm) { a.SubRR(r, y) })
		g.add(fmt.Sprintf("cmp %s,%s", gr(y, S64), gr(r, S64)), func(a *Asm) { a.CmpRR(r, y) })
		g.add(fmt.Sprintf("addq %s,%s", imm(S64, v), gr(r, S64)), func(a *Asm) { a.AddRI(r, v) })
		g.add(fmt.Sprintf("subq %s,%s", imm(S64, v), gr(r, S64)), func(a *Asm) { a.SubRI(r, v) })
		g.add(fmt.Sprintf("cmpq %s,%s", imm(S64, v), gr(r, S64)), func(a *Asm) { a.CmpRI(r, v) })
	}
	for _, x := range allX {
		y := pick(rng, allX)
		g.add(fmt.Sprintf("movaps %s,%s", gr(y, S64), gr(x, S64)), func(a *Asm) { a.MovX(x, y) })
	}
	return g.cases
}

// addLabel records an instruction that refers to a label twice: bound k
// bytes after the instruction (forward) and k bytes before it (backward, a
// fixup patched by Bind). text has a %+d for the label's offset from the
// start of the instruction, gas's "." .
func (g *gen) addLabel(text string, k int, f func(a *Asm, l Label)) {
	g.a.Reset()
	l := g.a.NewLabel()
	g.a.Bind(l)
	g.a.Buf.Reserve(k)
	f(g.a, l)
	if err := g.a.Finish(); err != nil {
		g.t.Errorf("%s: %v", text, err)
		return
	}
	code := g.a.Buf.Bytes()
	code = bytes.Clone(code[:len(code)-k])
	g.cases = append(g.cases, gnuCase{gas: fmt.Sprintf(text, len(code)+k), code: code})

	g.a.Reset()
	l = g.a.NewLabel()
	f(g.a, l)
	n := g.a.Buf.Len()
	g.a.Buf.Reserve(k)
	g.a.Bind(l)
	if err := g.a.Finish(); err != nil {
		g.t.Errorf("%s: %v", text, err)
		return
	}
	code = bytes.Clone(g.a.Buf.Bytes()[k : k+n])
	g.cases = append(g.cases, gnuCase{gas: fmt.Sprintf(text, -k), code: code})
}

// addBranch records a branch over k bytes of code to a label bound after
// them; short is the gas text when the rel8 form reaches, long otherwise.
func (g *gen) addBranch(short, long string, k int, f func(a *Asm, l Label)) {
	g.a.Reset()
	l := g.a.NewLabel()
	g.a.Bind(l)
	g.a.Buf.Reserve(k)
	f(g.a, l)
	if err := g.a.Finish(); err != nil {
		g.t.Errorf("%s: %v", short, err)
		return
	}
	code := g.a.Buf.Bytes()
	code = code[:len(code)-k]
	text := short
	if len(code) > 2 {
		text = long
	}
	g.cases = append(g.cases, gnuCase{gas: text, code: bytes.Clone(code)})
}

// objLine is one line of objdump output.
type objLine struct {
	addr uint64
	code []byte
	text string
}

var objRE = regexp.MustCompile(`^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$`)

// parseObjdump reads `objdump -d -w` output.
func parseObjdump(out []byte) ([]objLine, error) {
	var ls []objLine
	for _, line := range strings.Split(string(out), "\n") {
		m := objRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		addr, err := strconv.ParseUint(m[1], 16, 64)
		if err != nil {
			return nil, err
		}
		var code []byte
		for _, h := range strings.Fields(m[2]) {
			b, err := strconv.ParseUint(h, 16, 8)
			if err != nil {
				return nil, fmt.Errorf("objdump line %q: %v", line, err)
			}
			code = append(code, byte(b))
		}
		ls = append(ls, objLine{addr, code, m[3]})
	}
	return ls, nil
}

var spaceRE = regexp.MustCompile(`\s+`)

// normText makes objdump's and x/arch's GNU text comparable. Comments and
// symbol annotations go and spaces collapse; then each memory operand is
// rewritten canonically, because the two printers differ in taste there:
// x/arch prints negative displacements as unsigned 32-bit numbers, omits a
// zero displacement and an absolute address 0, and names the empty SIB
// index %riz and leaves out a scale of 1, where objdump prints -0x80,
// 0x0(%rbp), 0x0 and (%rax,%rcx,1).
func normText(s string) string {
	if i := strings.Index(s, "#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "<"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
	if s == "data16 nop" {
		s = "xchg %ax,%ax" // 66 90, the 2-byte no-op
	}
	mn, args, _ := strings.Cut(s, " ")
	if alias, ok := textAliases[mn]; ok {
		mn = alias
	}
	if args == "" {
		return mn
	}
	ops := splitOperands(args)
	for i, op := range ops {
		ops[i] = normOperand(op, mn)
	}
	if len(ops) == 1 && ops[0] == "0x0" {
		return mn // x/arch prints an absolute address 0 as nothing
	}
	return mn + " " + strings.Join(ops, ",")
}

// splitOperands splits at commas outside parentheses.
func splitOperands(s string) []string {
	var ops []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				ops = append(ops, s[start:i])
				start = i + 1
			}
		}
	}
	return append(ops, s[start:])
}

var memRE = regexp.MustCompile(`^(\*?)(-?(?:0x[0-9a-f]+|[0-9]+))?(\(.*\))?$`)

func normOperand(op, mn string) string {
	if strings.HasPrefix(op, "$") {
		return normImm(op)
	}
	if strings.HasPrefix(op, "%") {
		return op
	}
	if op == "" {
		return "0x0"
	}
	m := memRE.FindStringSubmatch(op)
	if m == nil {
		return op
	}
	star, disp, paren := m[1], m[2], m[3]
	paren = strings.Replace(strings.Replace(paren, ",%riz,1)", ")", 1), ",%riz)", ")", 1)
	paren = strings.Replace(paren, ",1)", ")", 1)
	if strings.HasPrefix(mn, "j") || strings.HasPrefix(mn, "call") {
		if star == "" && paren == "" {
			return op // a branch target address
		}
	}
	var d int64
	if disp != "" {
		neg := strings.HasPrefix(disp, "-")
		u, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(disp, "-"), "0x"), 16, 64)
		if !strings.Contains(disp, "0x") {
			u, err = strconv.ParseUint(strings.TrimPrefix(disp, "-"), 10, 64)
		}
		if err != nil {
			return op
		}
		switch {
		case neg:
			d = -int64(u)
		case u >= 1<<63:
			d = int64(u)
		default:
			d = int64(int32(uint32(u))) // both printers agree on 32-bit displacements
		}
	}
	switch {
	case paren == "":
		return star + fmt.Sprintf("%#x", d)
	case d == 0:
		return star + paren
	case d < 0:
		return star + fmt.Sprintf("-%#x", -d) + paren
	default:
		return star + fmt.Sprintf("%#x", d) + paren
	}
}

// normImm rewrites an immediate as a signed number: objdump prints $0xff80
// for a 16-bit -128, x/arch prints $-0x80. The value is sign-extended from
// the narrowest width that holds it, on both sides alike.
func normImm(op string) string {
	v := strings.TrimPrefix(op, "$")
	neg := strings.HasPrefix(v, "-")
	u, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(v, "-"), "0x"), 16, 64)
	if err != nil {
		return op
	}
	var d int64
	switch {
	case neg:
		d = -int64(u)
	case u < 1<<8:
		d = int64(int8(u))
	case u < 1<<16:
		d = int64(int16(u))
	case u < 1<<32:
		d = int64(int32(u))
	default:
		d = int64(u)
	}
	return fmt.Sprintf("$%d", d)
}

// textAliases maps x/arch mnemonics to objdump's where both name the same
// instruction.
var textAliases = map[string]string{
	"retq":   "ret",
	"movabs": "mov",
	"movsxd": "movslq",
	"jmpq":   "jmp",
	"callq":  "call",
}

func haveGNU(t *testing.T) {
	if os.Getenv("JITKIT_QEMU") == "1" {
		t.Skip("JITKIT_QEMU=1: binutils comparison runs natively only")
	}
	for _, tool := range []string{"as", "objdump"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
}

func TestGNU(t *testing.T) {
	haveGNU(t)
	scale := 4
	if testing.Short() {
		scale = 1
	}
	cases := genCases(t, scale)
	dir := t.TempDir()
	var src bytes.Buffer
	src.WriteString(".text\n")
	for _, c := range cases {
		src.WriteString(c.gas)
		src.WriteByte('\n')
	}
	sPath, oPath := filepath.Join(dir, "t.s"), filepath.Join(dir, "t.o")
	if err := os.WriteFile(sPath, src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("as", "--64", "-o", oPath, sPath).CombinedOutput(); err != nil {
		t.Fatalf("as: %v\n%s", err, firstLines(out, 20))
	}
	out, err := exec.Command("objdump", "-d", "-w", oPath).Output()
	if err != nil {
		t.Fatalf("objdump: %v", err)
	}
	lines, err := parseObjdump(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(cases) {
		t.Fatalf("objdump shows %d instructions for %d cases", len(lines), len(cases))
	}
	bad, badText := 0, 0
	for i, c := range cases {
		l := lines[i]
		if !bytes.Equal(c.code, l.code) {
			if bad++; bad <= 30 {
				t.Errorf("%s:\n\tgas  % x\n\twe   % x", c.gas, l.code, c.code)
			}
			continue
		}
		if decodeText == nil {
			continue
		}
		got, err := decodeText(c.code, l.addr)
		if err != nil {
			t.Errorf("%s: %v", c.gas, err)
			continue
		}
		if got, want := normText(got), normText(l.text); got != want {
			if badText++; badText <= 30 {
				t.Errorf("%s (% x): x/arch %q, objdump %q", c.gas, c.code, got, want)
			}
		}
	}
	t.Logf("%d instructions compared with GNU as; %d byte mismatches; text compared with x/arch: %v, %d mismatches",
		len(cases), bad, decodeText != nil, badText)
}

// decodeText, if set, decodes one instruction at address pc into GNU
// syntax with golang.org/x/arch (xarch_test.go).
var decodeText func(code []byte, pc uint64) (string, error)

func firstLines(b []byte, n int) string {
	ls := strings.SplitN(string(b), "\n", n+1)
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}
