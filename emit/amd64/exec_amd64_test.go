package amd64

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"math/bits"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
)

// These tests build small functions with the encoders and run them
// natively through emit.Enter. The state pointer arrives in RDI and
// points to a [64]uint64 of inputs and outputs.

type state [64]uint64

// runner owns the executable memory of one test.
type runner struct {
	t   *testing.T
	mem *emit.Mem
	a   *Asm
}

func newRunner(t *testing.T) *runner {
	r := &runner{t: t, mem: emit.NewMem(1 << 16), a: New(nil)}
	t.Cleanup(func() { r.mem.Close() })
	return r
}

// load assembles build's code and loads it into executable memory.
func (r *runner) load(build func(a *Asm)) emit.Block {
	r.t.Helper()
	r.a.Reset()
	build(r.a)
	blk, err := r.a.Install(r.mem)
	if err != nil {
		r.t.Fatal(err)
	}
	return blk
}

// call runs code with st as its state.
func call(blk emit.Block, st *state) uint64 {
	s := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(st)))
	runtime.KeepAlive(st)
	return s
}

// run assembles and runs build's code once.
func (r *runner) run(st *state, build func(a *Asm)) uint64 {
	r.t.Helper()
	return call(r.load(build), st)
}

func slot(i int) Mem { return M(RDI, int32(8*i)) }

func scaleDown(n int) int {
	if testing.Short() {
		return n / 10
	}
	return n
}

func TestExecSumLoop(t *testing.T) {
	r := newRunner(t)
	// rax = 0; for rcx = n; rcx != 0; rcx-- { rax += rcx }
	blk := r.load(func(a *Asm) {
		loop, done := a.NewLabel(), a.NewLabel()
		a.Ret()
		a.Bind(done)
		a.Jcc(NE, loop)
		a.UnopR(DEC, S64, RCX)
		a.AddRR(RAX, RCX)
		a.Bind(loop)
		a.Jcc(E, done)
		a.TestRR(S64, RCX, RCX)
		a.MovRI(RAX, 0)
		a.Load(S64, false, RCX, slot(0))
	})
	for _, n := range []uint64{0, 1, 2, 10, 1000, 100000} {
		st := &state{n}
		if got, want := call(blk, st), n*(n+1)/2; got != want {
			t.Errorf("sum 1..%d = %d, want %d", n, got, want)
		}
	}
}

// aluModel computes what an ALU operation leaves in a 64-bit register.
func aluModel(op Alu, s Size, x, y uint64) uint64 {
	var v uint64
	switch op {
	case ADD:
		v = x + y
	case OR:
		v = x | y
	case AND:
		v = x & y
	case SUB:
		v = x - y
	case XOR:
		v = x ^ y
	case CMP:
		return x
	}
	return merge(s, x, v)
}

// merge writes the low s bytes of v into x as x86 does: 8- and 16-bit
// writes keep the rest, 32-bit writes clear the upper half.
func merge(s Size, x, v uint64) uint64 {
	switch s {
	case S8:
		return x&^0xff | v&0xff
	case S16:
		return x&^0xffff | v&0xffff
	case S32:
		return v & 0xffffffff
	}
	return v
}

var interesting = []uint64{0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
	0xffffffff, 1 << 32, 0x7fffffffffffffff, 1 << 63, ^uint64(0), 0x0123456789abcdef}

func randVal(rng *rand.Rand) uint64 {
	if rng.Intn(2) == 0 {
		return interesting[rng.Intn(len(interesting))]
	}
	return rng.Uint64() >> uint(rng.Intn(64))
}

// scratch registers the random tests draw from: everything but RDI (the
// state) and RSP.
var scratch = []Reg{RAX, RCX, RDX, RBX, RBP, RSI, R8, R9, R10, R11, R12, R13, R14, R15}

