package arm64

import (
	"bytes"
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/trace"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
)

// -- Running generated code (arm64 only; under qemu in make test) -------------

var execMem = emit.NewMem(0)

// load encodes a function with build and loads it into executable memory.
func load(t testing.TB, build func(a *Asm)) emit.Block {
	t.Helper()
	a := New(emit.NewBuf(256))
	build(a)
	if err := a.Finish(); err != nil {
		t.Fatal(err)
	}
	blk, err := execMem.Load(a.Buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { execMem.Free(blk) })
	return blk
}

// call enters code with a pointer to state.
func call(blk emit.Block, state *[16]uint64) uint64 {
	r := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(state)))
	runtime.KeepAlive(state)
	return r
}

func iters(n int) int {
	if os.Getenv("JITKIT_QEMU") == "1" || testing.Short() {
		return n / 4
	}
	return n
}

// TestExecSum runs a loop: the sum of n int64 values at state[1] (a pointer),
// n in state[0].
func TestExecSum(t *testing.T) {
	blk := load(t, func(a *Asm) {
		loop, done := a.NewLabel(), a.NewLabel()
		a.Ret()
		a.Mov(X0, X2)
		a.Bind(done)
		a.B(loop)
		a.Add(X2, X2, X3)
		a.Ldr(Size64, false, X3, PostIndex(X1, 8))
		a.SubImm(X4, X4, 1)
		a.Cbz(X4, done)
		a.Bind(loop)
		a.MovImm(X2, 0)
		a.Ldp(X4, X1, Off(X0, 0))
	})
	data := make([]int64, 1000)
	var want int64
	for i := range data {
		data[i] = int64(i*i) - 7000
		want += data[i]
	}
	var st [16]uint64
	st[0], st[1] = uint64(len(data)), uint64(uintptr(unsafe.Pointer(&data[0])))
	got := int64(call(blk, &st))
	runtime.KeepAlive(data)
	if got != want {
		t.Fatalf("sum = %d, want %d", got, want)
	}
}

// binop builds x = op(state[0], state[1]) returned in X0.
func binop(t *testing.T, op func(a *Asm)) emit.Block {
	return load(t, func(a *Asm) {
		a.Ret()
		op(a) // computes X0 from X1, X2 (and W views)
		a.Ldp(X1, X2, Off(X0, 0))
	})
}

