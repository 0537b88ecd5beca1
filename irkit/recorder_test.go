package irkit

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The tiny language: registers hold NaN-boxed values (DefaultBox): numbers
// or nil (tag 1). Its bytecodes:
//
//	ADDK a b k   R[a] = R[b] + k
//	ADD  a b c   R[a] = R[b] + R[c]
//	MUL  a b c   R[a] = R[b] * R[c]
//	JLT  a b t   if R[a] < R[b] goto t
//	NOP2         not supported by the recorder (aborts)
//	RET
const (
	tADDK = iota
	tADD
	tMUL
	tJLT
	tNOP2
	tRET
)

type tins struct {
	op, a, b int
	c        float64
}

var tnil = DefaultBox.BoxTag(0, 1)

type tvm struct {
	code []tins
	regs []uint64
	hot  map[int]int
}

func (vm *tvm) num(i int) (float64, bool) {
	w := vm.regs[i]
	return math.Float64frombits(w), DefaultBox.IsNum(w)
}

// step executes one bytecode; ok is false on a type error or RET.
func (vm *tvm) step(pc int) (next int, ok bool) {
	in := vm.code[pc]
	switch in.op {
	case tADDK, tADD, tMUL:
		x, ok1 := vm.num(in.b)
		y, ok2 := in.c, true
		if in.op != tADDK {
			y, ok2 = vm.num(int(in.c))
		}
		if !ok1 || !ok2 {
			return pc, false
		}
		r := x + y
		if in.op == tMUL {
			r = x * y
		}
		vm.regs[in.a] = DefaultBox.BoxNum(math.Float64bits(r))
	case tJLT:
		x, ok1 := vm.num(in.a)
		y, ok2 := vm.num(in.b)
		if !ok1 || !ok2 {
			return pc, false
		}
		if x < y {
			return int(in.c), true
		}
	case tNOP2:
	case tRET:
		return pc, false
	}
	return pc + 1, true
}

// tlang records tvm bytecodes; it implements Language.
type tlang struct {
	vm    *tvm
	start int
}

func (l *tlang) num(r *Recorder, i int) Ref {
	v := r.Slot(i, TVal)
	r.Guard(ISNUM, v, NoRef)
	return r.Emit(UNBOXN, TNum, v, NoRef)
}

func (l *tlang) RecordIns(r *Recorder, pc uint64) (uint64, bool, error) {
	in := l.vm.code[pc]
	b := r.B
	switch in.op {
	case tADDK, tADD, tMUL:
		x := l.num(r, in.b)
		y := b.KNum(in.c)
		if in.op != tADDK {
			y = l.num(r, int(in.c))
		}
		op := ADD
		if in.op == tMUL {
			op = MUL
		}
		res := r.Emit(op, TNum, x, y)
		r.SetSlot(in.a, r.Emit(BOXN, TVal, res, NoRef))
	case tJLT:
		x, y := l.num(r, in.a), l.num(r, in.b)
		xv, _ := l.vm.num(in.a)
		yv, _ := l.vm.num(in.b)
		if xv < yv {
			r.Guard(LT, x, y)
			if int(in.c) == l.start {
				l.vm.step(int(pc))
				return 0, true, r.CloseLoop()
			}
		} else {
			r.Guard(UGE, x, y)
		}
	case tNOP2:
		return 0, false, r.Abort("NYI: NOP2")
	default:
		return 0, false, r.Abort("leaves the loop")
	}
	next, ok := l.vm.step(int(pc))
	if !ok {
		return 0, false, r.Abort("interpreter stopped")
	}
	return uint64(next), false, nil
}

// run interprets the program; with jit it records a trace at the first
// loop header that gets hot and runs it with the IR interpreter.
func (vm *tvm) run(t *testing.T, jit bool) (traces int) {
	pc := 0
	rec := NewRecorder(NewBuilder(nil))
	var in Interp
	for steps := 0; steps < 1e6; steps++ {
		next, ok := vm.step(pc)
		if !ok {
			return traces
		}
		if next < pc && jit && traces == 0 {
			vm.hot[next]++
			if vm.hot[next] == 2 {
				lang := &tlang{vm: vm, start: next}
				if err := rec.Record(lang, uint64(next), 500); err != nil {
					// The bytecodes recorded so far were executed: go on
					// interpreting where the recording stopped.
					var ae *AbortError
					if !errors.As(err, &ae) {
						t.Fatalf("record: %v", err)
					}
					pc = int(ae.PC)
					continue
				}
				if err := rec.B.LoopOpt(); err != nil {
					t.Fatalf("loop: %v", err)
				}
				rec.T.DCE()
				if err := rec.T.Verify(); err != nil {
					t.Fatalf("verify: %v\n%s", err, rec.T)
				}
				traces++
				t.Logf("trace:\n%s", rec.T)
				// The recording executed one iteration; the trace goes on
				// from the loop header.
				ex, err := in.Run(rec.T, vm.regs)
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				next = int(ex.PC)
			}
		}
		pc = next
	}
	t.Fatal("program did not stop")
	return
}

