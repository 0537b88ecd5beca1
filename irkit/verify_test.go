package irkit

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVerifyRejects(t *testing.T) {
	cases := []struct {
		name  string
		build func(b *Builder)
		want  string
	}{
		{"int plus num", func(b *Builder) {
			b.Emit(ADD, TInt, b.SLoad(0, TInt), b.SLoad(1, TNum))
		}, "arithmetic operands"},
		{"guard without snapshot", func(b *Builder) {
			b.Guard(LT, b.SLoad(0, TInt), b.KInt(3))
		}, "guard without snapshot"},
		{"comparison of mixed types", func(b *Builder) {
			b.T.AddSnap(0, 1, nil, nil)
			b.Guard(LT, b.SLoad(0, TInt), b.KI64(3))
		}, "comparison operands"},
		{"use before definition", func(b *Builder) {
			x := b.SLoad(0, TInt)
			b.T.push(Ins{Op: ADD, T: TInt, Op1: x, Op2: x + 5})
		}, "not defined before"},
		{"value of a guard used", func(b *Builder) {
			b.T.AddSnap(0, 1, nil, nil)
			x := b.SLoad(0, TInt)
			g := b.Guard(LT, x, b.KInt(3))
			b.T.push(Ins{Op: NEG, T: TInt, Op1: g})
		}, "has no value"},
		{"PHI without LOOP", func(b *Builder) {
			x := b.SLoad(0, TInt)
			b.emitRaw(Ins{Op: PHI, T: TInt, Op1: x, Op2: x})
		}, "PHI before LOOP"},
		{"guard flag on ADD", func(b *Builder) {
			b.T.push(Ins{Op: ADD, T: TInt | TGuard, Op1: b.SLoad(0, TInt), Op2: b.KInt(1)})
		}, "guard flag"},
		{"snapshot refers forward", func(b *Builder) {
			x := b.SLoad(0, TInt)
			b.T.AddSnap(0, 1, []SnapEntry{MakeEntry(0, x, 0)}, nil)
			b.Emit(NEG, TInt, x, NoRef)
			b.T.SnapEntries[0] = MakeEntry(0, x+1, 0)
		}, "not defined before the snapshot"},
		{"impure helper in CALLN", func(b *Builder) {
			x := b.SLoad(0, TI64)
			p := b.Emit(BCAST, TPtr, x, NoRef)
			b.T.push(Ins{Op: CALLN, T: TI64, Op1: b.Emit(CARG, TVoid, p, x), Op2: 2})
		}, "CALLN of a helper with side effects"},
		{"helper argument type", func(b *Builder) {
			x := b.SLoad(0, TInt)
			b.T.push(Ins{Op: CALLN, T: TNum, Op1: x, Op2: 1})
		}, "wrong type"},
		{"store type", func(b *Builder) {
			b.T.push(Ins{Op: SSTORE, T: TNum, Op1: 0, Op2: b.SLoad(0, TInt)})
		}, "store type"},
		{"unbox of a number", func(b *Builder) {
			b.Emit(UNBOXN, TNum, b.SLoad(0, TNum), NoRef)
		}, "UNBOXN"},
		{"AREF index type", func(b *Builder) {
			b.Emit(AREF, TPtr, b.KPtr(0x1000), b.SLoad(0, TNum))
		}, "AREF"},
	}
	for _, c := range cases {
		b := NewBuilder(nil)
		b.NoFold = true
		b.T.Helpers = propHelpers
		c.build(b)
		if b.Err() != nil {
			t.Errorf("%s: build: %v", c.name, b.Err())
			continue
		}
		err := b.T.Verify()
		var ve *VerifyError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Verify() = %v, want %q\n%s", c.name, err, c.want, b.T)
		}
	}
}

