package arm64

import (
	"fmt"
	"math"

	"github.com/jitkit/jitkit/emit"
)

// -- Memory families ---------------------------------------------------------

// ldName is the mnemonic of a load of size s into a register of width w.
func ldName(s Size, signExt, w bool) string {
	switch {
	case s == Size64:
		return "ldr"
	case s == Size32 && signExt:
		return "ldrsw"
	case s == Size32:
		return "ldr"
	case signExt && s == Size16:
		return "ldrsh"
	case signExt:
		return "ldrsb"
	case s == Size16:
		return "ldrh"
	}
	return "ldrb"
}

func stName(s Size) string {
	return [4]string{"strb", "strh", "str", "str"}[s]
}

// unscaled turns ldr.. / str.. into ldur.. / stur...
func unscaled(name string) string { return name[:2] + "u" + name[2:] }

// memText formats m for an access of size s, and says whether the
// instruction is the unscaled (ldur/stur) form.
func memText(m Mem, s Size) (string, bool) {
	switch m.Mode {
	case ModePre:
		return fmt.Sprintf("[%v, #%d]!", m.Base, m.Off), false
	case ModePost:
		return fmt.Sprintf("[%v], #%d", m.Base, m.Off), false
	case ModeReg:
		amt := ""
		if m.Scaled && s > 0 {
			amt = fmt.Sprintf(" #%d", s)
		}
		if m.Ext == UXTX {
			if amt == "" {
				return fmt.Sprintf("[%v, %v]", m.Base, m.Index), false
			}
			return fmt.Sprintf("[%v, %v, lsl%s]", m.Base, m.Index, amt), false
		}
		return fmt.Sprintf("[%v, %v, %v%s]", m.Base, m.Index, m.Ext, amt), false
	}
	off := int64(m.Off)
	uns := !(off >= 0 && off&(1<<s-1) == 0 && off>>s < 4096)
	return fmt.Sprintf("[%v, #%d]", m.Base, m.Off), uns
}

// memOperands returns addressing modes worth testing for size s.
func (g *gen) memOperands(s Size) []Mem {
	sz := int32(1) << s
	var ms []Mem
	base := func() Reg { return gr(g.rn(), false, true) }
	for _, off := range []int32{0, sz, 4095 * sz, 4094 * sz, -1, -256, 255, -sz, 1, 3, 17 * sz, int32(g.r.IntN(4096)) * sz} {
		ms = append(ms, Off(base(), off))
	}
	for _, off := range []int32{-256, 255, 0, sz, -sz, 16} {
		ms = append(ms, PreIndex(base(), off), PostIndex(base(), off))
	}
	idx := func(w bool) Reg { return gr(g.rn(), w, false) }
	ms = append(ms, Idx(base(), idx(false)), IdxScaled(base(), idx(false)),
		IdxExt(base(), idx(true), UXTW, false), IdxExt(base(), idx(true), UXTW, true),
		IdxExt(base(), idx(true), SXTW, false), IdxExt(base(), idx(true), SXTW, true),
		IdxExt(base(), idx(false), SXTX, false), IdxExt(base(), idx(false), SXTX, true))
	return ms
}