// TestExecAlu runs random ALU, shift, multiply and move instructions on
// random registers and values and compares the results with a Go model.
func TestExecAlu(t *testing.T) {
	r := newRunner(t)
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < scaleDown(3000); i++ {
		s := []Size{S8, S16, S32, S64}[rng.Intn(4)]
		x, y := randVal(rng), randVal(rng)
		d, sr := scratch[rng.Intn(len(scratch))], scratch[rng.Intn(len(scratch))]
		var want uint64
		var desc string
		var body func(a *Asm)
		switch k := rng.Intn(6); {
		case k == 0 && d != sr:
			op := Alu(rng.Intn(8))
			if op == ADC || op == SBB {
				op = ADD
			}
			want, desc = aluModel(op, s, x, y), op.String()+" rr"
			body = func(a *Asm) { a.AluRR(op, s, d, sr) }
		case k == 1:
			op := []Alu{ADD, OR, AND, SUB, XOR}[rng.Intn(5)]
			imm := int32(randVal(rng))
			want, desc = aluModel(op, s, x, uint64(int64(imm))), op.String()+" ri"
			body = func(a *Asm) { a.AluRI(op, s, d, imm) }
		case k == 2:
			op := []Shift{ROL, ROR, SHL, SHR, SAR}[rng.Intn(5)]
			n := uint8(rng.Intn(64))
			want, desc = shiftModel(op, s, x, n), op.String()
			body = func(a *Asm) { a.ShiftRI(op, s, d, n) }
		case k == 3 && s != S8 && d != sr:
			want, desc = merge(s, x, x*y), "imul"
			body = func(a *Asm) { a.ImulRR(s, d, sr) }
		case k == 4:
			op := []Unop{INC, DEC, NOT, NEG}[rng.Intn(4)]
			v := map[Unop]uint64{INC: x + 1, DEC: x - 1, NOT: ^x, NEG: -x}[op]
			want, desc = merge(s, x, v), op.String()
			body = func(a *Asm) { a.UnopR(op, s, d) }
		default:
			imm := int64(randVal(rng))
			want, desc = uint64(imm), "mov ri"
			body = func(a *Asm) { a.MovRI(d, imm) }
		}
		st := &state{x, y}
		r.run(st, func(a *Asm) {
			a.Ret()
			a.Store(S64, slot(2), d)
			body(a)
			if d != sr {
				a.Load(S64, false, sr, slot(1))
			}
			a.Load(S64, false, d, slot(0))
		})
		if st[2] != want {
			t.Fatalf("%s size %d %v,%v with x=%#x y=%#x: got %#x, want %#x", desc, s, d, sr, x, y, st[2], want)
		}
	}
}

func shiftModel(op Shift, s Size, x uint64, n uint8) uint64 {
	w := uint(8 * s)
	cnt := uint(n) & 31
	if s == S64 {
		cnt = uint(n) & 63
	}
	if cnt == 0 {
		return merge(s, x, x) // no change, but a 32-bit write still clears the upper half
	}
	mask := ^uint64(0) >> (64 - w)
	v := x & mask
	var res uint64
	switch op {
	case SHL:
		res = v << cnt
	case SHR:
		res = v >> cnt
	case SAR:
		res = uint64(int64(v<<(64-w)) >> (64 - w) >> cnt)
	case ROL:
		k := cnt % w
		res = v<<k | v>>(w-k)
	case ROR:
		k := cnt % w
		res = v>>k | v<<(w-k)
	}
	return merge(s, x, res&mask)
}

