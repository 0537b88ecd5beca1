package arm64

import (
	"fmt"
	"math"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// Edge values per type, as slot words. TInt words carry garbage in their
// upper half now and then: a slot load must read only the low 32 bits.
var (
	edgeInt = []uint64{0, 1, 0xffffffffffffffff, 2, 7, 31, 32, 33, 0x7fffffff, 0xffffffff80000000,
		0x12345678, 0xffffffffffffff9c, 0xdead000000000005, 0x00000001fffffffe}
	edgeI64 = []uint64{0, 1, ^uint64(0), 63, 64, 65, math.MaxInt64, 1 << 63, 1 << 32, 0xfffffffe00000000,
		0x123456789, 0x8000000000000001}
	edgeNum = []uint64{0, 1 << 63, f64bits(1), f64bits(-1), f64bits(0.5), f64bits(-0.5), f64bits(2.5),
		f64bits(-2.5), f64bits(3), f64bits(1e300), f64bits(-1e300), f64bits(math.Inf(1)), f64bits(math.Inf(-1)),
		0x7ff8000000000000, 0x7ff8000000000123, 0x7ff0000000000005, 0xfff8000000000000, f64bits(2147483647),
		f64bits(2147483648), f64bits(-2147483648), f64bits(-2147483648.5), f64bits(-2147483649),
		f64bits(9223372036854775807), f64bits(-9223372036854775808), f64bits(-9223372036854777856),
		f64bits(9.3e18), f64bits(1e-310), 1, f64bits(7), f64bits(-7.25), f64bits(1e15 + 0.5)}
	edgeVal = []uint64{0, 1, f64bits(1.5), 0x7ff8000000000000, 0xfff8000000000001, 0xfff8800000000005,
		0xfffc000000000007, 0xffffffffffffffff, 0xfff9000000001234, 0xfff7800000000000, 0xfffa00000000beef}
	immK = []uint64{0, 1, 5, 31, 32, 63, 64, 4095}
)

func edges(t irkit.Type) []uint64 {
	switch t {
	case irkit.TInt:
		return edgeInt
	case irkit.TI64:
		return edgeI64
	case irkit.TNum:
		return edgeNum
	}
	return edgeVal
}

// opCase is one single-instruction trace: slots 0 and 1 in (types a and
// b), the result (if any) restored into slot 2 by the end snapshot.
type opCase struct {
	op   irkit.Op
	t    irkit.Type // the instruction's type
	a, b irkit.Type // operand types (b: TVoid for none, or a literal when lit)
	lit  bool       // b is the literal ins.Op2 (ISTAG, BOXP), from immK
	imm  bool       // b is a constant from immK (an immediate form)
}

func (c opCase) String() string {
	return fmt.Sprintf("%v.%v(%v,%v lit=%v imm=%v)", c.op, c.t, c.a, c.b, c.lit, c.imm)
}

// build emits the case's trace into b; k is the constant or literal of
// imm and lit cases.
func (c opCase) build(b *irkit.Builder, k uint64) error {
	b.Reset()
	tr := b.T
	tr.AddSnap(0, 3, nil, nil)
	x := b.SLoad(0, c.a)
	var y irkit.Ref
	switch {
	case c.lit:
		y = irkit.Ref(k)
	case c.imm:
		y = b.K(c.b, k)
	case c.b != irkit.TVoid:
		y = b.SLoad(1, c.b)
	}
	v := b.Emit(c.op, c.t, x, y)
	var ents []irkit.SnapEntry
	if c.op.HasValue() && v != irkit.NoRef {
		ents = append(ents, irkit.MakeEntry(2, v, 0))
	}
	if _, err := tr.AddSnap(1, 3, ents, nil); err != nil {
		return err
	}
	if err := b.Err(); err != nil {
		return err
	}
	return tr.Verify()
}

func opCases() []opCase {
	var cs []opCase
	for _, ty := range []irkit.Type{irkit.TInt, irkit.TI64, irkit.TNum} {
		for _, op := range []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV, irkit.MOD, irkit.POW, irkit.MIN, irkit.MAX,
			irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT} {
			if op == irkit.POW && ty == irkit.TNum {
				continue // float POW: a call-out, see TestLowerCallouts
			}
			rt := ty
			if op >= irkit.EQ && op <= irkit.UGT {
				rt = ty | irkit.TGuard
			}
			cs = append(cs, opCase{op: op, t: rt, a: ty, b: ty})
		}
		for _, op := range []irkit.Op{irkit.NEG, irkit.ABS} {
			cs = append(cs, opCase{op: op, t: ty, a: ty})
		}
	}
	for _, op := range []irkit.Op{irkit.FLOOR, irkit.CEIL, irkit.SQRT} {
		cs = append(cs, opCase{op: op, t: irkit.TNum, a: irkit.TNum})
	}
	for _, ty := range []irkit.Type{irkit.TInt, irkit.TI64} {
		for _, op := range []irkit.Op{irkit.ADDOV, irkit.SUBOV, irkit.MULOV} {
			cs = append(cs, opCase{op: op, t: ty | irkit.TGuard, a: ty, b: ty})
		}
		for _, op := range []irkit.Op{irkit.BAND, irkit.BOR, irkit.BXOR, irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROL, irkit.BROR} {
			cs = append(cs, opCase{op: op, t: ty, a: ty, b: ty})
		}
		cs = append(cs, opCase{op: irkit.BNOT, t: ty, a: ty})
		for _, op := range []irkit.Op{irkit.ADD, irkit.SUB, irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROR, irkit.LT, irkit.UGE, irkit.EQ} {
			rt := ty
			if op >= irkit.EQ && op <= irkit.UGT {
				rt |= irkit.TGuard
			}
			cs = append(cs, opCase{op: op, t: rt, a: ty, b: ty, imm: true})
		}
		for _, op := range []irkit.Op{irkit.ADDOV, irkit.SUBOV} {
			cs = append(cs, opCase{op: op, t: ty | irkit.TGuard, a: ty, b: ty, imm: true})
		}
		cs = append(cs, opCase{op: irkit.ITOF, t: irkit.TNum, a: ty},
			opCase{op: irkit.FTOI, t: ty, a: irkit.TNum},
			opCase{op: irkit.FTOIX, t: ty | irkit.TGuard, a: irkit.TNum})
	}
	cs = append(cs,
		opCase{op: irkit.SEXT, t: irkit.TI64, a: irkit.TInt},
		opCase{op: irkit.ZEXT, t: irkit.TI64, a: irkit.TInt},
		opCase{op: irkit.TRUNC, t: irkit.TInt, a: irkit.TI64},
		opCase{op: irkit.BCAST, t: irkit.TNum, a: irkit.TI64},
		opCase{op: irkit.BCAST, t: irkit.TI64, a: irkit.TNum},
		opCase{op: irkit.BCAST, t: irkit.TVal, a: irkit.TI64},
		opCase{op: irkit.ISNUM, t: irkit.TVal | irkit.TGuard, a: irkit.TVal},
		opCase{op: irkit.ISTAG, t: irkit.TVal | irkit.TGuard, a: irkit.TVal, lit: true},
		opCase{op: irkit.UNBOXN, t: irkit.TNum, a: irkit.TVal},
		opCase{op: irkit.UNBOXP, t: irkit.TPtr, a: irkit.TVal},
		opCase{op: irkit.BOXN, t: irkit.TVal, a: irkit.TNum},
		opCase{op: irkit.BOXP, t: irkit.TVal, a: irkit.TPtr, lit: true},
	)
	return cs
}