func (g *gen) loadStore() {
	for s := Size8; s <= Size64; s++ {
		for _, m := range g.memOperands(s) {
			mt, uns := memText(m, s)
			for _, se := range []bool{false, true} {
				for _, w := range []bool{false, true} {
					if s == Size64 && (se || w) || s == Size32 && se && w || !se && s < Size64 && !w {
						continue // not encodable, or the same as the W case
					}
					rt := gr(g.rn(), w, false)
					if (m.Mode == ModePre || m.Mode == ModePost) && rt.As64() == m.Base {
						continue
					}
					name := ldName(s, se, w)
					if uns {
						name = unscaled(name)
					}
					s, se, m := s, se, m
					g.add(fmt.Sprintf("%s %v, %s", name, rt, mt), "", func(a *Asm) { a.Ldr(s, se, rt, m) })
				}
			}
			w := s < Size64
			rt := gr(g.rn(), w, false)
			if (m.Mode == ModePre || m.Mode == ModePost) && rt.As64() == m.Base {
				continue
			}
			name := stName(s)
			if uns {
				name = unscaled(name)
			}
			s, m := s, m
			g.add(fmt.Sprintf("%s %v, %s", name, rt, mt), "", func(a *Asm) { a.Str(s, rt, m) })
		}
		sz := int32(1) << s
		s := s
		for _, off := range []int32{4096 * sz, -257, 4095*sz + 1} {
			if s == Size8 && off == 4095*sz+1 {
				continue
			}
			off := off
			g.bad(fmt.Sprintf("%s w1, [x2, #%d]", ldName(s, false, true), off), true, func(a *Asm) { a.Ldr(s, false, W1, Off(X2, off)) })
		}
		g.bad(fmt.Sprintf("%s w1, [x2, #256]!", ldName(s, false, true)), true, func(a *Asm) { a.Ldr(s, false, W1, PreIndex(X2, 256)) })
		g.bad(fmt.Sprintf("%s w1, [x2], #-257", ldName(s, false, true)), true, func(a *Asm) { a.Ldr(s, false, W1, PostIndex(X2, -257)) })
	}
	// The fixed-width loads into X, given an X destination, read as W.
	g.add("ldrb w3, [x4, #1]", "", func(a *Asm) { a.Ldr(Size8, false, X3, Off(X4, 1)) })
	g.add("ldr w3, [x4, #4]", "", func(a *Asm) { a.Ldr(Size32, false, X3, Off(X4, 4)) })
	g.bad("ldr w0, [xzr]", true, func(a *Asm) { a.Ldr(Size32, false, W0, Off(XZR, 0)) })
	g.bad("ldr x0, [w1]", true, func(a *Asm) { a.Ldr(Size64, false, X0, Off(W1, 0)) })
	g.bad("ldrsw w0, [x1]", true, func(a *Asm) { a.Ldr(Size32, true, W0, Off(X1, 0)) })
	g.bad("ldr w0, [x1, x2, uxtw]", true, func(a *Asm) { a.Ldr(Size32, false, W0, IdxExt(X1, X2, UXTW, false)) })
	g.bad("ldr sp, [x1]", true, func(a *Asm) { a.Ldr(Size64, false, SP, Off(X1, 0)) })
	g.bad("ldr x1, [x1], #8", false, func(a *Asm) { a.Ldr(Size64, false, X1, PostIndex(X1, 8)) })
	// Floating point.
	for _, f := range []FReg{D0, D31, S7, S31, D(g.r.IntN(32))} {
		s := Size64
		if f.IsSingle() {
			s = Size32
		}
		for _, m := range g.memOperands(s) {
			mt, uns := memText(m, s)
			ld, st := "ldr", "str"
			if uns {
				ld, st = "ldur", "stur"
			}
			f, m := f, m
			g.add(fmt.Sprintf("%s %v, %s", ld, f, mt), "", func(a *Asm) { a.FLdr(f, m) })
			g.add(fmt.Sprintf("%s %v, %s", st, f, mt), "", func(a *Asm) { a.FStr(f, m) })
		}
	}
	g.bad("ldr d0, [x1, #32768]", true, func(a *Asm) { a.FLdr(D0, Off(X1, 32768)) })
}