// TestExecLoadStore checks every load width and extension and every store
// width against Go, through assorted addressing modes.
func TestExecLoadStore(t *testing.T) {
	r := newRunner(t)
	rng := rand.New(rand.NewSource(3))
	loads := []struct {
		s  Size
		sx bool
		f  func(uint64) uint64
	}{
		{S8, false, func(v uint64) uint64 { return uint64(uint8(v)) }},
		{S8, true, func(v uint64) uint64 { return uint64(int64(int8(v))) }},
		{S16, false, func(v uint64) uint64 { return uint64(uint16(v)) }},
		{S16, true, func(v uint64) uint64 { return uint64(int64(int16(v))) }},
		{S32, false, func(v uint64) uint64 { return uint64(uint32(v)) }},
		{S32, true, func(v uint64) uint64 { return uint64(int64(int32(v))) }},
		{S64, false, func(v uint64) uint64 { return v }},
	}
	for i := 0; i < scaleDown(500); i++ {
		l := loads[rng.Intn(len(loads))]
		v := randVal(rng)
		// Address slot 5 as base+index*scale+disp with a random split.
		base := scratch[rng.Intn(len(scratch))]
		idx := scratch[rng.Intn(len(scratch))]
		if idx == base {
			idx = NoReg
		}
		scale := uint8(1) << rng.Intn(4)
		k := int32(rng.Intn(5))
		dst := scratch[rng.Intn(len(scratch))]
		st := &state{5: v, 6: 0xdeadbeefdeadbeef}
		r.run(st, func(a *Asm) {
			a.Ret()
			a.Store(S64, slot(7), dst)
			a.Store(l.s, slot(6), dst) // low bytes over the old pattern
			a.Load(l.s, l.sx, dst, Mem{Base: base, Index: idx, Scale: scale, Disp: 40 - k*int32(scale)})
			if idx != NoReg {
				a.MovRI(idx, int64(k))
			} else {
				a.Lea(S64, base, M(base, k*int32(scale)))
			}
			a.MovRR(S64, base, RDI)
		})
		want := l.f(v)
		if st[7] != want {
			t.Fatalf("load %d sx=%v of %#x via %v: got %#x, want %#x", l.s, l.sx, v, Mem{base, idx, scale, 40 - k*int32(scale)}, st[7], want)
		}
		if w6 := merge(l.s, 0xdeadbeefdeadbeef, want); l.s != S32 && st[6] != w6 || l.s == S32 && st[6] != 0xdeadbeef00000000|want&0xffffffff {
			t.Fatalf("store %d of %#x: slot holds %#x", l.s, want, st[6])
		}
	}
}

// condModel evaluates a condition on the flags of cmp x, y (x - y).
func condModel(c Cond, x, y uint64) bool {
	d := x - y
	zf := d == 0
	sf := int64(d) < 0
	cf := x < y
	of := (int64(x) < 0) != (int64(y) < 0) && (int64(d) < 0) != (int64(x) < 0)
	pf := bits.OnesCount8(uint8(d))%2 == 0
	var v bool
	switch c &^ 1 {
	case O:
		v = of
	case B:
		v = cf
	case E:
		v = zf
	case BE:
		v = cf || zf
	case S:
		v = sf
	case P:
		v = pf
	case L:
		v = sf != of
	case LE:
		v = zf || sf != of
	}
	return v != (c&1 == 1)
}

// TestExecConditions checks jcc (short and long), setcc and cmov for all
// sixteen conditions against the flags of a compare.
func TestExecConditions(t *testing.T) {
	r := newRunner(t)
	rng := rand.New(rand.NewSource(5))
	type fn struct{ set, cmov, jcc, jccFar emit.Block }
	var fns [16]fn
	for c := O; c <= G; c++ {
		fns[c].set = r.load(func(a *Asm) {
			a.Ret()
			a.ExtRR(S8, false, RAX, RSI)
			a.Setcc(c, RSI)
			a.CmpRR(RCX, RDX)
			a.Load(S64, false, RDX, slot(1))
			a.Load(S64, false, RCX, slot(0))
		})
		fns[c].cmov = r.load(func(a *Asm) {
			a.Ret()
			a.Cmov(c, S64, RAX, R9)
			a.MovRIKeep(R9, 1) // must not disturb the flags
			a.CmpRR(RCX, RDX)
			a.MovRI(RAX, 0)
			a.Load(S64, false, RDX, slot(1))
			a.Load(S64, false, RCX, slot(0))
		})
		for far, dst := range []*emit.Block{&fns[c].jcc, &fns[c].jccFar} {
			*dst = r.load(func(a *Asm) {
				taken := a.NewLabel()
				a.Ret()
				a.MovRI(RAX, 1)
				a.Bind(taken)
				if far == 1 {
					a.Nop(300) // forces rel32
				}
				a.Ret()
				a.MovRI(RAX, 0)
				a.Jcc(c, taken)
				a.CmpRR(RCX, RDX)
				a.Load(S64, false, RDX, slot(1))
				a.Load(S64, false, RCX, slot(0))
			})
		}
	}
	for i := 0; i < scaleDown(400); i++ {
		x, y := randVal(rng), randVal(rng)
		if i%5 == 0 {
			y = x
		}
		st := &state{x, y}
		for c := O; c <= G; c++ {
			want := uint64(0)
			if condModel(c, x, y) {
				want = 1
			}
			for name, b := range map[string]emit.Block{"set": fns[c].set, "cmov": fns[c].cmov, "jcc": fns[c].jcc, "jcc rel32": fns[c].jccFar} {
				if got := call(b, st); got != want {
					t.Fatalf("%s%v after cmp %#x,%#x: got %d, want %d", name, c, x, y, got, want)
				}
			}
		}
	}
}

