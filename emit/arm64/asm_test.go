package arm64

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// word returns the instruction at byte offset i of the finished code.
func word(code []byte, i int) uint32 { return binary.LittleEndian.Uint32(code[i:]) }

// branchOff decodes the byte offset of a b/bl, b.cond/cbz or tbz word.
func branchOff(w uint32) int64 {
	switch {
	case w&0x7c000000 == 0x14000000: // b, bl
		return int64(int32(w<<6)>>6) * 4
	case w&0xff000010 == 0x54000000, w&0x7e000000 == 0x34000000: // b.cond, cbz, cbnz
		return int64(int32(w<<8)>>13) * 4
	case w&0x7e000000 == 0x36000000: // tbz, tbnz
		return int64(int32(w<<13)>>18) * 4
	}
	panic("not a branch")
}

func TestLabelsForwardAndBackward(t *testing.T) {
	a := New(emit.NewBuf(16))
	top, end := a.NewLabel(), a.NewLabel()
	// Program order:
	//   0: top: cbz x0, end
	//   4:      sub x0, x0, #1
	//   8:      b top
	//  12: end: ret
	a.Ret()
	a.Bind(end)
	a.B(top) // backward: top is bound later
	a.SubImm(X0, X0, 1)
	a.Cbz(X0, end) // forward: end is bound
	a.Bind(top)
	if err := a.Finish(); err != nil {
		t.Fatal(err)
	}
	code := a.Buf.Bytes()
	if len(code) != 16 {
		t.Fatalf("%d bytes", len(code))
	}
	if off := branchOff(word(code, 0)); off != 12 {
		t.Errorf("cbz offset %d, want 12", off)
	}
	if off := branchOff(word(code, 8)); off != -8 {
		t.Errorf("b offset %d, want -8", off)
	}
	if p, ok := a.LabelPos(end); !ok || p != 4 {
		t.Errorf("LabelPos(end) = %d, %v; want 4", p, ok)
	}
}

func TestLabelErrors(t *testing.T) {
	a := New(emit.NewBuf(16))
	l := a.NewLabel()
	a.B(l)
	if err := a.Finish(); err == nil || !strings.Contains(err.Error(), "never bound") {
		t.Errorf("unbound label: Finish = %v", err)
	}
	a.Bind(l)
	if err := a.Finish(); err != nil {
		t.Errorf("after Bind: %v", err)
	}
	a.Bind(l)
	if a.Err() == nil {
		t.Error("double Bind accepted")
	}
	a.Reset()
	a.B(Label(0))
	a.Bind(Label(99))
	if a.Err() == nil || a.Buf.Len() != 0 {
		t.Errorf("invalid labels: err %v, %d bytes", a.Err(), a.Buf.Len())
	}
	a.Reset()
	if a.Err() != nil || a.Buf.Len() != 0 {
		t.Error("Reset kept state")
	}
}

// TestIsland checks the structure a veneer island gives a tbnz whose label
// is bound 40 KiB later: the tbnz goes to a veneer b, the veneer to the
// label, and the fall-through path jumps over the veneer.
func TestIsland(t *testing.T) {
	a := New(emit.NewBuf(64))
	l := a.NewLabel()
	a.Ret()
	a.Tbnz(X3, 5, l)
	for i := 0; i < 10000; i++ {
		a.Nop()
	}
	a.Bind(l)
	if err := a.Finish(); err != nil {
		t.Fatal(err)
	}
	if a.Islands() != 1 {
		t.Fatalf("%d islands, want 1", a.Islands())
	}
	code := a.Buf.Bytes()
	n := len(code)
	tbz := n - 8
	if w := word(code, tbz); w&0x7f000000 != 0x37000000 {
		t.Fatalf("word before ret is %#x, not tbnz", w)
	}
	veneer := int64(tbz) + branchOff(word(code, tbz))
	if veneer < 0 || veneer >= int64(n) || word(code, int(veneer))&0xfc000000 != 0x14000000 {
		t.Fatalf("tbnz goes to %d, not a b", veneer)
	}
	if target := veneer + branchOff(word(code, int(veneer))); target != 0 {
		t.Errorf("veneer goes to %d, want the label at 0", target)
	}
	over := veneer - 4
	if w := word(code, int(over)); w&0xfc000000 != 0x14000000 || over+branchOff(w) != veneer+4 {
		t.Errorf("no jump over the island at %d: %#x", over, w)
	}
	if d := int64(tbz) - veneer; d > 1<<15 {
		t.Errorf("veneer %d bytes away, beyond tbz reach", d)
	}
}