func (g *gen) pairs() {
	type preg struct {
		n1, n2 int
		r1, r2 string
		f      func(a *Asm, m Mem, load bool)
		s      Size
	}
	var regs []preg
	for k := 0; k < 12; k++ {
		n1, n2 := g.rn(), g.rn()
		for n2 == n1 {
			n2 = g.rn()
		}
		for _, w := range []bool{false, true} {
			r1, r2 := gr(n1, w, false), gr(n2, w, false)
			s := Size64
			if w {
				s = Size32
			}
			regs = append(regs, preg{n1, n2, r1.String(), r2.String(), func(a *Asm, m Mem, load bool) {
				if load {
					a.Ldp(r1, r2, m)
				} else {
					a.Stp(r1, r2, m)
				}
			}, s})
			f1, f2 := D(n1), D(n2)
			if w {
				f1, f2 = S(n1), S(n2)
			}
			regs = append(regs, preg{-1, -1, f1.String(), f2.String(), func(a *Asm, m Mem, load bool) {
				if load {
					a.FLdp(f1, f2, m)
				} else {
					a.FStp(f1, f2, m)
				}
			}, s})
		}
	}
	for _, p := range regs {
		sz := int32(1) << p.s
		for _, off := range []int32{0, sz, -64 * sz, 63 * sz, -sz, 8 * sz} {
			for _, mode := range []Mode{ModeOff, ModePre, ModePost} {
				nb := g.rn()
				b := gr(nb, false, true)
				if mode != ModeOff && (nb == p.n1 || nb == p.n2) && nb != 31 {
					continue
				}
				m := Mem{Base: b, Off: off, Mode: mode}
				mt, _ := memText(m, p.s)
				p, m := p, m
				g.add(fmt.Sprintf("ldp %s, %s, %s", p.r1, p.r2, mt), "", func(a *Asm) { p.f(a, m, true) })
				g.add(fmt.Sprintf("stp %s, %s, %s", p.r1, p.r2, mt), "", func(a *Asm) { p.f(a, m, false) })
			}
		}
		for _, off := range []int32{64 * sz, -65 * sz, sz / 2} {
			p, m := p, Off(X3, off)
			g.bad(fmt.Sprintf("ldp %s, %s, [x3, #%d]", p.r1, p.r2, off), true, func(a *Asm) { p.f(a, m, true) })
		}
	}
	g.bad("ldp x1, x1, [x2]", false, func(a *Asm) { a.Ldp(X1, X1, Off(X2, 0)) })
	g.bad("ldp x1, w2, [x2]", true, func(a *Asm) { a.Ldp(X1, W2, Off(X2, 0)) })
	g.bad("stp x1, x2, [x1, #16]!", false, func(a *Asm) { a.Stp(X1, X2, PreIndex(X1, 16)) })
	g.bad("ldp x1, x2, [x3, x4]", true, func(a *Asm) { a.Ldp(X1, X2, Idx(X3, X4)) })
}

// -- Floating point ----------------------------------------------------------