func TestExecDivide(t *testing.T) {
	r := newRunner(t)
	idiv := r.load(func(a *Asm) {
		a.Ret()
		a.Store(S64, slot(3), RDX)
		a.Store(S64, slot(2), RAX)
		a.UnopR(IDIV, S64, RCX)
		a.Cqo()
		a.Load(S64, false, RCX, slot(1))
		a.Load(S64, false, RAX, slot(0))
	})
	div32 := r.load(func(a *Asm) {
		a.Ret()
		a.Store(S64, slot(3), RDX)
		a.Store(S64, slot(2), RAX)
		a.UnopR(DIV, S32, R11)
		a.MovRI(RDX, 0)
		a.Load(S32, false, R11, slot(1))
		a.Load(S32, false, RAX, slot(0))
	})
	rng := rand.New(rand.NewSource(9))
	for i := 0; i < scaleDown(500); i++ {
		x, y := int64(randVal(rng)), int64(randVal(rng))
		if y == 0 || x == math.MinInt64 && y == -1 {
			continue
		}
		st := &state{uint64(x), uint64(y)}
		call(idiv, st)
		if int64(st[2]) != x/y || int64(st[3]) != x%y {
			t.Fatalf("idiv %d/%d = %d r %d", x, y, int64(st[2]), int64(st[3]))
		}
		ux, uy := uint32(x), uint32(y)
		if uy == 0 {
			continue
		}
		call(div32, st)
		if st[2] != uint64(ux/uy) || st[3] != uint64(ux%uy) {
			t.Fatalf("div32 %d/%d = %d r %d", ux, uy, st[2], st[3])
		}
	}
}