// TestExecALU compares integer operations with Go on random operands.
func TestExecALU(t *testing.T) {
	type alu struct {
		name string
		emit func(a *Asm)
		want func(x, y uint64) uint64
	}
	sh := func(y uint64) uint64 { return y & 63 }
	ops := []alu{
		{"add", func(a *Asm) { a.Add(X0, X1, X2) }, func(x, y uint64) uint64 { return x + y }},
		{"sub", func(a *Asm) { a.Sub(X0, X1, X2) }, func(x, y uint64) uint64 { return x - y }},
		{"addw", func(a *Asm) { a.Add(W0, W1, W2) }, func(x, y uint64) uint64 { return uint64(uint32(x + y)) }},
		{"and", func(a *Asm) { a.And(X0, X1, X2) }, func(x, y uint64) uint64 { return x & y }},
		{"orr", func(a *Asm) { a.Orr(X0, X1, X2) }, func(x, y uint64) uint64 { return x | y }},
		{"eor", func(a *Asm) { a.Eor(X0, X1, X2) }, func(x, y uint64) uint64 { return x ^ y }},
		{"bic", func(a *Asm) { a.Bic(X0, X1, X2) }, func(x, y uint64) uint64 { return x &^ y }},
		{"orn", func(a *Asm) { a.Orn(X0, X1, X2) }, func(x, y uint64) uint64 { return x | ^y }},
		{"lsl", func(a *Asm) { a.Lsl(X0, X1, X2) }, func(x, y uint64) uint64 { return x << sh(y) }},
		{"lsr", func(a *Asm) { a.Lsr(X0, X1, X2) }, func(x, y uint64) uint64 { return x >> sh(y) }},
		{"asr", func(a *Asm) { a.Asr(X0, X1, X2) }, func(x, y uint64) uint64 { return uint64(int64(x) >> sh(y)) }},
		{"ror", func(a *Asm) { a.Ror(X0, X1, X2) }, func(x, y uint64) uint64 { return bits.RotateLeft64(x, -int(sh(y))) }},
		{"mul", func(a *Asm) { a.Mul(X0, X1, X2) }, func(x, y uint64) uint64 { return x * y }},
		{"smulh", func(a *Asm) { a.Smulh(X0, X1, X2) }, func(x, y uint64) uint64 {
			hi, _ := bits.Mul64(x, y)
			// signed high part from the unsigned one
			if int64(x) < 0 {
				hi -= y
			}
			if int64(y) < 0 {
				hi -= x
			}
			return hi
		}},
		{"umulh", func(a *Asm) { a.Umulh(X0, X1, X2) }, func(x, y uint64) uint64 { hi, _ := bits.Mul64(x, y); return hi }},
		{"sdiv", func(a *Asm) { a.Sdiv(X0, X1, X2) }, func(x, y uint64) uint64 {
			switch {
			case y == 0:
				return 0
			case int64(y) == -1:
				return -x
			}
			return uint64(int64(x) / int64(y))
		}},
		{"udiv", func(a *Asm) { a.Udiv(X0, X1, X2) }, func(x, y uint64) uint64 {
			if y == 0 {
				return 0
			}
			return x / y
		}},
		{"srem", func(a *Asm) { a.Msub(X0, X3, X2, X1); a.Sdiv(X3, X1, X2) }, func(x, y uint64) uint64 {
			switch {
			case y == 0:
				return x
			case int64(y) == -1:
				return 0
			}
			return uint64(int64(x) % int64(y))
		}},
		{"clz", func(a *Asm) { a.Clz(X0, X1) }, func(x, y uint64) uint64 { return uint64(bits.LeadingZeros64(x)) }},
		{"rev", func(a *Asm) { a.Rev(X0, X1) }, func(x, y uint64) uint64 { return bits.ReverseBytes64(x) }},
		{"rbit", func(a *Asm) { a.Rbit(X0, X1) }, func(x, y uint64) uint64 { return bits.Reverse64(x) }},
		{"sxtb", func(a *Asm) { a.Sxtb(X0, W1) }, func(x, y uint64) uint64 { return uint64(int64(int8(x))) }},
		{"sxth", func(a *Asm) { a.Sxth(X0, W1) }, func(x, y uint64) uint64 { return uint64(int64(int16(x))) }},
		{"sxtw", func(a *Asm) { a.Sxtw(X0, W1) }, func(x, y uint64) uint64 { return uint64(int64(int32(x))) }},
		{"uxtb", func(a *Asm) { a.Uxtb(X0, W1) }, func(x, y uint64) uint64 { return uint64(uint8(x)) }},
		{"uxtw", func(a *Asm) { a.Uxtw(X0, X1) }, func(x, y uint64) uint64 { return uint64(uint32(x)) }},
		{"ubfx", func(a *Asm) { a.Ubfx(X0, X1, 5, 13) }, func(x, y uint64) uint64 { return x >> 5 & (1<<13 - 1) }},
		{"sbfx", func(a *Asm) { a.Sbfx(X0, X1, 60, 4) }, func(x, y uint64) uint64 { return uint64(int64(x) >> 60) }},
		{"bfi", func(a *Asm) { a.Bfi(X0, X1, 8, 8); a.Mov(X0, X2) }, func(x, y uint64) uint64 { return y&^0xff00 | x&0xff<<8 }},
		{"lsl#", func(a *Asm) { a.LslImm(X0, X1, 13) }, func(x, y uint64) uint64 { return x << 13 }},
		{"asr#", func(a *Asm) { a.AsrImm(W0, W1, 7) }, func(x, y uint64) uint64 { return uint64(uint32(int32(x) >> 7)) }},
		{"ror#", func(a *Asm) { a.RorImm(X0, X1, 9) }, func(x, y uint64) uint64 { return bits.RotateLeft64(x, -9) }},
		{"addsh", func(a *Asm) { a.AddShift(X0, X1, X2, LSL, 3) }, func(x, y uint64) uint64 { return x + y<<3 }},
		{"addext", func(a *Asm) { a.AddExt(X0, X1, W2, SXTW, 2) }, func(x, y uint64) uint64 { return x + uint64(int64(int32(y)))<<2 }},
		{"neg", func(a *Asm) { a.Neg(X0, X1) }, func(x, y uint64) uint64 { return -x }},
		{"mvn", func(a *Asm) { a.Mvn(X0, X1) }, func(x, y uint64) uint64 { return ^x }},
		{"andimm", func(a *Asm) { a.AndImm(X0, X1, 0x00ff00ff00ff00ff) }, func(x, y uint64) uint64 { return x & 0x00ff00ff00ff00ff }},
		{"eorimm", func(a *Asm) { a.EorImm(W0, W1, 0x80000001) }, func(x, y uint64) uint64 { return uint64(uint32(x) ^ 0x80000001) }},
		{"addimm", func(a *Asm) { a.AddImm(X0, X1, -0xabc000) }, func(x, y uint64) uint64 { return x - 0xabc000 }},
	}
	r := rand.New(rand.NewPCG(3, 4))
	edge := []uint64{0, 1, math.MaxUint64, 1 << 63, math.MaxInt64, 0xffffffff, 0x80000000}
	n := iters(200)
	var st [16]uint64
	for _, o := range ops {
		blk := binop(t, o.emit)
		for i := 0; i < n; i++ {
			x, y := r.Uint64(), r.Uint64()
			if i < len(edge)*len(edge) {
				x, y = edge[i%len(edge)], edge[i/len(edge)]
			} else if i%3 == 0 {
				y >>= r.IntN(64)
			}
			st[0], st[1] = x, y
			if got, want := call(blk, &st), o.want(x, y); got != want {
				t.Errorf("%s(%#x, %#x) = %#x, want %#x", o.name, x, y, got, want)
				break
			}
		}
	}
}