func (g *gen) float() {
	type f3 struct {
		name string
		f    func(a *Asm, d, n, m FReg)
	}
	ops := []f3{{"fadd", (*Asm).FAdd}, {"fsub", (*Asm).FSub}, {"fmul", (*Asm).FMul}, {"fdiv", (*Asm).FDiv},
		{"fmax", (*Asm).FMax}, {"fmin", (*Asm).FMin}, {"fmaxnm", (*Asm).FMaxnm}, {"fminnm", (*Asm).FMinnm}, {"fnmul", (*Asm).FNMul}}
	fr := func(sgl bool) FReg {
		if sgl {
			return S(g.r.IntN(32))
		}
		return D(g.r.IntN(32))
	}
	for _, sgl := range []bool{false, true} {
		for _, o := range ops {
			for i := 0; i < 32; i += 3 {
				d, n, m := D(i), fr(false), fr(false)
				if sgl {
					d, n, m = S(i), fr(true), fr(true)
				}
				f := o.f
				g.add(fmt.Sprintf("%s %v, %v, %v", o.name, d, n, m), "", func(a *Asm) { f(a, d, n, m) })
			}
		}
		type f4 struct {
			name string
			f    func(a *Asm, d, n, m, x FReg)
		}
		for _, o := range []f4{{"fmadd", (*Asm).FMadd}, {"fmsub", (*Asm).FMsub}, {"fnmadd", (*Asm).FNMadd}, {"fnmsub", (*Asm).FNMsub}} {
			for k := 0; k < 6; k++ {
				d, n, m, x := fr(sgl), fr(sgl), fr(sgl), fr(sgl)
				f := o.f
				g.add(fmt.Sprintf("%s %v, %v, %v, %v", o.name, d, n, m, x), "", func(a *Asm) { f(a, d, n, m, x) })
			}
		}
		type f2 struct {
			name string
			f    func(a *Asm, d, n FReg)
		}
		for _, o := range []f2{{"fmov", (*Asm).FMov}, {"fabs", (*Asm).FAbs}, {"fneg", (*Asm).FNeg}, {"fsqrt", (*Asm).FSqrt},
			{"frintn", (*Asm).FRintn}, {"frintp", (*Asm).FRintp}, {"frintm", (*Asm).FRintm}, {"frintz", (*Asm).FRintz}, {"frinta", (*Asm).FRinta}} {
			for k := 0; k < 6; k++ {
				d, n := fr(sgl), fr(sgl)
				f := o.f
				g.add(fmt.Sprintf("%s %v, %v", o.name, d, n), "", func(a *Asm) { f(a, d, n) })
			}
		}
		for k := 0; k < 8; k++ {
			d, n, m := fr(sgl), fr(sgl), fr(sgl)
			c := allConds[g.r.IntN(16)]
			g.add(fmt.Sprintf("fcmp %v, %v", n, m), "", func(a *Asm) { a.FCmp(n, m) })
			g.add(fmt.Sprintf("fcmp %v, #0.0", n), "", func(a *Asm) { a.FCmpZero(n) })
			g.add(fmt.Sprintf("fcsel %v, %v, %v, %v", d, n, m, c), "", func(a *Asm) { a.FCsel(d, n, m, c) })
			o := fr(!sgl)
			g.add(fmt.Sprintf("fcvt %v, %v", d, o), "", func(a *Asm) { a.FCvt(d, o) })
		}
		// All 256 fmov immediates.
		for sign := 0; sign < 2; sign++ {
			for e := -3; e <= 4; e++ {
				for m := 16; m < 32; m++ {
					v := math.Ldexp(float64(m)/16, e)
					if sign == 1 {
						v = -v
					}
					d := fr(sgl)
					g.add(fmt.Sprintf("fmov %v, #%v", d, v), "", func(a *Asm) { a.FMovImm(d, v) })
				}
			}
		}
		// Integer conversions, both register widths.
		for _, w := range []bool{false, true} {
			type cv struct {
				name string
				f    func(a *Asm, f FReg, r Reg)
			}
			for k := 0; k < 4; k++ {
				f, r := fr(sgl), gr(g.rn(), w, false)
				g.add(fmt.Sprintf("scvtf %v, %v", f, r), "", func(a *Asm) { a.Scvtf(f, r) })
				g.add(fmt.Sprintf("ucvtf %v, %v", f, r), "", func(a *Asm) { a.Ucvtf(f, r) })
				g.add(fmt.Sprintf("fcvtzs %v, %v", r, f), "", func(a *Asm) { a.Fcvtzs(r, f) })
				g.add(fmt.Sprintf("fcvtzu %v, %v", r, f), "", func(a *Asm) { a.Fcvtzu(r, f) })
				g.add(fmt.Sprintf("fcvtms %v, %v", r, f), "", func(a *Asm) { a.Fcvtms(r, f) })
				g.add(fmt.Sprintf("fcvtps %v, %v", r, f), "", func(a *Asm) { a.Fcvtps(r, f) })
				g.add(fmt.Sprintf("fcvtns %v, %v", r, f), "", func(a *Asm) { a.Fcvtns(r, f) })
				if w == sgl {
					g.add(fmt.Sprintf("fmov %v, %v", f, r), "", func(a *Asm) { a.FMovToF(f, r) })
					g.add(fmt.Sprintf("fmov %v, %v", r, f), "", func(a *Asm) { a.FMovFromF(r, f) })
				}
			}
		}
	}
	for _, v := range []float64{0.1, 32, 33, 0.0625, 1.0 / 3, math.Inf(1), math.NaN(), 1e10} {
		v := v
		g.bad(fmt.Sprintf("fmov d1, #%v", v), v != 0.0625 && !math.IsInf(v, 0) && !math.IsNaN(v), func(a *Asm) { a.FMovImm(D1, v) })
	}
	g.bad("fmov d1, #0.0 (a movi)", false, func(a *Asm) { a.FMovImm(D1, 0) })
	g.bad("fadd d0, d1, s2", true, func(a *Asm) { a.FAdd(D0, D1, S2) })
	g.bad("fmov d0, w1", true, func(a *Asm) { a.FMovToF(D0, W1) })
	g.bad("fcvt d0, d1", true, func(a *Asm) { a.FCvt(D0, D1) })
	g.bad("scvtf d0, sp", true, func(a *Asm) { a.Scvtf(D0, SP) })
}

