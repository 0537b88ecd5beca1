package irkit

import (
	"math"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func TestInsSize(t *testing.T) {
	if s := unsafe.Sizeof(Ins{}); s != 8 {
		t.Fatalf("sizeof(Ins) = %d, want 8", s)
	}
}

func TestOpTableComplete(t *testing.T) {
	seen := map[string]bool{}
	for op := Op(0); op < NumOps; op++ {
		info := op.Info()
		if info.Name == "" {
			t.Errorf("op %d has no table entry", op)
		}
		if seen[info.Name] {
			t.Errorf("duplicate op name %s", info.Name)
		}
		seen[info.Name] = true
		if got, ok := OpByName(info.Name); !ok || got != op {
			t.Errorf("OpByName(%s) = %v", info.Name, got)
		}
	}
}

func TestConstInterning(t *testing.T) {
	tr := NewTrace(16)
	a, _ := tr.KInt(5)
	b, _ := tr.KInt(5)
	c, _ := tr.KInt(-5)
	if a != b || a == c || !a.IsConst() {
		t.Fatalf("KInt interning: %v %v %v", a, b, c)
	}
	pz, _ := tr.KNum(0)
	nz, _ := tr.KNum(math.Copysign(0, -1))
	if pz == nz {
		t.Fatal("0.0 and -0.0 share a constant")
	}
	n1, _ := tr.KNumBits(0x7ff8000000000001)
	n2, _ := tr.KNumBits(0x7ff8000000000002)
	n3, _ := tr.KNumBits(0x7ff8000000000001)
	if n1 == n2 || n1 != n3 {
		t.Fatal("NaN payloads not kept apart")
	}
	if w, _ := tr.KWord(n2); w != 0x7ff8000000000002 {
		t.Fatalf("NaN payload lost: %x", w)
	}
	i64, _ := tr.KI64(5)
	if i64 == a {
		t.Fatal("int64 5 and int32 5 share a constant")
	}
	bt, _ := tr.KBool(true)
	one, _ := tr.KInt(1)
	if bt == one {
		t.Fatal("true and int 1 share a constant")
	}
}

func TestConstGrowth(t *testing.T) {
	tr := NewTrace(16)
	b := NewBuilder(tr)
	x := b.SLoad(0, TInt)
	var ks []Ref
	for i := 0; i < 3000; i++ {
		ks = append(ks, b.KInt(int32(i*7)))
		b.Emit(ADD, TInt, x, ks[i])
	}
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	for i, k := range ks {
		if v, ok := tr.KIntValue(k); !ok || v != int32(i*7) {
			t.Fatalf("constant %d = %v after growth", i, v)
		}
	}
	if tr.Ins(x).Op != SLOAD {
		t.Fatal("instruction lost after growth")
	}
}

func TestEmitFoldCSE(t *testing.T) {
	b := NewBuilder(nil)
	x := b.SLoad(0, TInt)
	if y := b.SLoad(0, TInt); y != x {
		t.Errorf("SLOAD not CSE'd")
	}
	if r := b.Emit(ADD, TInt, x, b.KInt(0)); r != x {
		t.Errorf("x+0 not folded")
	}
	a1 := b.Emit(ADD, TInt, x, b.KInt(3))
	a2 := b.Emit(ADD, TInt, a1, b.KInt(4))
	ins := b.T.Ins(a2)
	if k, _ := b.T.KIntValue(ins.Op2); ins.Op != ADD || ins.Op1 != x || k != 7 {
		t.Errorf("reassociation: got %s", b.T.InsString(a2))
	}
	if r := b.Emit(SUB, TInt, a2, a2); r != b.KInt(0) {
		t.Errorf("x-x not 0")
	}
	if r := b.Emit(MUL, TInt, b.KInt(6), b.KInt(7)); r != b.KInt(42) {
		t.Errorf("6*7 not folded")
	}
	f := b.SLoad(1, TNum)
	if r := b.Emit(ADD, TNum, f, b.KNum(0)); r == f {
		t.Errorf("float x+0 folded to x")
	}
	if r := b.Emit(MUL, TNum, f, b.KNum(0)); r.IsConst() {
		t.Errorf("float x*0 folded to a constant")
	}
	if r := b.Emit(NEG, TNum, b.Emit(NEG, TNum, f, NoRef), NoRef); r != f {
		t.Errorf("float --x not folded")
	}
	if r := b.Emit(LT, TVoid, b.KInt(1), b.KInt(2)); r != NoRef || b.Err() != nil {
		t.Errorf("true guard not dropped: %v %v", r, b.Err())
	}
	g1 := b.Emit(LT, TVoid, x, a2)
	g2 := b.Emit(LT, TVoid, x, a2)
	if g1 != g2 || g1 == NoRef {
		t.Errorf("guard not CSE'd")
	}
	b.Emit(GT, TVoid, b.KInt(1), b.KInt(2))
	if b.Err() != ErrGuardFails {
		t.Errorf("failing guard: err = %v", b.Err())
	}
}

func TestDumpFormat(t *testing.T) {
	b := NewBuilder(nil)
	x := b.SLoad(0, TInt)
	b.T.AddSnap(0, 2, nil, nil)
	y := b.Emit(ADDOV, TInt, x, b.KInt(1))
	b.T.AddSnap(7, 2, []SnapEntry{MakeEntry(0, y, 0)}, nil)
	b.Emit(LT, TVoid, y, b.KNum(-0.0*1)) // type mismatch is the verifier's business
	got := b.T.String()
	want := "0001   int  SLOAD  #0    #0\n" +
		"....        SNAP   #0   pc=0 [ ]\n" +
		"0002 > int  ADDOV  0001  +1\n" +
		"....        SNAP   #1   pc=7 [ 0:0002 ]\n" +
		"0003 > int  LT     0002  0\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dump (-want +got):\n%s", diff)
	}
	if !strings.Contains(FormatNum(math.Float64bits(math.Copysign(0, -1))), "-0") {
		t.Error("-0 formatting")
	}
}