func TestRecorderTinyLanguage(t *testing.T) {
	// s = sum of i*i for i = 1..n: R0 n, R1 s, R2 i, R3 tmp.
	code := []tins{
		{tADDK, 2, 2, 1},
		{tMUL, 3, 2, 2},
		{tADD, 1, 1, 3},
		{tJLT, 2, 0, 0},
		{tRET, 0, 0, 0},
	}
	for _, n := range []float64{1, 3, 10, 1000} {
		regs := func() []uint64 {
			return []uint64{math.Float64bits(n), 0, 0, tnil}
		}
		ref := &tvm{code: code, regs: regs(), hot: map[int]int{}}
		ref.run(t, false)
		vm := &tvm{code: code, regs: regs(), hot: map[int]int{}}
		traces := vm.run(t, true)
		if n >= 10 && traces != 1 {
			t.Errorf("n=%v: %d traces", n, traces)
		}
		for i := range ref.regs {
			if ref.regs[i] != vm.regs[i] {
				t.Errorf("n=%v: R%d = %x with the trace, %x without", n, i, vm.regs[i], ref.regs[i])
			}
		}
	}
}

func TestRecorderTypeExit(t *testing.T) {
	// The loop adds R4 to R1. The trace is recorded with a number in R4
	// and then run with nil there, which must exit before anything changed.
	code := []tins{
		{tADD, 1, 1, 4},
		{tADDK, 2, 2, 1},
		{tJLT, 2, 0, 0},
		{tRET, 0, 0, 0},
	}
	vm := &tvm{code: code, regs: []uint64{math.Float64bits(5), 0, 0, 0, math.Float64bits(2)}, hot: map[int]int{}}
	rec := NewRecorder(NewBuilder(nil))
	vm.step(0)
	vm.step(1)
	vm.step(2)
	if err := rec.Record(&tlang{vm: vm, start: 0}, 0, 100); err != nil {
		t.Fatal(err)
	}
	if err := rec.B.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	regs := append([]uint64(nil), vm.regs...)
	regs[4] = tnil
	var in Interp
	ex, err := in.Run(rec.T, regs)
	if err != nil {
		t.Fatal(err)
	}
	// The ISNUM guard on R4 is hoisted before the loop: the trace exits
	// at pc 0 without having changed anything.
	if ex.PC != 0 || ex.Iter != 0 || regs[2] != vm.regs[2] {
		t.Fatalf("exit %+v regs %x\n%s", ex, regs, rec.T)
	}
	g := rec.T.Ins(ex.Guard)
	if g.Op != ISNUM || ex.Guard > rec.T.Loop {
		t.Fatalf("exit through %s, want the hoisted ISNUM\n%s", rec.T.InsString(ex.Guard), rec.T)
	}
}

func TestRecorderAbort(t *testing.T) {
	code := []tins{{tADDK, 2, 2, 1}, {tNOP2, 0, 0, 0}, {tJLT, 2, 0, 0}, {tRET, 0, 0, 0}}
	vm := &tvm{code: code, regs: []uint64{math.Float64bits(5), 0, 0, 0}, hot: map[int]int{}}
	rec := NewRecorder(NewBuilder(nil))
	err := rec.Record(&tlang{vm: vm, start: 0}, 0, 100)
	var ae *AbortError
	if !errors.As(err, &ae) || ae.PC != 1 || ae.Reason != "NYI: NOP2" {
		t.Fatalf("err = %v", err)
	}
}