// -- Branches ----------------------------------------------------------------

// boundAt returns a label bound off bytes from the next instruction word
// emitted (positive: later in the code).
func boundAt(a *Asm, off int64) Label {
	l := a.NewLabel()
	a.labels[l-1] = label{pos: a.Here() + 4 - emit.Pos(off), bound: true, head: -1}
	return l
}

func rel(off int64) string { return fmt.Sprintf(".%+d", off) }

func (g *gen) branches() {
	long := []int64{0, 4, -4, 8, 1<<27 - 4, -(1 << 27), 0x123450, -0x77770}
	for _, off := range long {
		off := off
		g.add("b "+rel(off), "", func(a *Asm) { a.B(boundAt(a, off)) })
		g.add("bl "+rel(off), "", func(a *Asm) { a.BL(boundAt(a, off)) })
	}
	g.bad("b .+134217728", true, func(a *Asm) { a.B(boundAt(a, 1<<27)) })
	g.bad("bl .-134217732", true, func(a *Asm) { a.BL(boundAt(a, -(1<<27)-4)) })
	mid := []int64{0, 4, -4, 1<<20 - 4, -(1 << 20), 0x1230, -0x5670}
	far := []int64{1 << 20, -(1 << 20) - 4, 1 << 26, -(1 << 26)}
	for _, c := range allConds {
		for _, off := range mid {
			c, off := c, off
			name := "b." + c.String()
			if c >= AL {
				name = "b"
			}
			g.add(name+" "+rel(off), "", func(a *Asm) { a.BCond(c, boundAt(a, off)) })
		}
		for _, off := range far {
			c, off := c, off
			if c >= AL {
				continue
			}
			// Too far: b.!c over a b; off counts from the b.
			g.add(fmt.Sprintf("b.%v .+8; b %s", c.Invert(), rel(off)), "-", func(a *Asm) { a.BCond(c, boundAt(a, off)) })
		}
	}
	for _, w := range []bool{false, true} {
		for i := 0; i < 32; i += 3 {
			r := gr(i, w, false)
			for _, off := range mid {
				off := off
				g.add(fmt.Sprintf("cbz %v, %s", r, rel(off)), "", func(a *Asm) { a.Cbz(r, boundAt(a, off)) })
				g.add(fmt.Sprintf("cbnz %v, %s", r, rel(off)), "", func(a *Asm) { a.Cbnz(r, boundAt(a, off)) })
			}
			off := far[g.r.IntN(len(far))]
			g.add(fmt.Sprintf("cbnz %v, .+8; b %s", r, rel(off)), "-", func(a *Asm) { a.Cbz(r, boundAt(a, off)) })
			g.add(fmt.Sprintf("cbz %v, .+8; b %s", r, rel(off)), "-", func(a *Asm) { a.Cbnz(r, boundAt(a, off)) })
		}
		for bit := uint(0); bit < uint(nbits(w)); bit++ {
			r := gr(g.rn(), w, false)
			dr := r
			if bit < 32 {
				dr = r.As32()
			}
			for _, off := range []int64{0, 4, -4, 1<<15 - 4, -(1 << 15), 0x120, -0x560} {
				bit, off := bit, off
				if g.quick && off != 4 && bit%8 != 0 {
					continue
				}
				g.add(fmt.Sprintf("tbz %v, #%d, %s", r, bit, rel(off)), fmt.Sprintf("tbz %v, #%d, %s", dr, bit, rel(off)), func(a *Asm) { a.Tbz(r, bit, boundAt(a, off)) })
				g.add(fmt.Sprintf("tbnz %v, #%d, %s", r, bit, rel(off)), fmt.Sprintf("tbnz %v, #%d, %s", dr, bit, rel(off)), func(a *Asm) { a.Tbnz(r, bit, boundAt(a, off)) })
			}
			bit := bit
			g.add(fmt.Sprintf("tbnz %v, #%d, .+8; b .+32768", r, bit), "-", func(a *Asm) { a.Tbz(r, bit, boundAt(a, 1<<15)) })
			g.add(fmt.Sprintf("tbz %v, #%d, .+8; b .-32772", r, bit), "-", func(a *Asm) { a.Tbnz(r, bit, boundAt(a, -(1<<15)-4)) })
		}
	}
	g.bad("tbz w1, #32, .", true, func(a *Asm) { a.Tbz(W1, 32, boundAt(a, 0)) })
	g.bad("tbz x1, #64, .", true, func(a *Asm) { a.Tbz(X1, 64, boundAt(a, 0)) })
	g.bad("cbz sp, .", true, func(a *Asm) { a.Cbz(SP, boundAt(a, 0)) })
	for i := 0; i < 32; i++ {
		r := gr(i, false, false)
		g.add(fmt.Sprintf("br %v", r), "", func(a *Asm) { a.Br(r) })
		g.add(fmt.Sprintf("blr %v", r), "", func(a *Asm) { a.Blr(r) })
		g.add(fmt.Sprintf("ret %v", r), "", func(a *Asm) { a.RetTo(r) })
		for _, off := range []int64{0, 1, -1, 3, 1<<20 - 1, -(1 << 20), 0x12345} {
			off := off
			g.add(fmt.Sprintf("adr %v, %s", r, rel(off)), "", func(a *Asm) { a.Adr(r, boundAt(a, off)) })
		}
		for _, off := range []int64{0, 4, -4, 1<<20 - 4, -(1 << 20), 0x1238} {
			off := off
			g.add(fmt.Sprintf("ldr %v, %s", r, rel(off)), "", func(a *Asm) { a.LdrLit(r, boundAt(a, off)) })
			w := r.As32()
			g.add(fmt.Sprintf("ldr %v, %s", w, rel(off)), "", func(a *Asm) { a.LdrLit(w, boundAt(a, off)) })
			f := D(i)
			g.add(fmt.Sprintf("ldr %v, %s", f, rel(off)), "", func(a *Asm) { a.FLdrLit(f, boundAt(a, off)) })
		}
	}
	g.add("ret", "", func(a *Asm) { a.Ret() })
	g.add("nop", "", func(a *Asm) { a.Nop() })
	g.add("brk #0x1234", "", func(a *Asm) { a.Brk(0x1234) })
	g.bad("br w1", true, func(a *Asm) { a.Br(W1) })
	g.bad("adr x0, .+1048576", true, func(a *Asm) { a.Adr(X0, boundAt(a, 1<<20)) })
	g.bad("ldr x0, .+1048576", true, func(a *Asm) { a.LdrLit(X0, boundAt(a, 1<<20)) })
	g.bad("ldr x0, .+2", true, func(a *Asm) { a.LdrLit(X0, boundAt(a, 2)) })
}

// all builds every family.
func (g *gen) all() {
	g.alu3()
	g.shifted()
	g.extended()
	g.addImm()
	g.logicImm()
	g.movWide()
	g.movImm()
	g.bitfield()
	g.mulDiv()
	g.condSel()
	g.loadStore()
	g.pairs()
	g.float()
	g.branches()
}
