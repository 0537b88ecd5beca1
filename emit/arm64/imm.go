package arm64

import (
	"math"
	"math/bits"
)

// -- Immediates --------------------------------------------------------------

// LogicalImm returns the N:immr:imms field (13 bits, N at bit 12) encoding v
// as an arm64 logical immediate for a 64-bit (is32 false) or 32-bit
// operation, and whether v is encodable at all. A logical immediate is a
// 2, 4, 8, 16, 32 or 64-bit element holding one rotated run of ones,
// replicated across the register: 0x00ff00ff00ff00ff and 0xfffffffffffffff0
// are encodable; 0, all ones, and 0x1234 are not.
func LogicalImm(v uint64, is32 bool) (uint32, bool) {
	if is32 {
		if v>>32 != 0 {
			return 0, false
		}
		v |= v << 32
	}
	if v == 0 || v == math.MaxUint64 {
		return 0, false
	}
	// Quick reject: one run of ones per element of e bits means exactly
	// 2*64/e bit transitions around the register, a power of two >= 2.
	if t := bits.OnesCount64(v ^ bits.RotateLeft64(v, 1)); t&(t-1) != 0 {
		return 0, false
	}
	// Smallest element size whose replication gives v.
	e := uint(64)
	for e > 2 {
		h := e / 2
		if v>>h&(1<<h-1) != v&(1<<h-1) {
			break
		}
		e = h
	}
	mask := uint64(math.MaxUint64)
	if e < 64 {
		mask = 1<<e - 1
	}
	x := v & mask
	n := uint(bits.OnesCount64(x))
	// s is where the run of ones starts.
	var s uint
	if x&1 != 0 && x>>(e-1)&1 != 0 {
		s = uint(bits.TrailingZeros64(^x&mask)) + e - n
	} else {
		s = uint(bits.TrailingZeros64(x))
	}
	s %= e
	ones := uint64(1)<<n - 1
	if (ones<<s|ones>>(e-s))&mask != x && s != 0 || s == 0 && ones != x {
		return 0, false
	}
	immr := (e - s) % e
	imms := (^(e-1)<<1 | (n - 1)) & 0x3f
	var nbit uint32
	if e == 64 {
		nbit = 1
	}
	return nbit<<12 | uint32(immr)<<6 | uint32(imms), true
}

// DecodeLogicalImm is the inverse of LogicalImm: the value of the 13-bit
// N:immr:imms field for a register of 64 or 32 bits, and whether the field
// is a valid encoding.
func DecodeLogicalImm(f uint32, is32 bool) (uint64, bool) {
	n, immr, imms := f>>12&1, uint(f>>6&0x3f), f&0x3f
	l := bits.Len32(n<<6 | ^imms&0x3f)
	if l < 2 || (is32 && n != 0) {
		return 0, false
	}
	e := uint(1) << (l - 1)
	s := uint(imms) & (e - 1)
	if s == e-1 {
		return 0, false
	}
	r := immr & (e - 1)
	mask := uint64(math.MaxUint64)
	if e < 64 {
		mask = 1<<e - 1
	}
	x := uint64(1)<<(s+1) - 1
	if r != 0 {
		x = (x>>r | x<<(e-r)) & mask
	}
	for w := e; w < 64; w *= 2 {
		x |= x << w
	}
	if is32 {
		x &= math.MaxUint32
	}
	return x, true
}

// AddImmOK reports whether add/sub (and cmp/cmn) can take imm directly:
// its magnitude is a 12-bit value, optionally shifted left by 12.
func AddImmOK(imm int64) bool {
	_, _, ok := addImm(imm)
	return ok
}

// addImm splits imm into a 12-bit field and its shift, and says whether
// the operation flips between add and sub.
func addImm(imm int64) (field uint32, neg bool, ok bool) {
	if imm < 0 {
		if imm == math.MinInt64 {
			return 0, false, false
		}
		imm, neg = -imm, true
	}
	switch {
	case imm < 1<<12:
		return uint32(imm) << 10, neg, true
	case imm&0xfff == 0 && imm < 1<<24:
		return 1<<22 | uint32(imm>>12)<<10, neg, true
	}
	return 0, false, false
}

// FMovImmOK reports whether fmov can load the double f directly: f is
// ±(16..31)/16 × 2^(-3..4), e.g. 1.0, 0.5, -2.0, 10.0, 0.125 (but not 0.0).
func FMovImmOK(f float64) bool {
	_, ok := fmovImm(f)
	return ok
}

// fmovImm returns the 8-bit imm8 of fmov for a double.
func fmovImm(f float64) (uint32, bool) {
	b := math.Float64bits(f)
	if b&(1<<48-1) != 0 {
		return 0, false
	}
	rep := b >> 54 & 0xff // bits 61..54 repeat the exponent's b bit
	if rep != 0 && rep != 0xff {
		return 0, false
	}
	bb := rep & 1
	if b>>62&1 == bb {
		return 0, false
	}
	return uint32(b>>63)<<7 | uint32(bb)<<6 | uint32(b>>48&0x3f), true
}

// -- Moving constants into registers ----------------------------------------

// movPlan is a shortest sequence for a constant: an optional first
// instruction (movz, movn or orr with a logical immediate) and movk for the
// remaining halfwords.
type movPlan struct {
	first   uint32 // complete first instruction word, without sf and rd
	movk    [4]bool
	movkVal [4]uint16
	n       int
}