// TestExecCond checks every condition after cmp through cset, csel and
// b.cond against Go's comparisons.
func TestExecCond(t *testing.T) {
	holds := func(c Cond, x, y uint64) bool {
		sx, sy := int64(x), int64(y)
		switch c {
		case EQ:
			return x == y
		case NE:
			return x != y
		case HS:
			return x >= y
		case LO:
			return x < y
		case MI:
			return int64(x-y) < 0
		case PL:
			return int64(x-y) >= 0
		case VS, VC:
			_, ov := sx-sy, (sx >= 0) != (sy >= 0) && (sx-sy >= 0) != (sx >= 0)
			return ov == (c == VS)
		case HI:
			return x > y
		case LS:
			return x <= y
		case GE:
			return sx >= sy
		case LT:
			return sx < sy
		case GT:
			return sx > sy
		case LE:
			return sx <= sy
		}
		return true
	}
	r := rand.New(rand.NewPCG(5, 6))
	vals := []uint64{0, 1, 2, math.MaxUint64, 1 << 63, math.MaxInt64, 100}
	var st [16]uint64
	for _, c := range allConds {
		cset := binop(t, func(a *Asm) {
			if c >= AL {
				a.Csinc(X0, XZR, XZR, NV) // always XZR: 0
				a.EorImm(X0, X0, 1)       // so 1, as AL holds
				a.Csel(X0, XZR, XZR, c)
			} else {
				a.Cset(X0, c)
			}
			a.Cmp(X1, X2)
		})
		br := binop(t, func(a *Asm) {
			yes := a.NewLabel()
			a.Ret()
			a.MovImm(X0, 1)
			a.Bind(yes)
			a.Ret()
			a.MovImm(X0, 0)
			a.BCond(c, yes)
			a.Cmp(X1, X2)
		})
		for i := 0; i < iters(60); i++ {
			x, y := r.Uint64(), r.Uint64()
			if i < len(vals)*len(vals) {
				x, y = vals[i%len(vals)], vals[i/len(vals)]
			}
			st[0], st[1] = x, y
			want := uint64(0)
			if holds(c, x, y) {
				want = 1
			}
			if got := call(cset, &st); c < AL && got != want {
				t.Errorf("cset %v after cmp %#x, %#x = %d, want %d", c, x, y, got, want)
			}
			if got := call(br, &st); got != want {
				t.Errorf("b.%v after cmp %#x, %#x taken=%d, want %d", c, x, y, got, want)
			}
		}
	}
}