// runOp compiles one case and runs it on every input pair, comparing each
// run with the interpreter. It returns the number of runs compared.
func runOp(t *testing.T, l *Lowerer, c opCase, k uint64, al *regalloc.Allocator, m *lowertest.Machine, arena *lowertest.Arena) int {
	t.Helper()
	b := irkit.NewBuilder(nil)
	if err := c.build(b, k); err != nil {
		return 0 // folded away or not a valid form for these types
	}
	tr := b.T
	var res regalloc.Result
	if err := al.Alloc(tr, &res); err != nil {
		t.Fatalf("%v: alloc: %v", c, err)
	}
	if err := regalloc.Check(tr, &res); err != nil {
		t.Fatalf("%v: check: %v", c, err)
	}
	code, err := l.Compile(tr, &res)
	if err != nil {
		t.Fatalf("%v: compile: %v\n%s", c, err, res.Format(tr))
	}
	defer l.Mem.Free(code.Block)
	bs := []uint64{0}
	if c.b != irkit.TVoid && !c.lit && !c.imm {
		bs = edges(c.b)
	}
	n := 0
	for _, x := range edges(c.a) {
		for _, y := range bs {
			slots := []uint64{x, y, 0x5555}
			want := lowertest.Expect(tr, slots, nil, arena, 0)
			if want.Err != nil {
				t.Fatalf("%v: interpreter: %v", c, want.Err)
			}
			m.Prepare(code, slots)
			st, _ := m.Run(code, 0)
			if err := m.Compare(tr, code, regalloc.ARM64, st, arena, want); err != nil {
				t.Fatalf("%v (k=%#x) on %#x, %#x: %v\n%s\n%s", c, k, x, y, err, res.Format(tr), Disasm(l.Code()))
			}
			n++
		}
	}
	return n
}