// TestExecFloat checks the double-precision arithmetic, square root,
// min/max, conversions and rounding against Go.
func TestExecFloat(t *testing.T) {
	r := newRunner(t)
	ops := []struct {
		op Sse
		f  func(x, y float64) float64
	}{
		{ADDSD, func(x, y float64) float64 { return x + y }},
		{SUBSD, func(x, y float64) float64 { return x - y }},
		{MULSD, func(x, y float64) float64 { return x * y }},
		{DIVSD, func(x, y float64) float64 { return x / y }},
		{SQRTSD, func(x, y float64) float64 { return math.Sqrt(y) }},
		// minsd/maxsd return the second operand when either is NaN or both are zero.
		{MINSD, func(x, y float64) float64 {
			if x < y {
				return x
			}
			return y
		}},
		{MAXSD, func(x, y float64) float64 {
			if x > y {
				return x
			}
			return y
		}},
	}
	blks := make([]emit.Block, len(ops))
	for i, o := range ops {
		blks[i] = r.load(func(a *Asm) {
			a.Ret()
			a.StoreSD(slot(2), X9)
			a.SseRR(o.op, X9, X14)
			a.LoadSD(X14, slot(1))
			a.SseRM(MOVSD, X9, slot(0))
		})
	}
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 3, 1e300, -1e-300, math.Inf(1), math.Inf(-1), math.NaN(), math.Pi}
	for _, x := range vals {
		for _, y := range vals {
			st := &state{math.Float64bits(x), math.Float64bits(y)}
			for i, o := range ops {
				call(blks[i], st)
				got, want := math.Float64frombits(st[2]), o.f(x, y)
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("%v(%v, %v) = %v, want %v", o.op, x, y, got, want)
				}
			}
		}
	}

	// int64 -> double -> (floor, trunc) -> int64, and the bits moved through movq.
	conv := r.load(func(a *Asm) {
		a.Ret()
		a.Store(S64, slot(5), RCX)
		a.MovXG(S64, RCX, X3)
		a.Store(S64, slot(4), RDX)
		a.Cvttsd2si(S64, RDX, X2)
		a.Roundsd(X2, X3, RoundFloor)
		a.Store(S64, slot(3), RAX)
		a.Cvttsd2si(S64, RAX, X3)
		a.StoreSD(slot(2), X3)
		a.Cvtsi2sd(S64, X3, RAX)
		a.SseRR(XORPS, X3, X3)
		a.MovGX(S64, X3, RAX) // dirty X3 first: cvtsi2sd must overwrite it
		a.Load(S64, false, RAX, slot(0))
	})
	half := r.load(func(a *Asm) {
		a.Ret()
		a.Store(S64, slot(4), RDX)
		a.Cvttsd2si(S64, RDX, X2)
		a.Roundsd(X2, X3, RoundFloor)
		a.Store(S64, slot(3), RAX)
		a.Cvttsd2si(S64, RAX, X3)
		a.StoreSD(slot(2), X4)
		a.Cvtsi2sdM(S32, X4, slot(1)) // int32 from memory
		a.LoadSD(X3, slot(0))
	})
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < scaleDown(300); i++ {
		n := int64(randVal(rng)) >> uint(rng.Intn(64))
		st := &state{uint64(n)}
		call(conv, st)
		f := float64(n)
		if st[2] != math.Float64bits(f) || st[5] != math.Float64bits(f) || int64(st[3]) != cvtt(f) {
			t.Fatalf("conversions of %d: %v %#x %d, want %v %d", n, math.Float64frombits(st[2]), st[5], int64(st[3]), f, cvtt(f))
		}
		x := (rng.Float64() - 0.5) * math.Pow(2, float64(rng.Intn(70)))
		k := int32(rng.Uint32())
		st = &state{math.Float64bits(x), uint64(uint32(k))}
		call(half, st)
		if int64(st[3]) != cvtt(x) || int64(st[4]) != cvtt(math.Floor(x)) || math.Float64frombits(st[2]) != float64(k) {
			t.Fatalf("trunc/floor of %v: %d %d, want %d %d; int32 %d -> %v", x, int64(st[3]), int64(st[4]), cvtt(x), cvtt(math.Floor(x)), k, math.Float64frombits(st[2]))
		}
	}
}

// cvtt is cvttsd2si's semantics: truncation, or 1<<63 when out of range.
func cvtt(f float64) int64 {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return math.MinInt64
	}
	return int64(f)
}

// TestExecCalls calls leaf helpers three ways: a helper in the same buffer
// (CallLabel), one in another block (CallAbs resolved by Link), and
// through a register.
func TestExecCalls(t *testing.T) {
	r := newRunner(t)
	// helper: rax = rax*3 + 1 (a leaf: no stack use beyond its return address)
	helper := r.load(func(a *Asm) {
		a.Ret()
		a.Lea(S64, RAX, MI(RAX, RAX, 2, 1))
	})
	blk := r.load(func(a *Asm) {
		h := a.NewLabel()
		a.Ret()
		a.Lea(S64, RAX, MI(RAX, RAX, 1, 0)) // local helper: rax *= 2
		a.Bind(h)
		a.Ret()
		a.CallR(R11)
		a.MovRI(R11, int64(helper.Addr))
		a.CallAbs(helper.Addr)
		a.CallLabel(h)
		a.Load(S64, false, RAX, slot(0))
	})
	st := &state{5}
	// ((5*2)*3+1)*3+1 = 94
	if got := call(blk, st); got != 94 {
		t.Errorf("calls: got %d, want 94", got)
	}
}