// TestExecMovImm runs MovImm for many constants: the sequences must load
// exactly the value (and MovImmLen must be their length).
func TestExecMovImm(t *testing.T) {
	g := newGen()
	vals := g.movValues()
	if os.Getenv("JITKIT_QEMU") == "1" {
		vals = vals[:120]
	}
	var st [16]uint64
	for _, v := range vals {
		for _, w := range []bool{false, true} {
			r := X0
			want := v
			if w {
				r, want = W0, v&math.MaxUint32
			}
			blk := load(t, func(a *Asm) {
				a.Ret()
				a.MovImm(r, v)
				a.MovImm(X0, math.MaxUint64) // W writes must zero the top half
			})
			if got := call(blk, &st); got != want {
				t.Errorf("MovImm(%v, %#x) loaded %#x", r, v, got)
			}
		}
	}
}

// TestExecMemory loads and stores every size with every addressing mode.
func TestExecMemory(t *testing.T) {
	buf := make([]byte, 8192)
	r := rand.New(rand.NewPCG(7, 8))
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	base := uintptr(unsafe.Pointer(&buf[4096]))
	le := func(off int64, n int) uint64 {
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(buf[4096+off+int64(i)])
		}
		return v
	}
	var st [16]uint64
	for s := Size8; s <= Size64; s++ {
		nb := s.Bytes()
		for _, se := range []bool{false, true} {
			if s == Size64 && se {
				continue
			}
			ext := func(v uint64) uint64 {
				if !se {
					return v
				}
				sh := 64 - 8*nb
				return uint64(int64(v<<sh) >> sh)
			}
			for _, off := range []int64{0, int64(nb), -1, -256, 255, int64(4095 / nb * nb), -8, 3} {
				if off+int64(nb) > 4096 || !MemOK(s, off) {
					continue
				}
				blk := binop(t, func(a *Asm) { a.Ldr(s, se, X0, Off(X1, int32(off))) })
				st[0] = uint64(base)
				if got, want := call(blk, &st), ext(le(off, nb)); got != want {
					t.Errorf("ldr size %d sext %v [x1, #%d] = %#x, want %#x", nb, se, off, got, want)
				}
			}
			// register index, scaled, and sign-extended 32-bit index
			for _, idx := range []int64{0, 5, -3, 100} {
				for k, m := range []Mem{Idx(X1, X2), IdxScaled(X1, X2), IdxExt(X1, W2, SXTW, true), IdxExt(X1, W2, UXTW, false)} {
					off := idx
					switch k {
					case 1, 2:
						off = idx * int64(nb)
					case 3:
						if idx < 0 {
							continue
						}
					}
					blk := binop(t, func(a *Asm) { a.Ldr(s, se, X0, m) })
					st[0], st[1] = uint64(base), uint64(idx)
					if k == 2 {
						st[1] = uint64(uint32(int32(idx))) | 0xdead_beef_0000_0000 // high half ignored
					}
					if got, want := call(blk, &st), ext(le(off, nb)); got != want {
						t.Errorf("ldr size %d sext %v %v idx %d = %#x, want %#x", nb, se, m, idx, got, want)
					}
				}
			}
		}
		// store, then pre- and post-index write-back
		blk := load(t, func(a *Asm) {
			a.Ret()
			a.Str(Size64, X1, Off(X0, 24)) // the final base
			a.Str(s, X2, PostIndex(X1, 16))
			a.Str(s, X2, PreIndex(X1, -int32(nb)))
			a.Ldp(X1, X2, Off(X0, 0))
		})
		st[0], st[1] = uint64(base), 0x1122334455667788
		call(blk, &st)
		runtime.KeepAlive(buf)
		want := uint64(0x1122334455667788) & (1<<(8*nb) - 1)
		if nb == 8 {
			want = 0x1122334455667788
		}
		if le(-int64(nb), nb) != want || st[3] != uint64(base)-uint64(nb)+16 {
			t.Errorf("str size %d with write-back: memory %#x base %#x", nb, le(-int64(nb), nb), st[3]-uint64(base))
		}
	}
	runtime.KeepAlive(buf)
}