// TestLowerOps runs every opcode's lowering on edge values (NaNs,
// infinities, signed zeros, the saturation limits, MIN/-1, shifts by the
// width and more), each compared bit for bit with the interpreter.
func TestLowerOps(t *testing.T) {
	l, _ := newTestLowerer(t)
	al := regalloc.NewAllocator(regalloc.ARM64)
	var m lowertest.Machine
	defer m.Close()
	arena := lowertest.NewArena(16)
	defer arena.Close()
	runs := 0
	for _, c := range opCases() {
		switch {
		case c.imm:
			for _, k := range immK {
				runs += runOp(t, l, c, k, al, &m, arena)
			}
		case c.lit:
			for _, k := range []uint64{0, 1, 3, 5, 15, 16, 200} {
				runs += runOp(t, l, c, k, al, &m, arena)
			}
		default:
			runs += runOp(t, l, c, 0, al, &m, arena)
		}
	}
	t.Logf("%d runs", runs)
	if runs < 10000 {
		t.Errorf("only %d runs", runs)
	}
}

// TestLowerHelpersDirect calls the machine-code helpers fmod and ipow on
// edge values through tiny traces' compiled calls, against math.Mod and
// irkit's semantics (TestLowerOps covers them too; this adds random
// operands, subnormals and huge exponent gaps).
func TestLowerHelpersDirect(t *testing.T) {
	l, _ := newTestLowerer(t)
	al := regalloc.NewAllocator(regalloc.ARM64)
	var m lowertest.Machine
	defer m.Close()
	arena := lowertest.NewArena(16)
	defer arena.Close()
	for _, c := range []opCase{
		{op: irkit.MOD, t: irkit.TNum, a: irkit.TNum, b: irkit.TNum},
		{op: irkit.POW, t: irkit.TInt, a: irkit.TInt, b: irkit.TInt},
		{op: irkit.POW, t: irkit.TI64, a: irkit.TI64, b: irkit.TI64},
	} {
		b := irkit.NewBuilder(nil)
		if err := c.build(b, 0); err != nil {
			t.Fatal(err)
		}
		tr := b.T
		var res regalloc.Result
		if err := al.Alloc(tr, &res); err != nil {
			t.Fatal(err)
		}
		code, err := l.Compile(tr, &res)
		if err != nil {
			t.Fatal(err)
		}
		x := uint64(0x9e3779b97f4a7c15)
		n := 20000
		if underQEMU() {
			n = 5000
		}
		for i := 0; i < n; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			a, bb := x, x*0x2545f4914f6cdd1d
			if c.t == irkit.TNum && i%3 == 0 {
				bb = bb>>12 | (a & 0xfff0000000000000) // same magnitude range
			}
			if c.t != irkit.TNum {
				bb %= 70
			}
			slots := []uint64{a, bb, 0}
			want := lowertest.Expect(tr, slots, nil, arena, 0)
			m.Prepare(code, slots)
			st, _ := m.Run(code, 0)
			if err := m.Compare(tr, code, regalloc.ARM64, st, arena, want); err != nil {
				t.Fatalf("%v on %#x, %#x: %v", c, a, bb, err)
			}
		}
		l.Mem.Free(code.Block)
	}
}