// TestFarBound checks the inverted short branch over b for bound labels
// out of reach.
func TestFarBound(t *testing.T) {
	a := New(emit.NewBuf(64))
	l := a.NewLabel()
	a.Bind(l)
	for i := 0; i < 1<<18; i++ {
		a.Nop()
	}
	a.BCond(LT, l)
	code := a.Buf.Bytes()
	if w := word(code, 0); w != 0x54000000|2<<5|uint32(GE) {
		t.Errorf("first word %#x, want b.ge .+8", w)
	}
	if off := branchOff(word(code, 4)); off != 1<<20+4 {
		t.Errorf("b offset %d, want %d", off, 1<<20+4)
	}
}

// TestNoPanic calls every Asm method many times with random and invalid
// arguments: bad input must give an error, never a panic, and an
// instruction that fails emits nothing.
func TestNoPanic(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	a := New(emit.NewBuf(64))
	typ := reflect.TypeOf(a)
	n := 300
	if testing.Short() {
		n = 60
	}
	edges := []uint64{0, 1, 31, 32, 63, 64, 255, 4095, 4096, math.MaxUint64, 1 << 63}
	randValue := func(t reflect.Type) reflect.Value {
		v := reflect.New(t).Elem()
		var u uint64
		switch r.IntN(3) {
		case 0:
			u = edges[r.IntN(len(edges))]
		case 1:
			u = uint64(r.IntN(40))
		default:
			u = r.Uint64()
		}
		switch t.Kind() {
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
			v.SetUint(u)
		case reflect.Int32, reflect.Int64, reflect.Int:
			v.SetInt(int64(u))
		case reflect.Float64:
			v.SetFloat([]float64{0, 1, -2.5, math.NaN(), math.Inf(1), 1e300, 0.1}[r.IntN(7)])
		case reflect.Bool:
			v.SetBool(u&1 == 1)
		case reflect.Struct: // Mem
			m := Mem{Base: Reg(r.IntN(130)), Index: Reg(r.IntN(130)), Off: int32(u), Mode: Mode(r.IntN(6)), Ext: Ext(r.IntN(10)), Scaled: u&2 == 2}
			v.Set(reflect.ValueOf(m))
		}
		return v
	}
	calls := 0
	for i := 0; i < typ.NumMethod(); i++ {
		m := typ.Method(i)
		if m.Name == "Reset" {
			continue
		}
		for k := 0; k < n; k++ {
			if k%50 == 0 {
				a.Reset()
				for j := 0; j < 3; j++ {
					a.NewLabel()
				}
			}
			args := []reflect.Value{reflect.ValueOf(a)}
			for j := 1; j < m.Type.NumIn(); j++ {
				args = append(args, randValue(m.Type.In(j)))
			}
			before, errBefore := a.Buf.Len(), a.Err()
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%s%v panicked: %v", m.Name, args[1:], p)
					}
				}()
				m.Func.Call(args)
			}()
			calls++
			if errBefore == nil && a.Err() != nil && a.Buf.Len() != before && m.Name != "Bind" {
				t.Fatalf("%s%v failed (%v) but emitted %d bytes", m.Name, args[1:], a.Err(), a.Buf.Len()-before)
			}
			if a.Err() != nil {
				a.err = nil
			}
		}
	}
	t.Logf("%d random calls", calls)
}

// mix emits a representative trace fragment: loads, arithmetic, a guard,
// stores, float math, constants. 46 instructions.
func mix(a *Asm, exit Label) {
	for i := 0; i < 2; i++ {
		a.Ret()
		a.Str(Size64, X3, Off(X0, 64))
		a.FStr(D0, Off(X0, 72))
		a.FAdd(D0, D1, D2)
		a.FMul(D1, D1, D3)
		a.FLdr(D3, Off(X0, 80))
		a.Scvtf(D2, X4)
		a.BCond(VS, exit)
		a.Adds(X3, X3, X4)
		a.Ldr(Size64, false, X4, IdxScaled(X1, X2))
		a.Cbz(X2, exit)
		a.AndImm(X5, X6, 0xffff)
		a.Csel(X7, X5, X6, LT)
		a.CmpImm(X5, 100)
		a.MovImm(X8, 0x7ff8000000000000)
		a.MovImm(X11, math.Float64bits(math.Pi)) // four halfwords: the orr search runs
		a.Ldp(X1, X2, Off(X0, 0))
		a.LsrImm(X6, X1, 47)
		a.SubImm(X9, X9, 1)
		a.Ldr(Size32, true, X10, Off(X0, 12))
	}
}