// TestExecFloat compares double arithmetic, sqrt, rounding and conversions
// with Go.
func TestExecFloat(t *testing.T) {
	type fop struct {
		name string
		emit func(a *Asm) // D0 from D1, D2 (bits in X1, X2); result bits to X0
		want func(x, y float64) float64
	}
	ops := []fop{
		{"fadd", func(a *Asm) { a.FAdd(D0, D1, D2) }, func(x, y float64) float64 { return x + y }},
		{"fsub", func(a *Asm) { a.FSub(D0, D1, D2) }, func(x, y float64) float64 { return x - y }},
		{"fmul", func(a *Asm) { a.FMul(D0, D1, D2) }, func(x, y float64) float64 { return x * y }},
		{"fdiv", func(a *Asm) { a.FDiv(D0, D1, D2) }, func(x, y float64) float64 { return x / y }},
		{"fsqrt", func(a *Asm) { a.FSqrt(D0, D1) }, func(x, y float64) float64 { return math.Sqrt(x) }},
		{"fabs", func(a *Asm) { a.FAbs(D0, D1) }, func(x, y float64) float64 { return math.Abs(x) }},
		{"fneg", func(a *Asm) { a.FNeg(D0, D1) }, func(x, y float64) float64 { return -x }},
		{"floor", func(a *Asm) { a.FRintm(D0, D1) }, func(x, y float64) float64 { return math.Floor(x) }},
		{"ceil", func(a *Asm) { a.FRintp(D0, D1) }, func(x, y float64) float64 { return math.Ceil(x) }},
		{"trunc", func(a *Asm) { a.FRintz(D0, D1) }, func(x, y float64) float64 { return math.Trunc(x) }},
		{"fmadd", func(a *Asm) { a.FMadd(D0, D1, D2, D3); a.FMovImm(D3, 0.5) }, func(x, y float64) float64 { return math.FMA(x, y, 0.5) }},
		{"hypot", func(a *Asm) { a.FSqrt(D0, D0); a.FMadd(D0, D2, D2, D0); a.FMul(D0, D1, D1) }, func(x, y float64) float64 { return math.Sqrt(math.FMA(y, y, x*x)) }},
		{"cvt", func(a *Asm) { a.Scvtf(D0, X3); a.Fcvtzs(X3, D1) }, func(x, y float64) float64 {
			// fcvtzs saturates; NaN converts to 0.
			switch {
			case math.IsNaN(x):
				return 0
			case x >= 1<<63:
				return float64(math.MaxInt64)
			case x <= -(1 << 63):
				return float64(math.MinInt64)
			}
			return float64(int64(x))
		}},
		{"single", func(a *Asm) { a.FCvt(D0, S0); a.FCvt(S0, D1) }, func(x, y float64) float64 { return float64(float32(x)) }},
		{"fcsel", func(a *Asm) { a.FCsel(D0, D1, D2, MI); a.FCmp(D1, D2) }, func(x, y float64) float64 {
			if x < y {
				return x
			}
			return y
		}},
	}
	r := rand.New(rand.NewPCG(9, 10))
	vals := []float64{0, 1, -1, 0.5, 2.5, -2.5, 1e300, -1e-300, math.Inf(1), math.Inf(-1), 3, 1 << 62, -(1 << 63)}
	var st [16]uint64
	for _, o := range ops {
		blk := load(t, func(a *Asm) {
			a.Ret()
			a.FMovFromF(X0, D0)
			o.emit(a)
			a.FMovToF(D2, X2)
			a.FMovToF(D1, X1)
			a.Ldp(X1, X2, Off(X0, 0))
		})
		for i := 0; i < iters(120); i++ {
			x, y := (r.Float64()-0.5)*math.Pow(10, float64(r.IntN(12))), r.NormFloat64()*100
			if i < len(vals)*len(vals) {
				x, y = vals[i%len(vals)], vals[i/len(vals)]
			}
			st[0], st[1] = math.Float64bits(x), math.Float64bits(y)
			got, want := math.Float64frombits(call(blk, &st)), o.want(x, y)
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("%s(%v, %v) = %v, want %v", o.name, x, y, got, want)
				break
			}
		}
	}
}