// TestLowerCallouts runs float POW and a helper with only a Go
// implementation as call-outs: the trace returns emit.StatusCall, Code.Run
// computes the call in Go and resumes the trace, whose callee-saved
// registers and spill slots survive the trip.
func TestLowerCallouts(t *testing.T) {
	l, _ := newTestLowerer(t)
	p0 := powTrace(t, nil, nil)
	if _, err := l.Compile(p0, allocFor(t, p0)); err == nil {
		t.Fatal("float POW compiled without FPow or call-outs")
	}
	l.Callouts = true
	hs := &irkit.Helpers{}
	gosum, _ := hs.Register(irkit.Helper{Name: "gosum", Pure: true,
		Args: []irkit.Type{irkit.TInt, irkit.TNum, irkit.TI64}, Result: irkit.TI64,
		Fn: func(a []uint64) uint64 {
			return uint64(int64(int32(a[0]))) + math.Float64bits(math.Float64frombits(a[1])*3) + a[2]
		}})
	tr := powTrace(t, hs, func(b *irkit.Builder, x, y irkit.Ref) irkit.Ref {
		i := b.SLoad(2, irkit.TInt)
		j := b.SLoad(3, irkit.TI64)
		return b.Call(gosum, i, x, j)
	})
	res := allocFor(t, tr)
	code, err := l.CompileCode(tr, res)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Format(tr))
	}
	if len(code.Callouts) != 2 {
		t.Fatalf("%d call-outs, want 2", len(code.Callouts))
	}
	var m lowertest.Machine
	defer m.Close()
	arena := lowertest.NewArena(16)
	defer arena.Close()
	for _, x := range edgeNum {
		for _, y := range []uint64{f64bits(0.5), f64bits(2), f64bits(-1.5), f64bits(3), 0x7ff8000000000001, f64bits(1e10)} {
			slots := []uint64{x, y, 0xbad0000000000007, 12345, 0}
			want := lowertest.Expect(tr, slots, nil, arena, 0)
			m.Prepare(&code.Trace, slots)
			st := code.Run(&m.State)
			if err := m.Compare(tr, &code.Trace, regalloc.ARM64, st, arena, want); err != nil {
				t.Fatalf("pow(%#x, %#x): %v\n%s", x, y, err, res.Format(tr))
			}
		}
	}
	m.Prepare(&code.Trace, []uint64{f64bits(2), f64bits(3), 1, 2, 0})
	if a := testing.AllocsPerRun(100, func() { code.Run(&m.State) }); a != 0 {
		t.Errorf("Run allocates %v times a run", a)
	}
}

// powTrace is "slot 4 = pow(slot 0, slot 1) + more(...)" with values kept
// live across the calls.
func powTrace(t *testing.T, hs *irkit.Helpers, more func(b *irkit.Builder, x, y irkit.Ref) irkit.Ref) *irkit.Trace {
	t.Helper()
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.Helpers = hs
	tr.AddSnap(0, 5, nil, nil)
	x := b.SLoad(0, irkit.TNum)
	y := b.SLoad(1, irkit.TNum)
	k := b.Emit(irkit.ADD, irkit.TNum, x, y) // live across the call
	p := b.Emit(irkit.POW, irkit.TNum, x, y)
	v := b.Emit(irkit.ADD, irkit.TNum, p, k)
	ents := []irkit.SnapEntry{irkit.MakeEntry(4, v, 0)}
	if more != nil {
		w := more(b, x, y)
		ents = append(ents, irkit.MakeEntry(3, w, 0), irkit.MakeEntry(2, k, 0))
	}
	tr.AddSnap(1, 5, ents, nil)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return tr
}