// TestExecLabels covers RIP-relative operands on labels bound before the
// reference (later in the code: a constant) and after it (earlier in the
// code: patched by Bind).
func TestExecLabels(t *testing.T) {
	r := newRunner(t)
	st := &state{}
	got := r.run(st, func(a *Asm) {
		top := a.NewLabel()
		// Program order:
		//	top: movsd k(%rip),%xmm0; lea top(%rip),%rdx; movsd %xmm0,(%rdi)
		//	     lea k(%rip),%rax; sub %rdx,%rax; ret
		//	k:   .double 2.5
		k := a.Const(math.Float64bits(2.5))
		a.Ret()
		a.SubRR(RAX, RDX)
		a.Lea(S64, RAX, LabelMem(k))
		a.StoreSD(slot(0), X0)
		a.Lea(S64, RDX, LabelMem(top)) // top is not bound yet: a fixup
		a.LoadSD(X0, LabelMem(k))
		a.Bind(top)
	})
	if math.Float64frombits(st[0]) != 2.5 {
		t.Errorf("rip-relative constant: %v", math.Float64frombits(st[0]))
	}
	// k - top: movsd load (8) + lea (7) + movsd store (4) + lea (7) + sub (3) + ret (1).
	if got != 30 {
		t.Errorf("k - top = %d, want 30", got)
	}
}

// TestExecPatchExit links an exit to a "side trace" by patching its jcc
// in place, and checks that no page is ever writable and executable.
func TestExecPatchExit(t *testing.T) {
	r := newRunner(t)
	side := r.load(func(a *Asm) {
		a.Ret()
		a.MovRI(RAX, 200)
	})
	var exitAt emit.Pos
	blk := r.load(func(a *Asm) {
		exit := a.NewLabel()
		a.Ret()
		a.MovRI(RAX, 100) // exit stub: status 100
		a.Bind(exit)
		a.Ret()
		a.MovRI(RAX, 1) // fast path: status 1
		a.JccLong(NE, exit)
		exitAt = a.Here() // the Pos of the jcc's first byte
		a.CmpRI(RCX, 0)
		a.Load(S64, false, RCX, slot(0))
	})
	jccAddr := PosAddr(exitAt, r.a.Buf.Len(), blk.Addr)
	if st := call(blk, &state{0}); st != 1 {
		t.Fatalf("fast path: %d", st)
	}
	if st := call(blk, &state{1}); st != 100 {
		t.Fatalf("exit: %d", st)
	}
	patch, err := PatchJcc(NE, jccAddr, side.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.mem.Patch(jccAddr, patch[:]); err != nil {
		t.Fatal(err)
	}
	if st := call(blk, &state{1}); st != 200 {
		t.Fatalf("linked exit: %d", st)
	}
	if st := call(blk, &state{0}); st != 1 {
		t.Fatalf("fast path after linking: %d", st)
	}
	if bad := writableExecutable(t); len(bad) > 0 {
		t.Errorf("writable and executable mappings: %q", bad)
	}
}

func writableExecutable(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	defer f.Close()
	var bad []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) > 1 && strings.Contains(fs[1], "w") && strings.Contains(fs[1], "x") {
			bad = append(bad, sc.Text())
		}
	}
	return bad
}