// TestExecCalls calls a leaf helper twice: with bl to a label inside the
// code and with blr to a separately loaded block, saving X29/X30 on the
// goroutine stack (16 bytes, within emit.CodeStack).
func TestExecCalls(t *testing.T) {
	// helper: x0 = x0*3 + 1
	helper := load(t, func(a *Asm) {
		a.Ret()
		a.AddImm(X0, X0, 1)
		a.AddShift(X0, X0, X0, LSL, 1)
	})
	blk := load(t, func(a *Asm) {
		leaf := a.NewLabel()
		// leaf: x0 = x0 + 100
		a.Ret()
		a.AddImm(X0, X0, 100)
		a.Bind(leaf)
		// main
		a.Ret()
		a.Ldp(X29, X30, PostIndex(SP, 16))
		a.Blr(IP0)
		a.MovImm(IP0, uint64(helper.Addr))
		a.BL(leaf)
		a.Ldr(Size64, false, X0, Off(X0, 0))
		a.Mov(X29, SP)
		a.Stp(X29, X30, PreIndex(SP, -16))
	})
	var st [16]uint64
	for _, x := range []uint64{0, 5, 1 << 40} {
		st[0] = x
		if got, want := call(blk, &st), (x+100)*3+1; got != want {
			t.Errorf("calls(%d) = %d, want %d", x, got, want)
		}
	}
}

// TestExecFarBranches runs branches that need the long forms: a forward
// b.cond and cbz over more than 1 MiB, and a tbz loop back edge over more
// than 32 KiB, which needs a veneer island.
func TestExecFarBranches(t *testing.T) {
	var st [16]uint64
	// Forward: if x1 == 0 return 7 else fall through 300k nops, return 9.
	far := load(t, func(a *Asm) {
		out := a.NewLabel()
		a.Ret()
		a.MovImm(X0, 7)
		a.Bind(out)
		a.Ret()
		a.MovImm(X0, 9)
		for i := 0; i < 300_000; i++ {
			a.Nop()
		}
		a.Cbz(X1, out)
		a.BCond(EQ, out)
		a.CmpImm(X2, 5)
		a.Ldp(X1, X2, Off(X0, 0))
	})
	for _, c := range [][3]uint64{{0, 0, 7}, {1, 5, 7}, {1, 4, 9}} {
		st[0], st[1] = c[0], c[1]
		if got := call(far, &st); got != c[2] {
			t.Errorf("far branch with x1=%d x2=%d: %d, want %d", c[0], c[1], got, c[2])
		}
	}
	// Backward: count x1 down, the loop test is tbz on bit 63 at the end
	// of a 40 KiB body.
	var islands int
	loop := load(t, func(a *Asm) {
		top := a.NewLabel()
		a.Ret()
		a.Mov(X0, X3)
		a.Tbz(X1, 63, top) // loop while x1 >= 0
		a.SubImm(X1, X1, 1)
		a.AddImm(X3, X3, 1)
		for i := 0; i < 10_000; i++ {
			a.Nop()
		}
		a.Bind(top)
		a.MovImm(X3, 0)
		a.Ldp(X1, X2, Off(X0, 0))
		islands = a.Islands()
	})
	if islands == 0 {
		t.Errorf("no veneer island for a 40 KiB tbz")
	}
	st[0] = 10
	if got := call(loop, &st); got != 11 {
		t.Errorf("tbz loop ran %d times, want 11", got)
	}
}

// TestExecClobber runs code that writes every register the contract allows
// (all but X18, X28 and SP; X29 and X30 restored) and checks that Go keeps
// working through garbage collections and stack growth.
func TestExecClobber(t *testing.T) {
	blk := load(t, func(a *Asm) {
		a.Ret()
		a.Ldp(X29, X30, PostIndex(SP, 16))
		a.MovImm(X0, 77)
		for i := 0; i < 32; i++ {
			a.FMovToF(D(i), X1)
		}
		for n := 1; n <= 30; n++ {
			if n == 18 || n == 28 {
				continue
			}
			a.MovImm(X(n), 0xdead0000+uint64(n))
		}
		a.Stp(X29, X30, PreIndex(SP, -16))
	})
	var st [16]uint64
	for i := 0; i < iters(400); i++ {
		if got := call(blk, &st); got != 77 {
			t.Fatalf("clobber returned %d", got)
		}
		if i%50 == 0 {
			runtime.GC()
			if deep(100) != 100 {
				t.Fatal("stack growth after generated code went wrong")
			}
		}
	}
}