// TestNoAllocs checks that encoding allocates nothing once the buffer and
// label tables have grown.
func TestNoAllocs(t *testing.T) {
	a := New(emit.NewBuf(4096))
	run := func() {
		a.Reset()
		exit := a.NewLabel()
		a.Brk(1)
		a.Bind(exit)
		mix(a, exit)
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
	if a.Err() != nil {
		t.Fatal(a.Err())
	}
}

// BenchmarkEncode measures encoding throughput for the mix above.
func BenchmarkEncode(b *testing.B) {
	a := New(emit.NewBuf(4096))
	b.ReportAllocs()
	var words int
	for i := 0; i < b.N; i++ {
		a.Reset()
		exit := a.NewLabel()
		a.Brk(1)
		a.Bind(exit)
		mix(a, exit)
		words += a.Buf.Len() / 4
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(words), "ns/insn")
}

// BenchmarkMovImm measures constant materialization (the planner).
func BenchmarkMovImm(b *testing.B) {
	a := New(emit.NewBuf(4096))
	vals := newGen().movValues()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%100 == 0 {
			a.Reset()
		}
		a.MovImm(X1, vals[i%len(vals)])
	}
}

// BenchmarkLogicalImm measures the logical-immediate encoder on a mix of
// encodable and unencodable values.
func BenchmarkLogicalImm(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	vals := make([]uint64, 256)
	for i := range vals {
		vals[i] = r.Uint64()
		if i%2 == 0 {
			vals[i], _ = DecodeLogicalImm(uint32(r.IntN(1<<13)), false)
		}
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		if _, ok := LogicalImm(vals[i&255], false); ok {
			n++
		}
	}
	_ = n
}

// TestReserved checks that X18 and X28 are never written by default, in
// any instruction form that writes a register, and that reading them is
// fine.
func TestReserved(t *testing.T) {
	a := New(emit.NewBuf(64))
	writes := []func(){
		func() { a.Add(X28, X1, X2) }, func() { a.AddImm(X18, X1, 1) }, func() { a.Mov(W28, W1) },
		func() { a.MovImm(X28, 12345) }, func() { a.Ldr(Size64, false, X18, Off(X1, 0)) },
		func() { a.Ldr(Size64, false, X1, PostIndex(X28, 8)) }, func() { a.Ldp(X1, X28, Off(SP, 0)) },
		func() { a.Str(Size64, X1, PreIndex(X18, 8)) }, func() { a.Cset(X28, EQ) }, func() { a.LslImm(X18, X1, 3) },
		func() { a.Fcvtzs(X28, D0) }, func() { a.FMovFromF(X18, D1) }, func() { a.Mul(X28, X1, X2) },
		func() { a.AndImm(X18, X1, 0xff) }, func() { a.Movk(X28, 1, 16) }, func() { a.Adr(X28, a.NewLabel()) },
		func() { a.Csel(W18, W1, W2, NE) }, func() { a.Sxtw(X28, W1) }, func() { a.Clz(X18, X1) },
	}
	for i, f := range writes {
		a.Reset()
		f()
		if a.Err() == nil || a.Buf.Len() != 0 {
			t.Errorf("write %d to a reserved register accepted", i)
		}
	}
	a.Reset()
	a.Add(X1, X28, X18)
	a.Str(Size64, X28, Off(X18, 8))
	a.Cmp(X28, X18)
	if a.Err() != nil {
		t.Errorf("reading reserved registers refused: %v", a.Err())
	}
	a.Reset()
	a.AllowReserved = true
	a.Add(X28, X1, X2)
	if a.Err() != nil {
		t.Errorf("AllowReserved: %v", a.Err())
	}
}