// MovImmLen is the number of instructions MovImm emits for v into a 64-bit
// (is32 false) or 32-bit register: 1 to 4. Lowering uses it as the cost of
// rematerializing a constant.
func MovImmLen(v uint64, is32 bool) int {
	var p movPlan
	planMov(&p, v, is32)
	return p.n
}

func planMov(p *movPlan, v uint64, is32 bool) {
	nh := 4
	if is32 {
		nh = 2
		v &= math.MaxUint32
	}
	var zeros, ones int
	for i := 0; i < nh; i++ {
		switch uint16(v >> (16 * i)) {
		case 0:
			zeros++
		case 0xffff:
			ones++
		}
	}
	*p = movPlan{}
	switch {
	case zeros >= nh-1: // a single movz, gas's first choice too
		p.movPlanWide(v, nh, false)
		return
	case ones >= nh-1:
		p.movPlanWide(v, nh, true)
		return
	}
	if f, ok := LogicalImm(v, is32); ok {
		p.first = 0x32000000 | f<<10 | 31<<5 // orr rd, zr, #v
		p.n = 1
		return
	}
	p.movPlanWide(v, nh, ones > zeros)
	if p.n <= 2 {
		return
	}
	// Three or four instructions so far: try orr with a logical immediate
	// that is right in all halfwords but one (or two, when four are
	// needed), then movk for those. A wrong halfword is filled with 0,
	// 0xffff or a copy of a halfword that is kept: the element of a logical
	// immediate either repeats within the kept halfwords or is one run of
	// ones across the register, so these fills find every such pair.
	if best, ok := orrPlan(v, nh, 1); ok {
		*p = best
		return
	}
	if p.n == 4 {
		if best, ok := orrPlan(v, nh, 2); ok {
			*p = best
		}
	}
}

// orrPlan finds orr #c followed by k movk (k = 1 or 2) that builds v. The
// replaced halfwords are filled so that c can be a logical immediate: with
// a copy of the halfword 32 bits away (a 32-bit element), a copy of a kept
// halfword (a 16-bit or smaller element), or 0/0xffff (one run across the
// register, or a 32-bit element whose kept halves are equal).
func orrPlan(v uint64, nh, k int) (movPlan, bool) {
	is32 := nh == 2
	h := func(i int) uint16 { return uint16(v >> (16 * i)) }
	try := func(c uint64) (movPlan, bool) {
		f, ok := LogicalImm(c, is32)
		if !ok {
			return movPlan{}, false
		}
		p := movPlan{first: 0x32000000 | f<<10 | 31<<5, n: 1}
		for i := 0; i < nh; i++ {
			if w := h(i); uint16(c>>(16*i)) != w {
				p.movk[i], p.movkVal[i] = true, w
				p.n++
			}
		}
		return p, true
	}
	set := func(c uint64, i int, x uint16) uint64 { return c&^(0xffff<<(16*i)) | uint64(x)<<(16*i) }
	if k == 1 {
		for i := 0; i < nh; i++ {
			fills := [5]uint16{0, 0xffff}
			n := 2
			for j := 0; j < nh; j++ {
				if j != i {
					fills[n] = h(j)
					n++
				}
			}
			for _, x := range fills[:n] {
				if p, ok := try(set(v, i, x)); ok {
					return p, true
				}
			}
		}
		return movPlan{}, false
	}
	// Two halfwords i, j replaced, k0 and k1 kept (64-bit values only).
	for i := 0; i < 4; i++ {
		for j := i + 1; j < 4; j++ {
			var kept [2]int
			n := 0
			for q := 0; q < 4; q++ {
				if q != i && q != j {
					kept[n] = q
					n++
				}
			}
			k0, k1 := kept[0], kept[1]
			var cands [7]uint64
			nc := 0
			if k0^k1 != 2 { // kept halves of different 32-bit positions
				cands[nc] = set(set(v, i, h(i^2)), j, h(j^2))
				nc++
			}
			if h(k0) == h(k1) {
				cands[nc] = set(set(v, i, h(k0)), j, h(k0))
				nc++
				if k0^k1 == 2 {
					cands[nc], cands[nc+1] = set(set(v, i, 0), j, 0), set(set(v, i, 0xffff), j, 0xffff)
					nc += 2
				}
			}
			for _, x := range [2]uint16{0, 0xffff} {
				for _, y := range [2]uint16{0, 0xffff} {
					if x != y || k0^k1 != 2 || h(k0) != h(k1) {
						cands[nc] = set(set(v, i, x), j, y)
						nc++
					}
				}
			}
			for _, c := range cands[:nc] {
				if p, ok := try(c); ok {
					return p, true
				}
			}
		}
	}
	return movPlan{}, false
}

// movPlanWide plans movz (or movn when useN) followed by movk.
func (p *movPlan) movPlanWide(v uint64, nh int, useN bool) {
	*p = movPlan{}
	skip := uint16(0)
	if useN {
		skip = 0xffff
	}
	first := -1
	for i := 0; i < nh; i++ {
		h := uint16(v >> (16 * i))
		if h == skip {
			continue
		}
		if first < 0 {
			first = i
			continue
		}
		p.movk[i], p.movkVal[i] = true, h
		p.n++
	}
	if first < 0 {
		first = 0 // v is 0 (movz #0) or all ones (movn #0)
	}
	h := uint16(v >> (16 * first))
	if useN {
		p.first = 0x12800000 | uint32(first)<<21 | uint32(^h)<<5
	} else {
		p.first = 0x52800000 | uint32(first)<<21 | uint32(h)<<5
	}
	p.n++
}