func TestEmitRejectsBadInput(t *testing.T) {
	b := NewBuilder(nil)
	if r := b.Emit(ADD, TInt, 0x9999, b.KInt(1)); r != NoRef || !errors.Is(b.Err(), ErrBadRef) {
		t.Errorf("bad ref: %v %v", r, b.Err())
	}
	b.Reset()
	if b.Emit(KINT, TInt, 0, 0); !errors.Is(b.Err(), ErrBadOp) {
		t.Errorf("constant opcode via Emit: %v", b.Err())
	}
	b.Reset()
	if b.Emit(Op(200), TInt, 0, 0); !errors.Is(b.Err(), ErrBadOp) {
		t.Errorf("unknown opcode: %v", b.Err())
	}
	b.Reset()
	if b.Emit(NEG, TInt, b.KInt(1), b.KInt(2)); !errors.Is(b.Err(), ErrBadRef) {
		t.Errorf("operand where the table has none: %v", b.Err())
	}
	b.Reset()
	if b.Call(77); !errors.Is(b.Err(), ErrHelper) {
		t.Errorf("unknown helper: %v", b.Err())
	}
	tr := NewTrace(16)
	if _, err := tr.AddSnap(0, 2, []SnapEntry{MakeEntry(0, 0x9000, 0)}, nil); err == nil {
		t.Error("snapshot with an invalid ref accepted")
	}
	if _, err := tr.K(TVoid, 0); err == nil {
		t.Error("void constant accepted")
	}
	var in Interp
	b.Reset()
	b.T.AddSnap(0, 1, nil, nil)
	b.SLoad(5, TInt)
	if _, err := in.Run(b.T, make([]uint64, 2)); !errors.Is(err, ErrSlot) {
		t.Errorf("slot out of range: %v", err)
	}
	b.Reset()
	x := b.SLoad(0, TInt)
	b.T.push(Ins{Op: ADD, T: TInt, Op1: x, Op2: x + 3})
	if _, err := in.Run(b.T, make([]uint64, 2)); !errors.Is(err, ErrBadIns) {
		t.Errorf("malformed trace: %v", err)
	}
	if b.T.Entries(-1) != nil || b.T.Frames(99) != nil {
		t.Error("Entries/Frames of a missing snapshot")
	}
	b.Reset()
	b.Emit(XLOAD, TInt, b.Emit(UNBOXP, TPtr, b.SLoad(0, TVal), NoRef), 0)
	if _, err := in.Run(b.T, make([]uint64, 2)); !errors.Is(err, ErrNilAddr) {
		t.Errorf("nil address: %v", err)
	}
}

func TestTooManyInstructions(t *testing.T) {
	b := NewBuilder(nil)
	b.NoCSE, b.NoFold = true, true
	x := b.SLoad(0, TInt)
	for i := 0; i < 40000 && b.Err() == nil; i++ {
		x = b.Emit(BNOT, TInt, x, NoRef)
	}
	if !errors.Is(b.Err(), ErrTooLong) {
		t.Fatalf("err = %v after %d instructions", b.Err(), b.T.Len())
	}
	b.Reset()
	for i := 0; i < 40000 && b.Err() == nil; i++ {
		b.KInt(int32(i))
	}
	if !errors.Is(b.Err(), ErrTooManyK) {
		t.Fatalf("err = %v", b.Err())
	}
}

func TestDCE(t *testing.T) {
	b := NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 4, nil, nil)
	x := b.SLoad(0, TInt)
	y := b.SLoad(1, TInt)
	dead := b.Emit(MUL, TInt, x, y)
	b.Emit(NEG, TInt, dead, NoRef)
	kept := b.Emit(SUB, TInt, x, y)
	tr.AddSnap(1, 4, []SnapEntry{MakeEntry(2, kept, 0)}, nil)
	b.Guard(LT, x, y)
	b.Emit(SSTORE, TVoid, 3, b.Emit(BNOT, TInt, y, NoRef))
	if n := tr.DCE(); n != 2 {
		t.Errorf("DCE removed %d, want 2\n%s", n, tr)
	}
	want := `....        SNAP   #0   pc=0 [ ]
0001   int  SLOAD  #0    #0
0002   int  SLOAD  #1    #0
0003   void NOP
0004   void NOP
0005   int  SUB    0001  0002
....        SNAP   #1   pc=1 [ 2:0005 ]
0006 > int  LT     0001  0002
0007   int  BNOT   0002
0008   int  SSTORE #3    0007
`
	if diff := cmp.Diff(want, tr.String()); diff != "" {
		t.Errorf("after DCE (-want +got):\n%s", diff)
	}
	// The CSE chains skip the NOPs: a new MUL is not "found".
	if r := b.Emit(MUL, TInt, x, y); r == dead || tr.Ins(r).Op != MUL {
		t.Errorf("MUL after DCE = %s", tr.InsString(r))
	}
}

// TestDCELoopCarriedDead: a loop-carried value that only feeds its own PHI
// is dead, PHI included.
func TestDCELoopCarriedDead(t *testing.T) {
	b := NewBuilder(nil)
	countLoop(b)
	// Slot 2 accumulates, but nothing reads it but the loop itself... and
	// the loop snapshot, so it stays; slot-free accumulator z does not.
	z := b.SLoad(2, TInt)
	_ = b.Emit(ADD, TInt, z, b.KInt(7))
	b.T.Snaps = b.T.Snaps[:len(b.T.Snaps)-1]
	b.T.SnapEntries = b.T.SnapEntries[:len(b.T.SnapEntries)-1]
	b.T.AddSnap(0, 3, []SnapEntry{MakeEntry(0, 3+Bias, 0)}, nil)
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	b.T.DCE()
	if err := b.T.Verify(); err != nil {
		t.Fatal(err)
	}
	for r := First; r < b.T.Next(); r++ {
		if ins := b.T.Ins(r); ins.Op == ADD {
			t.Errorf("dead ADD kept:\n%s", b.T)
		}
	}
}