func TestOperandsAndCallArgs(t *testing.T) {
	b := NewBuilder(nil)
	b.T.Helpers = propHelpers
	x := b.SLoad(0, TI64)
	y := b.Emit(NEG, TI64, x, NoRef)
	c := b.Call(0, x, y)
	if a, c2 := b.T.Operands(x); a != NoRef || c2 != NoRef {
		t.Errorf("SLOAD operands %v %v", a, c2)
	}
	if a, c2 := b.T.Operands(y); a != x || c2 != NoRef {
		t.Errorf("NEG operands %v %v", a, c2)
	}
	var buf [MaxArgs]Ref
	n, ok := b.T.CallArgs(c, buf[:])
	if !ok || n != 2 || buf[0] != x || buf[1] != y {
		t.Errorf("CallArgs = %v %v %v", n, ok, buf[:n])
	}
	if _, ok := b.T.CallArgs(y, buf[:]); ok {
		t.Error("CallArgs of a NEG")
	}
	id, _ := propHelpers.Register(Helper{Name: "h3", Pure: true, Args: []Type{TI64, TI64, TI64}, Result: TI64,
		Fn: func(a []uint64) uint64 { return a[0] - a[1] - a[2] }})
	c3 := b.Call(id, y, x, y)
	if n, ok := b.T.CallArgs(c3, buf[:]); !ok || n != 3 || buf[0] != y || buf[1] != x || buf[2] != y {
		t.Errorf("3 args: %v", buf[:n])
	}
	if err := b.T.Verify(); err != nil {
		t.Error(err)
	}
	slots := []uint64{5}
	b.Emit(SSTORE, TVoid, 0, c3)
	var in Interp
	if _, err := in.Run(b.T, slots); err != nil || int64(slots[0]) != -5-5+5 {
		t.Errorf("h3(-5, 5, -5) = %d, %v", int64(slots[0]), err)
	}
}