func deep(n int) int {
	var pad [128]byte
	pad[n%128] = 1
	if n == 0 {
		return int(pad[0]) - 1
	}
	return deep(n-1) + int(pad[n%128])
}

// TestCacheLines reads CTR_EL0 through the emit package.
func TestCacheLines(t *testing.T) {
	d, i := emit.CacheLines()
	if d < 4 || i < 4 || d&(d-1) != 0 || i&(i-1) != 0 || d > 2048 || i > 2048 {
		t.Errorf("cache lines %d, %d", d, i)
	}
	t.Logf("cache lines: data %d, instruction %d bytes", d, i)
}

// TestExecStackBelow writes garbage into the 16 bytes below the stack
// pointer generated code is entered with, as stp x29, x30, [sp, #-16]!
// does, and then takes a frame-pointer traceback (the execution tracer
// unwinds with X29). The trampoline must keep Go's saved frame pointer out
// of that range; if it did not, the traceback would follow garbage.
func TestExecStackBelow(t *testing.T) {
	blk := load(t, func(a *Asm) {
		a.Ret()
		a.Stp(X1, X1, Off(SP, -16))
		a.MovImm(X1, 0x8)
	})
	var st [16]uint64
	var out bytes.Buffer
	if err := trace.Start(&out); err != nil {
		t.Skip("tracer unavailable:", err)
	}
	for i := 0; i < 10; i++ {
		call(blk, &st)
		trace.Log(context.Background(), "jitkit", "after generated code")
	}
	trace.Stop()
	if out.Len() == 0 {
		t.Error("empty trace")
	}
}

// TestExecLiterals loads constants from a literal pool placed after the
// code with ldr (literal), integer and double.
func TestExecLiterals(t *testing.T) {
	blk := load(t, func(a *Asm) {
		kd, kx := a.NewLabel(), a.NewLabel()
		a.Data8(math.Float64bits(math.Pi))
		a.Bind(kd)
		a.Data8(0x0123456789abcdef)
		a.Bind(kx)
		a.Ret()
		a.FMovFromF(X0, D0)
		a.Str(Size64, X2, Off(X0, 8))
		a.FAdd(D0, D0, D1)
		a.FLdrLit(D0, kd)
		a.LdrLit(X2, kx)
		a.FMovToF(D1, X1)
		a.Ldr(Size64, false, X1, Off(X0, 0))
	})
	var st [16]uint64
	st[0] = math.Float64bits(1.5)
	if got := math.Float64frombits(call(blk, &st)); got != math.Pi+1.5 || st[1] != 0x0123456789abcdef {
		t.Errorf("literals: %v, %#x", got, st[1])
	}
}