func TestRecorderLazySnapshots(t *testing.T) {
	b := NewBuilder(nil)
	r := NewRecorder(b)
	r.Start(10)
	x := r.Slot(0, TInt)
	y := r.Slot(1, TInt)
	r.Guard(LT, x, y)
	r.SetPC(11)
	r.Guard(GT, x, y) // nothing happened since: shares snapshot #0
	if len(b.T.Snaps) != 1 {
		t.Fatalf("%d snapshots, want 1", len(b.T.Snaps))
	}
	s := r.Emit(ADD, TInt, x, y)
	r.SetSlot(2, s)
	r.SetPC(12)
	r.Guard(NE, s, x)
	if len(b.T.Snaps) != 2 || len(b.T.Entries(1)) != 1 || b.T.Entries(1)[0] != MakeEntry(2, s, 0) {
		t.Fatalf("snapshots:\n%s", b.T)
	}
	// An inlined call: two frames in the next snapshot.
	r.Call(4, 13)
	r.SetSlotFlags(-1+1, b.KInt(99), SnapFrame)
	r.SetPC(100)
	r.Guard(LT, r.Slot(1, TInt), x)
	if diff := cmp.Diff([]Frame{{0, 13}, {4, 100}}, b.T.Frames(2)); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
	wantEnt := []SnapEntry{MakeEntry(2, s, 0), MakeEntry(4, b.KInt(99), SnapFrame)}
	if diff := cmp.Diff(wantEnt, b.T.Entries(2)); diff != "" {
		t.Errorf("entries (-want +got):\n%s\n%s", diff, b.T)
	}
	if es := b.T.Entries(2); es[1].Flags() != SnapFrame|SnapConst {
		t.Errorf("frame link flags %x", es[1].Flags())
	}
	if si, ok := b.T.GuardSnap(b.T.Next() - 1); !ok || si != 2 {
		t.Fatalf("GuardSnap = %d %v", si, ok)
	}
	r.Return()
	r.SetPC(14)
	r.Guard(GT, x, r.Slot(2, TInt))
	if len(b.T.Entries(3)) != 1 || b.T.Snaps[3].Depth != 1 {
		t.Fatalf("after return:\n%s", b.T)
	}
	if err := b.T.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestRecorderInlinedCallInLoop: a loop whose body makes an inlined call
// with a guard inside the callee. After loop optimization, an exit from the
// callee's guard in the loop body still describes both frames.
func TestRecorderInlinedCallInLoop(t *testing.T) {
	b := NewBuilder(nil)
	r := NewRecorder(b)
	r.Start(0)
	i := r.Slot(0, TInt)
	n := r.Slot(1, TInt)
	r.SetPC(1)
	r.SetSlotFlags(2, b.KInt(0x77), SnapFrame) // the frame link
	r.Call(3, 2)                               // callee at slot 3, caller resumes at pc 2
	r.SetSlot(0, i)                            // callee's argument
	r.SetPC(10)
	if err := r.Guard(LT, i, n); err != nil { // inside the callee
		t.Fatal(err)
	}
	if err := r.Return(); err != nil {
		t.Fatal(err)
	}
	r.ClearSlot(2) // the frame link is dead after the return
	r.SetPC(2)
	i1 := r.Emit(ADDOV, TInt, i, b.KInt(1))
	r.SetSlot(0, i1)
	if err := r.CloseLoop(); err != nil {
		t.Fatal(err)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	b.T.DCE()
	if err := b.T.Verify(); err != nil {
		t.Fatalf("%v\n%s", err, b.T)
	}
	slots := []uint64{0, 5, 0, 0}
	var in Interp
	ex, err := in.Run(b.T, slots)
	if err != nil {
		t.Fatal(err)
	}
	if ex.PC != 10 || ex.Iter != 5 || ex.Guard < b.T.Loop {
		t.Fatalf("exit %+v\n%s", ex, b.T)
	}
	want := []Frame{{Base: 0, PC: 2}, {Base: 3, PC: 10}}
	if diff := cmp.Diff(want, b.T.Frames(ex.Snap)); diff != "" {
		t.Errorf("frames of the exit (-want +got):\n%s\n%s", diff, b.T)
	}
	if diff := cmp.Diff([]uint64{5, 5, 0x77, 5}, slots); diff != "" {
		t.Errorf("slots after the exit (-want +got):\n%s\n%s", diff, b.T)
	}
}

// TestUnboxedSlotLoop: a NaN-boxing language keeps a number unboxed in the
// slot map; the loop is still type-stable, and the peeled body works on
// the number directly: the unboxing folds away, and so does the tag check
// on the carried bits, a sum of numbers being a number (numSafe). DCE
// leaves the BCAST's place as a NOP.
func TestUnboxedSlotLoop(t *testing.T) {
	b := NewBuilder(nil)
	r := NewRecorder(b)
	r.Start(0)
	v := r.Slot(0, TVal)
	r.Guard(ISNUM, v, NoRef)
	x := r.Emit(UNBOXN, TNum, v, NoRef)
	y := r.Emit(ADD, TNum, x, b.KNum(1))
	r.SetSlot(0, y)
	r.SetPC(1)
	r.Guard(LT, y, b.KNum(10))
	if err := r.CloseLoop(); err != nil {
		t.Fatal(err)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	b.T.DCE()
	if err := b.T.Verify(); err != nil {
		t.Fatal(err)
	}
	var body []string
	for ref := b.T.Loop + 1; ref < b.T.Next(); ref++ {
		body = append(body, strings.Join(strings.Fields(b.T.InsString(ref)[5:]), " "))
	}
	want := []string{"void NOP", "num ADD 0004 1", "> num LT 0008 10", "num PHI 0004 0008"}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("loop body (-want +got):\n%s\n%s", diff, b.T)
	}
	slots := []uint64{math.Float64bits(2)}
	var in Interp
	if ex, err := in.Run(b.T, slots); err != nil || math.Float64frombits(slots[0]) != 10 || ex.PC != 1 {
		t.Errorf("exit %+v %v, slot 0 = %v", ex, err, math.Float64frombits(slots[0]))
	}
}