func allocFor(t *testing.T, tr *irkit.Trace) *regalloc.Result {
	t.Helper()
	var res regalloc.Result
	if err := regalloc.NewAllocator(regalloc.ARM64).Alloc(tr, &res); err != nil {
		t.Fatal(err)
	}
	if err := regalloc.Check(tr, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

// TestLowerLink links a guard's exit of one trace to a second trace, both
// through the jump table (Linker.AddCode: no code rewritten) and by
// patching the exit's branch (Linker.Add: Mem.Patch), and checks that the
// side trace reads the parent's exit values where the parent's Locs say.
func TestLowerLink(t *testing.T) {
	for _, viaTable := range []bool{true, false} {
		l, mem := newTestLowerer(t)
		// Parent: slot 1 = slot 0 + 7; guard slot 1 < 100 (exit 1), then
		// the end (exit 2).
		b := irkit.NewBuilder(nil)
		tr := b.T
		tr.AddSnap(0, 3, nil, nil)
		x := b.SLoad(0, irkit.TI64)
		y := b.Emit(irkit.ADD, irkit.TI64, x, b.KI64(7))
		tr.AddSnap(1, 3, []irkit.SnapEntry{irkit.MakeEntry(1, y, 0)}, nil)
		b.Guard(irkit.LT, y, b.KI64(100))
		tr.AddSnap(2, 3, []irkit.SnapEntry{irkit.MakeEntry(1, y, 0), irkit.MakeEntry(2, b.KI64(1), 0)}, nil)
		parent, err := l.CompileCode(tr, allocFor(t, tr))
		if err != nil {
			t.Fatal(err)
		}
		// Side trace: reads the parent's value of y from its exit
		// location (here through an XLOAD of State.Regs or the spill
		// area) and stores y*2 into slot 2.
		ploc := parent.Locs(1)
		if len(ploc) != 1 || ploc[0].Ref != y {
			t.Fatalf("parent exit 1 locations %v", ploc)
		}
		var m lowertest.Machine
		defer m.Close()
		m.Prepare(&parent.Trace, []uint64{500, 0, 0})
		var addr uintptr
		switch lc := ploc[0].Loc; {
		case lc.IsReg():
			addr = uintptr(unsafe.Pointer(&m.State)) + uintptr(emit.StateRegs) + 8*uintptr(lc.Reg())
		default:
			addr = m.State.Spill + 8*uintptr(lc.Slot())
		}
		sb := irkit.NewBuilder(nil)
		st := sb.T
		st.AddSnap(1, 3, nil, nil)
		v := sb.Emit(irkit.XLOAD, irkit.TI64, sb.KPtr(addr), 0)
		w := sb.Emit(irkit.ADD, irkit.TI64, v, v)
		st.AddSnap(9, 3, []irkit.SnapEntry{irkit.MakeEntry(2, w, 0)}, nil)
		side, err := l.CompileCode(st, allocFor(t, st))
		if err != nil {
			t.Fatal(err)
		}
		var lk Linker
		lk.Mem = mem
		if viaTable {
			lk.AddCode(1, parent)
			lk.AddCode(2, side)
		} else {
			lk.Add(1, &parent.Trace)
			lk.Add(2, &side.Trace)
		}
		opts := guard.DefaultOptions()
		tk := guard.NewTracker(&opts.Params)
		root := tk.NewTrace(len(tr.Snaps))
		sid, err := tk.NewSide(root, 1, len(st.Snaps))
		if err != nil || root != 1 || sid != 2 {
			t.Fatalf("tracker ids %d %d: %v", root, sid, err)
		}
		if err := tk.Link(root, 1, sid, &lk); err != nil {
			t.Fatal(err)
		}
		// Not taken: the parent runs to its end.
		m.Prepare(&parent.Trace, []uint64{5, 0, 0})
		if s, _ := m.Run(&parent.Trace, 0); s != 2 || m.Slots[2] != 0 {
			t.Fatalf("guard holds: status %#x slots %v", s, m.Slots)
		}
		// Taken: the side trace runs and exits through its own end.
		m.Prepare(&parent.Trace, []uint64{500, 0, 0})
		s, _ := m.Run(&parent.Trace, 0)
		if s != 1 || m.State.Exit != 1 {
			t.Fatalf("linked exit: status %#x, State.Exit %d", s, m.State.Exit)
		}
		if err := m.Restore(st, &side.Trace, regalloc.ARM64, 1); err != nil {
			t.Fatal(err)
		}
		if m.Slots[2] != 2*507 {
			t.Fatalf("side trace computed %d, want %d (via table %v)", m.Slots[2], 2*507, viaTable)
		}
		if viaTable {
			if err := parent.Unlink(1); err != nil {
				t.Fatal(err)
			}
			m.Prepare(&parent.Trace, []uint64{500, 0, 0})
			if s, _ := m.Run(&parent.Trace, 0); s != 1 || m.State.Exit != 1 {
				t.Fatalf("unlinked exit: status %#x", s)
			}
			if err := parent.Link(0, side.Entry); err == nil {
				t.Error("linked exit 0, which no code takes")
			}
		}
	}
}