// TestExecSaveLoadRegs saves all registers, reloads them from an area and
// saves them again, checking every slot, then leaves through ExitStub.
func TestExecSaveLoadRegs(t *testing.T) {
	r := newRunner(t)
	var st [128]uint64
	p := uintptr(unsafe.Pointer(&st))
	const area1, area2 = 8, 8 + RegArea/8
	save := r.load(func(a *Asm) {
		a.ExitStub(77)
		a.SaveRegs(M(RDI, area1*8), AllGP, AllX)
		for n := 0; n < 16; n++ {
			a.MovGX(S64, X0+Reg(n), RAX+Reg(n))
		}
		for n := 0; n < 16; n++ {
			if r := RAX + Reg(n); r != RSP && r != RDI {
				a.MovRI(r, int64(n+1)*0x0101010101)
			}
		}
	})
	if s := emit.Enter(save.Addr, p); s != 77 {
		t.Fatalf("status %d", s)
	}
	for n := 0; n < 16; n++ {
		want := uint64(n+1) * 0x0101010101
		if RAX+Reg(n) == RDI {
			want = uint64(p)
		}
		if RAX+Reg(n) == RSP {
			continue
		}
		if st[area1+n] != want || st[area1+16+n] != want {
			t.Errorf("reg %d: saved %#x and %#x, want %#x", n, st[area1+n], st[area1+16+n], want)
		}
	}
	roundTrip := r.load(func(a *Asm) {
		a.ExitStub(1)
		a.SaveRegs(M(RDI, area2*8), AllGP, AllX)
		a.LoadRegs(M(RDI, area1*8), AllGP, AllX)
	})
	for n := 0; n < 32; n++ {
		st[area1+n] = uint64(n)*0x1000 + 7
	}
	st[area1+int(RDI.Num())] = uint64(p) // RDI reloads the state pointer
	emit.Enter(roundTrip.Addr, p)
	runtime.KeepAlive(&st)
	for n := 0; n < 32; n++ {
		if n == int(RSP.Num()) {
			continue
		}
		if st[area2+n] != st[area1+n] {
			t.Errorf("slot %d: reloaded and saved %#x, want %#x", n, st[area2+n], st[area1+n])
		}
	}
	a := New(nil)
	a.LoadRegs(MI(RAX, RCX, 1, 0), AllGP, 0)
	if _, err := a.Install(r.mem); err == nil {
		t.Error("LoadRegs through two loaded registers succeeded")
	}
	a.Reset()
	a.JmpAbs(1 << 62) // unreachable by rel32 from anywhere
	if _, err := a.Install(r.mem); err == nil {
		t.Error("Install linked a target out of range")
	}
}