// TestExecMore covers carries, conditional negation, long multiplies,
// conditional compare chains, test-bit branches and float conversions
// with other rounding modes.
func TestExecMore(t *testing.T) {
	type op struct {
		name string
		emit func(a *Asm)
		want func(x, y uint64) uint64
	}
	ops := []op{
		{"adc", func(a *Asm) { a.Adc(X0, XZR, XZR); a.Adds(X3, X1, X2) }, func(x, y uint64) uint64 { _, c := bits.Add64(x, y, 0); return c }},
		{"sbc", func(a *Asm) { a.Sbc(X0, X1, X2); a.CmpImm(X1, 1000) }, func(x, y uint64) uint64 {
			b := uint64(0)
			if x < 1000 {
				b = 1 // carry clear means borrow
			}
			return x - y - b
		}},
		{"csneg", func(a *Asm) { a.Csneg(X0, X1, X2, GT); a.Cmp(X1, X2) }, func(x, y uint64) uint64 {
			if int64(x) > int64(y) {
				return x
			}
			return -y
		}},
		{"smull", func(a *Asm) { a.Smull(X0, W1, W2) }, func(x, y uint64) uint64 { return uint64(int64(int32(x)) * int64(int32(y))) }},
		{"umaddl", func(a *Asm) { a.Umaddl(X0, W1, W2, X1) }, func(x, y uint64) uint64 { return x + uint64(uint32(x))*uint64(uint32(y)) }},
		{"ccmp", func(a *Asm) { a.Cset(X0, LT); a.Ccmp(X2, X1, 0b1000, GT); a.CmpImm(X1, 0) }, func(x, y uint64) uint64 {
			// x > 0 && y < x, else N set (LT true when N != V: 0b1000 sets N)
			if int64(x) > 0 {
				if int64(y) < int64(x) {
					return 1
				}
				return 0
			}
			return 1
		}},
		{"tbnz", func(a *Asm) {
			l := a.NewLabel()
			a.Ret()
			a.MovImm(X0, 1)
			a.Bind(l)
			a.Ret()
			a.MovImm(X0, 0)
			a.Tbnz(X1, 37, l)
		}, func(x, y uint64) uint64 { return x >> 37 & 1 }},
		{"cbnz.w", func(a *Asm) {
			l := a.NewLabel()
			a.Ret()
			a.MovImm(X0, 1)
			a.Bind(l)
			a.Ret()
			a.MovImm(X0, 0)
			a.Cbnz(W1, l)
		}, func(x, y uint64) uint64 {
			if uint32(x) != 0 {
				return 1
			}
			return 0
		}},
		{"fcvtms", func(a *Asm) { a.Fcvtms(X0, D1); a.Ucvtf(D1, W1) }, func(x, y uint64) uint64 {
			return uint64(int64(math.Floor(float64(uint32(x)))))
		}},
		{"fcvtps", func(a *Asm) { a.Fcvtps(X0, D1); a.FDiv(D1, D1, D2); a.FMovImm(D2, 4); a.Scvtf(D1, W1) }, func(x, y uint64) uint64 {
			return uint64(int64(math.Ceil(float64(int32(x)) / 4)))
		}},
	}
	r := rand.New(rand.NewPCG(13, 14))
	var st [16]uint64
	for _, o := range ops {
		blk := binop(t, o.emit)
		for i := 0; i < iters(200); i++ {
			x, y := r.Uint64()>>r.IntN(64), r.Uint64()>>r.IntN(64)
			if i%5 == 0 {
				x = -x
			}
			st[0], st[1] = x, y
			if got, want := call(blk, &st), o.want(x, y); got != want {
				t.Errorf("%s(%#x, %#x) = %#x, want %#x", o.name, x, y, got, want)
				break
			}
		}
	}
}

// TestExecPatch links an exit to another block the way a side trace is
// linked: the exit's b is rewritten in place with PatchB (through
// emit.Mem.Patch, which flushes the instruction cache), and the next run
// takes the new path. The trace itself reaches a helper block with BLAbs
// and CallFar, resolved by Install.
func TestExecPatch(t *testing.T) {
	side := load(t, func(a *Asm) {
		a.Ret()
		a.AddImm(X0, X0, 2)
	})
	helper := load(t, func(a *Asm) {
		a.Ret()
		a.AddImm(X0, X0, 10)
	})
	// Program order:
	//   stp x29, x30, [sp, #-16]!; mov x0, #0
	//   bl helper; (mov x16, #helper; blr x16); ldp x29, x30, [sp], #16
	//   b next          <- the exit, patched to b side
	//   next: add x0, x0, #1; ret
	a := New(emit.NewBuf(64))
	next := a.NewLabel()
	a.Ret()
	a.AddImm(X0, X0, 1)
	a.Bind(next)
	a.B(next)
	exitPos := a.Here()
	a.Ldp(X29, X30, PostIndex(SP, 16))
	a.CallFar(helper.Addr)
	a.BLAbs(helper.Addr)
	a.MovImm(X0, 0)
	a.Stp(X29, X30, PreIndex(SP, -16))
	trace, err := a.Install(execMem)
	if err != nil {
		t.Fatal(err)
	}
	defer execMem.Free(trace)
	var st [16]uint64
	if got := call(trace, &st); got != 21 {
		t.Fatalf("before linking: %d, want 21", got)
	}
	at := PosAddr(exitPos, a.Buf.Len(), trace.Addr)
	p, err := PatchB(at, side.Addr)
	if err != nil {
		t.Skip(err)
	}
	if err := execMem.Patch(at, p[:]); err != nil {
		t.Fatal(err)
	}
	if got := call(trace, &st); got != 22 {
		t.Fatalf("after linking: %d, want 22", got)
	}
}