// TestExecWXWhileRunning scans /proc/self/maps from another goroutine
// while code is generated, loaded, patched, run and freed, and must never
// see a page that is writable and executable.
func TestExecWXWhileRunning(t *testing.T) {
	if _, err := os.Stat("/proc/self/maps"); err != nil {
		t.Skip("no /proc/self/maps")
	}
	stop := make(chan struct{})
	found := make(chan []string, 1)
	scans := 0
	go func() {
		var bad []string
		for {
			select {
			case <-stop:
				found <- bad
				return
			default:
			}
			data, err := os.ReadFile("/proc/self/maps")
			if err != nil {
				continue
			}
			scans++
			for _, line := range strings.Split(string(data), "\n") {
				if fs := strings.Fields(line); len(fs) > 1 && strings.Contains(fs[1], "w") && strings.Contains(fs[1], "x") {
					bad = append(bad, line)
				}
			}
		}
	}()
	r := newRunner(t)
	for i := 0; i < scaleDown(300); i++ {
		blk := r.load(func(a *Asm) {
			a.ExitStub(uint32(i))
			a.Nop(i % 40)
		})
		if s := call(blk, &state{}); s != uint64(i) {
			t.Fatalf("run %d: status %d", i, s)
		}
		if err := r.mem.Patch(blk.Addr+uintptr(i%40)+1, []byte{byte(i + 1)}); err != nil { // the imm32 of the mov
			t.Fatal(err)
		}
		if s := call(blk, &state{}); s != uint64(i)&^0xff|uint64(byte(i+1)) {
			t.Fatalf("patched run %d: status %d", i, s)
		}
		if i%3 == 0 {
			if err := r.mem.Free(blk); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	if bad := <-found; len(bad) > 0 {
		t.Errorf("writable and executable mappings seen: %q", bad)
	}
	t.Logf("%d scans of /proc/self/maps", scans)
}

// TestExecDotProduct runs a loop over two float64 arrays with scaled-index
// addressing, and an interrupt check at the back edge: when the flag in
// the state is set, the loop exits to Go with status 2 and its position,
// and is resumed from there.
func TestExecDotProduct(t *testing.T) {
	r := newRunner(t)
	// State: 0 &x[0], 1 &y[0], 2 n, 3 i (in/out), 4 sum (in/out), 5 interrupt flag
	blk := r.load(func(a *Asm) {
		loop, done, intr := a.NewLabel(), a.NewLabel(), a.NewLabel()
		// intr: save i and sum, status 2
		a.ExitStub(2)
		a.StoreSD(slot(4), X0)
		a.Store(S64, slot(3), RCX)
		a.Bind(intr)
		// done: save i and sum, status 1
		a.ExitStub(1)
		a.StoreSD(slot(4), X0)
		a.Store(S64, slot(3), RCX)
		a.Bind(done)
		// back edge: check the interrupt flag, then loop
		a.Jmp(loop) // loop not bound yet: rel32 fixup
		a.Jcc(NE, intr)
		a.AluMI(CMP, S8, slot(5), 0)
		// body
		a.AluRI(ADD, S64, RCX, 1)
		a.SseRR(ADDSD, X0, X1)
		a.SseRM(MULSD, X1, MI(RDX, RCX, 8, 0))
		a.LoadSD(X1, MI(RSI, RCX, 8, 0))
		a.Jcc(AE, done)
		a.CmpRR(RCX, R8)
		a.Bind(loop) // the loop starts at the compare
		// prologue
		a.LoadSD(X0, slot(4))
		a.Load(S64, false, RCX, slot(3))
		a.Load(S64, false, R8, slot(2))
		a.Load(S64, false, RDX, slot(1))
		a.Load(S64, false, RSI, slot(0))
	})
	n := 1000
	x, y := make([]float64, n), make([]float64, n)
	want := 0.0
	for i := range x {
		x[i], y[i] = float64(i)*0.5, float64(n-i)
		want += x[i] * y[i]
	}
	st := &state{uint64(uintptr(unsafe.Pointer(&x[0]))), uint64(uintptr(unsafe.Pointer(&y[0]))), uint64(n)}
	if s := call(blk, st); s != 1 || math.Float64frombits(st[4]) != want || st[3] != uint64(n) {
		t.Fatalf("status %d, i %d, sum %v; want 1, %d, %v", s, st[3], math.Float64frombits(st[4]), n, want)
	}
	// With the flag set the loop stops after every iteration; resuming
	// from the saved state still gives the same sum.
	st[3], st[4], st[5] = 0, 0, 1
	exits := 0
	for {
		s := call(blk, st)
		if s == 1 {
			break
		}
		if s != 2 {
			t.Fatalf("status %d", s)
		}
		exits++
	}
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
	if exits != n || math.Float64frombits(st[4]) != want {
		t.Errorf("%d interrupt exits, sum %v; want %d, %v", exits, math.Float64frombits(st[4]), n, want)
	}
}

// TestExecUnderProfiler runs a long loop of generated code that destroys
// RBP and R14 while the CPU profiler's SIGPROF lands in it and another
// goroutine asks for garbage collections: the signal handler must find
// its way (the sample becomes runtime._ExternalCode) and Go must carry on.
func TestExecUnderProfiler(t *testing.T) {
	r := newRunner(t)
	blk := r.load(func(a *Asm) {
		loop := a.NewLabel()
		a.Ret()
		a.MovRR(S64, RAX, RCX)
		a.Jcc(NE, loop)
		a.UnopR(DEC, S64, RCX)
		a.Bind(loop)
		a.MovRI(R14, -1)
		a.MovRI(RBP, 0x1234)
		a.Load(S64, false, RCX, slot(0))
	})
	var prof bytes.Buffer
	if err := pprof.StartCPUProfile(&prof); err != nil {
		t.Skipf("no CPU profiler: %v", err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				runtime.GC()
			}
		}
	}()
	n := uint64(scaleDown(100_000_000))
	for i := 0; i < 3; i++ {
		if s := call(blk, &state{n}); s != 0 {
			t.Errorf("status %d", s)
		}
	}
	close(done)
	pprof.StopCPUProfile()
	zr, err := gzip.NewReader(&prof)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// About 0.2 s of CPU at 100 samples a second: some land in the trace.
	if !testing.Short() && !bytes.Contains(raw, []byte("runtime._ExternalCode")) {
		t.Error("no profile sample was attributed to generated code")
	}
}
