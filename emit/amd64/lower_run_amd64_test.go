package amd64

import (
	"errors"
	"math"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// helperCaller installs a tiny trampoline that loads two argument words
// from State.Args into RSI, RDX and X0, X1, calls the helper at addr and
// returns its result (RAX, or X0 for a float helper).
func helperCaller(t *testing.T, mem *emit.Mem, addr uintptr, float bool) func(x, y uint64) uint64 {
	t.Helper()
	a := New(nil)
	a.Ret()
	if float {
		a.MovXG(S64, RAX, X0)
	}
	a.CallR(R11)
	a.MovRI(R11, int64(addr))
	a.Load(S64, false, RSI, M(RDI, emit.StateArgs))
	a.Load(S64, false, RDX, M(RDI, emit.StateArgs+8))
	a.LoadSD(X0, M(RDI, emit.StateArgs))
	a.LoadSD(X1, M(RDI, emit.StateArgs+8))
	blk, err := a.Install(mem)
	if err != nil {
		t.Fatal(err)
	}
	st := new(emit.State)
	return func(x, y uint64) uint64 {
		st.Args[0], st.Args[1] = x, y
		r := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(st)))
		runtime.KeepAlive(st)
		return r
	}
}

func ipowRef(x, y int64) int64 {
	if y < 0 {
		switch x {
		case 1:
			return 1
		case -1:
			if y&1 != 0 {
				return -1
			}
			return 1
		}
		return 0
	}
	r := int64(1)
	for ; y > 0; y >>= 1 {
		if y&1 != 0 {
			r *= x
		}
		x *= x
	}
	return r
}

func TestLowerHelpers(t *testing.T) {
	l, mem := newTestLowerer(t)
	ipowA, fmodA := l.HelperAddrs()
	ipow, fmod := helperCaller(t, mem, ipowA, false), helperCaller(t, mem, fmodA, true)
	ints := []int64{0, 1, -1, 2, -2, 3, 7, -7, 63, 64, 100, math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32}
	for _, x := range ints {
		for _, y := range ints {
			if got, want := int64(ipow(uint64(x), uint64(y))), ipowRef(x, y); got != want {
				t.Errorf("ipow(%d, %d) = %d, want %d", x, y, got, want)
			}
		}
	}
	nums := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 3, -3, 7.25, -7.25, 1e300, -1e300, 1e-310, -1e-310,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 2.5e15, 1 << 62}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		nums = append(nums, math.Float64frombits(r.Uint64()), float64(r.Intn(2000)-1000)/7)
	}
	for _, x := range nums {
		for _, y := range nums {
			got := fmod(math.Float64bits(x), math.Float64bits(y))
			if want := math.Float64bits(math.Mod(x, y)); got != want {
				t.Fatalf("fmod(%v, %v) = %#x, want %#x (math.Mod)", x, y, got, want)
			}
		}
	}
}

// A helper without machine code, and float POW without Lowerer.FPow,
// make the lowering refuse the trace instead of calling Go.
func TestLowerRefuses(t *testing.T) {
	l, _ := newTestLowerer(t)
	hs := &irkit.Helpers{}
	id, _ := hs.Register(irkit.Helper{Name: "gofunc", Pure: true, Args: []irkit.Type{irkit.TI64}, Result: irkit.TI64,
		Fn: func(a []uint64) uint64 { return a[0] }})
	for _, build := range []func(b *irkit.Builder) irkit.Ref{
		func(b *irkit.Builder) irkit.Ref { return b.Call(id, b.SLoad(0, irkit.TI64)) },
		func(b *irkit.Builder) irkit.Ref {
			return b.Arith(irkit.POW, irkit.TNum, b.SLoad(0, irkit.TNum), b.SLoad(1, irkit.TNum))
		},
	} {
		b := irkit.NewBuilder(nil)
		b.T.Helpers = hs
		b.T.AddSnap(0, 4, nil, nil)
		v := build(b)
		b.T.AddSnap(1, 4, []irkit.SnapEntry{irkit.MakeEntry(2, v, 0)}, nil)
		res, err := regalloc.Alloc(regalloc.AMD64, b.T)
		if err != nil {
			t.Fatal(err)
		}
		_, err = l.Compile(b.T, res)
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("Compile = %v, want ErrRefused", err)
		}
		t.Log(err)
	}
}

// Every unary and binary opcode on the interesting values of its type, in
// straight traces whose end snapshot holds the result.
func TestLowerOpsSpecialValues(t *testing.T) {
	l, mem := newTestLowerer(t)
	ints := []uint64{0, 1, 0xffffffffffffffff, 2, 31, 32, 63, 64, 0x7fffffff, 0xffffffff80000000, 0x80000000,
		0x7fffffffffffffff, 0x8000000000000000, 0xfffffffffffffffe, 0x123456789abcdef}
	nums := []uint64{0, 1 << 63, math.Float64bits(1), math.Float64bits(-1.5), math.Float64bits(2.5),
		math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1)), 0x7ff8000000000000, 0x7ff8000000000123,
		0xfff0000000000001, 0x7ff0000000000005, 1, math.Float64bits(2147483647.9), math.Float64bits(-2147483648.5),
		math.Float64bits(2147483648), math.Float64bits(9.3e18), math.Float64bits(-9223372036854775808), math.Float64bits(-0.5)}
	type opT struct {
		op     irkit.Op
		t, at  irkit.Type
		binary bool
	}
	var ops []opT
	for _, ty := range []irkit.Type{irkit.TInt, irkit.TI64} {
		for _, op := range []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV, irkit.MOD, irkit.POW, irkit.MIN, irkit.MAX,
			irkit.BAND, irkit.BOR, irkit.BXOR, irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROL, irkit.BROR,
			irkit.ADDOV, irkit.SUBOV, irkit.MULOV} {
			ops = append(ops, opT{op, ty, ty, true})
		}
		for _, op := range []irkit.Op{irkit.NEG, irkit.ABS, irkit.BNOT} {
			ops = append(ops, opT{op, ty, ty, false})
		}
		ops = append(ops, opT{irkit.FTOI, ty, irkit.TNum, false}, opT{irkit.FTOIX, ty, irkit.TNum, false},
			opT{irkit.ITOF, irkit.TNum, ty, false})
	}
	for _, op := range []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV, irkit.MOD, irkit.MIN, irkit.MAX} {
		ops = append(ops, opT{op, irkit.TNum, irkit.TNum, true})
	}
	for _, op := range []irkit.Op{irkit.NEG, irkit.ABS, irkit.FLOOR, irkit.CEIL, irkit.SQRT} {
		ops = append(ops, opT{op, irkit.TNum, irkit.TNum, false})
	}
	ops = append(ops, opT{irkit.BOXN, irkit.TVal, irkit.TNum, false}, opT{irkit.SEXT, irkit.TI64, irkit.TInt, false},
		opT{irkit.ZEXT, irkit.TI64, irkit.TInt, false}, opT{irkit.TRUNC, irkit.TInt, irkit.TI64, false})
	arena := lowertest.NewArena(16)
	defer arena.Close()
	var m lowertest.Machine
	defer m.Close()
	cases := 0
	for _, o := range ops {
		vals := ints
		if o.at == irkit.TNum {
			vals = nums
		}
		b := irkit.NewBuilder(nil)
		b.NoFold = true
		tr := b.T
		tr.AddSnap(0, 3, nil, nil)
		x, y := b.SLoad(0, o.at), b.SLoad(1, o.at)
		var v irkit.Ref
		if o.binary {
			v = b.Emit(o.op, o.t, x, y)
		} else {
			v = b.Emit(o.op, o.t, x, irkit.NoRef)
		}
		if o.op.IsGuard() {
			// The guard's own snapshot is #0; the result goes to the end one.
		}
		tr.AddSnap(1, 3, []irkit.SnapEntry{irkit.MakeEntry(2, v, 0)}, nil)
		if err := b.Err(); err != nil {
			t.Fatalf("%v %v: %v", o.op, o.t, err)
		}
		res, err := regalloc.Alloc(regalloc.AMD64, tr)
		if err != nil {
			t.Fatalf("%v %v: %v", o.op, o.t, err)
		}
		code, err := l.Compile(tr, res)
		if err != nil {
			t.Fatalf("%v %v: %v", o.op, o.t, err)
		}
		for _, xv := range vals {
			for _, yv := range vals {
				if !o.binary && yv != vals[0] {
					continue
				}
				slots := []uint64{irkit.Norm(o.at, xv), irkit.Norm(o.at, yv), 0}
				want := lowertest.Expect(tr, slots, arena.Words, arena, 4)
				m.Prepare(code, slots)
				status, _ := m.Run(code, time.Second)
				if err := m.Compare(tr, code, regalloc.AMD64, status, arena, want); err != nil {
					t.Fatalf("%v %v (%#x, %#x): %v\n%s", o.op, o.t, xv, yv, err, res.Format(tr))
				}
				cases++
			}
		}
		mem.Free(code.Block)
	}
	t.Logf("%d opcode forms, %d cases", len(ops), cases)
}

// countLoop builds "repeat i = i + 1 until i >= n" over slots 0 (i) and
// 1 (n), 64-bit, loop-optimized and compiled.
func countLoop(t *testing.T, l *Lowerer) (*irkit.Trace, *emit.Trace) {
	t.Helper()
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, irkit.TI64)
	n := b.SLoad(1, irkit.TI64)
	i1 := b.Arith(irkit.ADD, irkit.TI64, i, b.KI64(1))
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	b.Guard(irkit.LT, i1, n)
	tr.AddSnap(0, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	tr.Looping = true
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	return tr, allocCompile(t, l, tr)
}

// allocCompile allocates registers for tr and compiles it with l.
func allocCompile(tb testing.TB, l *Lowerer, tr *irkit.Trace) *emit.Trace {
	tb.Helper()
	res, err := regalloc.Alloc(regalloc.AMD64, tr)
	if err != nil {
		tb.Fatal(err)
	}
	code, err := l.Compile(tr, res)
	if err != nil {
		tb.Fatal(err)
	}
	return code
}

// runUntil enters the loop again after every interrupt exit (restoring the
// loop snapshot, as a VM does) until it leaves through another exit or
// stop() says so after an interrupt; it returns the last status and the
// number of entries.
func runUntil(t *testing.T, m *lowertest.Machine, tr *irkit.Trace, code *emit.Trace, stop func() bool) (uint64, int) {
	entries := 0
	for {
		status := emit.Enter(code.Entry, uintptr(unsafe.Pointer(&m.State)))
		entries++
		if err := m.Restore(tr, code, regalloc.AMD64, emit.StatusNum(status)); err != nil {
			t.Error(err)
			return status, entries
		}
		if emit.StatusKind(status) != emit.StatusInterrupt || stop() {
			return status, entries
		}
	}
}

// A compiled loop that would run for seconds returns promptly when another
// goroutine sets State.Interrupt, through the loop's exit, and the
// restored state is the loop's: slot 0 counts the iterations done. The
// loop may also leave earlier because the Go scheduler asks the goroutine
// to yield (its time slice is up): it is then simply entered again.
func TestLowerPreempt(t *testing.T) {
	l, _ := newTestLowerer(t)
	tr, code := countLoop(t, l)
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{0, 8e9}) // a few seconds if the interrupt were lost
	var setAt atomic.Int64
	go func() {
		time.Sleep(20 * time.Millisecond)
		setAt.Store(time.Now().UnixNano())
		atomic.StoreUint32(&m.State.Interrupt, 1)
	}()
	status, _ := runUntil(t, &m, tr, code, func() bool { return atomic.LoadUint32(&m.State.Interrupt) != 0 })
	lat := time.Duration(time.Now().UnixNano() - setAt.Load())
	last := len(tr.Snaps) - 1
	if status != emit.StatusInterrupt|uint64(last) || m.State.Exit != uint32(last) {
		t.Fatalf("status %#x, exit %d; want interrupt through exit %d", status, m.State.Exit, last)
	}
	if m.Slots[0] < 1000 {
		t.Errorf("only %d iterations before the interrupt", m.Slots[0])
	}
	t.Logf("interrupted after %d iterations; returned %v after Interrupt was set", m.Slots[0], lat)
	if lat > 100*time.Millisecond {
		t.Errorf("interrupt took %v", lat)
	}
}

// runtime.GC needs every goroutine at a safe point, and generated code is
// none. But a stop-the-world marks every running goroutine for preemption
// by storing emit.StackPreempt in its stack guard word, and the back edge
// of every compiled loop checks that word: the loop leaves through its
// interrupt exit within one iteration, the VM restores the loop snapshot,
// and the goroutine stops at its next function call until the GC is done.
// No timer is involved. The loop still computes exactly what it would
// uninterrupted.
func TestLowerGCWhileLooping(t *testing.T) {
	l, _ := newTestLowerer(t)
	tr, code := countLoop(t, l)
	const n = 400_000_000
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{0, n})
	base := lowertest.GCTime(3) // a GC with no compiled loop running, for scale
	done := make(chan int, 1)
	go func() {
		_, entries := runUntil(t, &m, tr, code, func() bool { return false })
		done <- entries
	}()
	time.Sleep(5 * time.Millisecond)
	const k = 10
	var worst, total time.Duration
	for i := 0; i < k; i++ {
		t0 := time.Now()
		runtime.GC()
		d := time.Since(t0)
		worst = max(worst, d)
		total += d
	}
	entries := <-done
	runtime.KeepAlive(&m)
	if m.Slots[0] != n {
		t.Errorf("loop ended with i = %d, want %d", m.Slots[0], n)
	}
	t.Logf("%d GCs during the loop: mean %v, slowest %v (a GC alone: %v); the loop was entered %d times", k, total/k, worst, base, entries)
	// Without the check a GC waits for the whole loop (seconds). The JIT
	// promises 1 ms on a quiet machine; a loaded test machine makes even a
	// GC alone slow, so the bound scales with it.
	if limit := 5*base + 30*time.Millisecond; worst > limit {
		t.Errorf("a GC took %v while a compiled loop ran (limit %v)", worst, limit)
	}
}

// An exit linked to a side trace: the guard's stub saves the exit's values,
// then jumps to the side trace, which reads them where the parent's Locs
// says, runs and returns its own status.
func TestLowerPatchExit(t *testing.T) {
	l, mem := newTestLowerer(t)
	var m lowertest.Machine
	defer m.Close()

	// Parent: a = slot 0; b = a + 5; guard a < 10 (exit 1 restores slot 1 = b).
	b := irkit.NewBuilder(nil)
	pt := b.T
	pt.AddSnap(0, 3, nil, nil)
	a := b.SLoad(0, irkit.TI64)
	bv := b.Arith(irkit.ADD, irkit.TI64, a, b.KI64(5))
	pt.AddSnap(1, 3, []irkit.SnapEntry{irkit.MakeEntry(1, bv, 0)}, nil)
	b.Guard(irkit.LT, a, b.KI64(10))
	b.Emit(irkit.SSTORE, irkit.TVoid, 2, a)
	pt.AddSnap(2, 3, nil, nil)
	pres, err := regalloc.Alloc(regalloc.AMD64, pt)
	if err != nil {
		t.Fatal(err)
	}
	parent, err := l.Compile(pt, pres)
	if err != nil {
		t.Fatal(err)
	}
	m.Prepare(parent, []uint64{20, 0, 0})
	if s, _ := m.Run(parent, time.Second); s != emit.StatusExit|1 {
		t.Fatalf("parent alone: status %#x, want exit 1", s)
	}
	var loc regalloc.Loc
	for _, rl := range parent.Locs(1) {
		if rl.Ref == bv {
			loc = rl.Loc
		}
	}
	if !loc.IsReg() {
		t.Fatalf("b is at %s, want a register", loc.Format(regalloc.AMD64))
	}

	// Side trace: v = the parent's b, read from State.Regs; slot 2 = v*3.
	sb := irkit.NewBuilder(nil)
	st := sb.T
	st.AddSnap(0, 3, nil, nil)
	cell := uintptr(unsafe.Pointer(&m.State)) + uintptr(regCell(loc.Reg()))
	v := sb.Emit(irkit.XLOAD, irkit.TI64, sb.KPtr(cell), 0)
	w := sb.Arith(irkit.MUL, irkit.TI64, v, sb.KI64(3))
	sb.Emit(irkit.SSTORE, irkit.TVoid, 2, w)
	st.AddSnap(7, 3, []irkit.SnapEntry{irkit.MakeEntry(0, w, 0)}, nil)
	sres, err := regalloc.Alloc(regalloc.AMD64, st)
	if err != nil {
		t.Fatal(err)
	}
	side, err := l.Compile(st, sres)
	if err != nil {
		t.Fatal(err)
	}

	opts := guard.DefaultOptions()
	tk := guard.NewTracker(&opts.Params)
	pid := tk.NewTrace(len(pt.Snaps))
	sid, err := tk.NewSide(pid, 1, len(st.Snaps))
	if err != nil {
		t.Fatal(err)
	}
	lk := &Linker{Mem: mem}
	lk.Add(pid, parent)
	lk.Add(sid, side)
	if err := tk.Link(pid, 1, sid, lk); err != nil {
		t.Fatal(err)
	}
	m.Prepare(parent, []uint64{20, 0, 0})
	status, _ := m.Run(parent, time.Second)
	if status != emit.StatusExit|1 || m.State.Exit != 1 || m.Slots[2] != 75 {
		t.Fatalf("linked: status %#x exit %d slot 2 = %d; want the side trace's exit 1 and 75", status, m.State.Exit, m.Slots[2])
	}
	if err := m.Restore(st, side, regalloc.AMD64, 1); err != nil || m.Slots[0] != 75 {
		t.Fatalf("side exit restore: %v, slot 0 = %d", err, m.Slots[0])
	}
	// The fast path is untouched.
	m.Prepare(parent, []uint64{3, 0, 0})
	if s, _ := m.Run(parent, time.Second); s != emit.StatusExit|2 || m.Slots[2] != 3 {
		t.Fatalf("linked parent, guard holds: status %#x slot 2 = %d", s, m.Slots[2])
	}
	if err := lk.PatchExit(pid, 0, sid); err == nil {
		t.Error("PatchExit of an exit without branches succeeded")
	}
}

// A straight trace without snapshots runs off its end with exit NoExit.
func TestLowerNoSnapshot(t *testing.T) {
	l, _ := newTestLowerer(t)
	b := irkit.NewBuilder(nil)
	x := b.SLoad(0, irkit.TInt)
	b.Emit(irkit.SSTORE, irkit.TVoid, 1, b.Arith(irkit.SUB, irkit.TInt, x, b.KInt(7)))
	res, err := regalloc.Alloc(regalloc.AMD64, b.T)
	if err != nil {
		t.Fatal(err)
	}
	code, err := l.Compile(b.T, res)
	if err != nil {
		t.Fatal(err)
	}
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{3, 0})
	status, _ := m.Run(code, time.Second)
	if status != emit.StatusExit|uint64(emit.NoExit) || m.Slots[1] != uint64(0xfffffffffffffffc) {
		t.Fatalf("status %#x, slot 1 = %#x; want exit NoExit and -4", status, m.Slots[1])
	}
}

// A corrupted allocation is refused, not a panic.
func TestLowerBadResult(t *testing.T) {
	l, _ := newTestLowerer(t)
	b := irkit.NewBuilder(nil)
	b.T.AddSnap(0, 2, nil, nil)
	x := b.SLoad(0, irkit.TInt)
	b.Guard(irkit.LT, x, b.KInt(3))
	b.T.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(1, x, 0)}, nil)
	for i, corrupt := range []func(r *regalloc.Result){
		func(r *regalloc.Result) { r.Ins[0].Off = 1 << 30 },
		func(r *regalloc.Result) { r.Exits[0].N = 1 << 20 },
		func(r *regalloc.Result) { r.Ins = r.Ins[:1] },
		func(r *regalloc.Result) { r.Target = regalloc.ARM64 },
		func(r *regalloc.Result) { r.Tail = regalloc.Span{Off: 5, N: 5} },
	} {
		res, err := regalloc.Alloc(regalloc.AMD64, b.T)
		if err != nil {
			t.Fatal(err)
		}
		corrupt(res)
		if _, err := l.Compile(b.T, res); !errors.Is(err, ErrRefused) {
			t.Errorf("corruption %d: Compile = %v, want ErrRefused", i, err)
		}
	}
}

// TestLowerSlotBaseAcrossArith: slot loads separated by float arithmetic
// and a float compare share one slot base (mov Slots(%rdi),%r11), while a
// guard whose unread result the lowering computes into R11 (a dead ADDOV)
// makes the next load fetch it again; the run reads every slot right.
func TestLowerSlotBaseAcrossArith(t *testing.T) {
	l, mem := newTestLowerer(t)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 7, nil, nil)
	x := b.SLoad(0, irkit.TNum)
	y := b.SLoad(1, irkit.TNum)
	s := b.Arith(irkit.MUL, irkit.TNum, x, y)
	b.Guard(irkit.LT, s, b.KNum(100))
	z := b.SLoad(2, irkit.TNum)
	s2 := b.Arith(irkit.ADD, irkit.TNum, s, z)
	n := b.SLoad(3, irkit.TInt)
	b.Guard(irkit.ADDOV, n, b.KInt(5)) // its result is never read
	w := b.SLoad(4, irkit.TNum)
	s3 := b.Arith(irkit.SUB, irkit.TNum, s2, w)
	tr.AddSnap(1, 7, []irkit.SnapEntry{irkit.MakeEntry(5, s3, 0), irkit.MakeEntry(6, s2, 0)}, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if bases := countLines(lines, "mov (%rdi),%r11"); bases != 2 {
		t.Fatalf("%d slot base loads, want 2 (one for the loads before the ADDOV, one after it):\n%s", bases, listing)
	}
	var m lowertest.Machine
	defer m.Close()
	f := math.Float64bits
	m.Prepare(code, []uint64{f(3), f(4), f(0.5), 7, f(2), 0, 0})
	status, _ := m.Run(code, 0)
	if emit.StatusNum(status) != 1 {
		t.Fatalf("status %#x, want exit 1 (the end)", status)
	}
	if err := m.Restore(tr, code, regalloc.AMD64, 1); err != nil {
		t.Fatal(err)
	}
	if m.Slots[5] != f(10.5) || m.Slots[6] != f(12.5) {
		t.Fatalf("slots 5, 6 = %v, %v; want 10.5, 12.5", math.Float64frombits(m.Slots[5]), math.Float64frombits(m.Slots[6]))
	}
}

// TestLowerFoldedFieldStore: an FSTORE through an FREF addresses
// base+offset itself (no lea), as a frame record's push does seven times;
// since regalloc.Target.FusedAddr an FREF that a load reads too is folded
// into both, so no lea is left. The run writes every field right.
func TestLowerFoldedFieldStore(t *testing.T) {
	l, mem := newTestLowerer(t)
	buf := new([4]uint64)
	holder := pinHolder(t, buf)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	base := b.Emit(irkit.FLOAD, irkit.TPtr, b.KPtr(holder), 0)
	x := b.SLoad(0, irkit.TInt)
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 4), x)
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 8), b.KInt(-7))
	y := b.SLoad(1, irkit.TI64)
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 16), y)
	shared := b.Emit(irkit.FREF, irkit.TPtr, base, 24)
	b.Emit(irkit.FSTORE, irkit.TVoid, shared, y)
	z := b.Emit(irkit.XLOAD, irkit.TI64, shared, irkit.NoRef)
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(1, z, 0)}, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if leas := countLines(lines, "lea "); leas != 0 {
		t.Fatalf("%d lea, want none (the FREFs fold into their stores and the load):\n%s", leas, listing)
	}
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{uint64(0xffffffff_00000005), 1 << 40})
	status, _ := m.Run(code, 0)
	if emit.StatusNum(status) != 1 {
		t.Fatalf("status %#x, want exit 1 (the end)", status)
	}
	if want := [4]uint64{5 << 32, uint64(uint32(0xfffffff9)), 1 << 40, 1 << 40}; *buf != want {
		t.Fatalf("fields %#x, want %#x", *buf, want)
	}
}

// TestLowerBackEdge: the counting loop's back edge, with no tail moves
// and registers to spare, reads the stack guard's address from a register
// loaded once before the loop, and closes the loop with the preemption
// check's own branch: the loop is add, cmp, jge, cmpl, jne, cmpq, jne.
// TestLowerPreempt and TestLowerGCWhileLooping run the same loop.
func TestLowerBackEdge(t *testing.T) {
	l, mem := newTestLowerer(t)
	_, code := countLoop(t, l)
	lines, listing := bodyListing(t, mem, code)
	back, guardLoad, guardCmp := -1, -1, -1
	for i, ln := range lines {
		s := ln.String()
		switch {
		case strings.Contains(s, "mov 0x8(%rsp),"):
			guardLoad = i
		case strings.Contains(s, "cmpq $0xfffffffffffffade,") || strings.Contains(s, "cmpq $-0x522,"):
			guardCmp = i
			if strings.Contains(s, "(%r11)") {
				t.Errorf("guard word read through the scratch register:\n%s", s)
			}
		case strings.HasPrefix(ln.Text, "jne") && guardCmp >= 0 && guardCmp == i-1:
			back = i
		}
	}
	if guardLoad < 0 || guardCmp < 0 || back < 0 {
		t.Fatalf("no guard load, compare or closing jne:\n%s", listing)
	}
	// The loop starts right after the guard load: add, cmp, jcc, cmpl,
	// jne, cmpq, jne.
	if n := back - guardLoad; n != 7 {
		t.Errorf("%d instructions from the guard load to the back edge, want 7:\n%s", n, listing)
	}
}

// bodyListing disassembles the body of compiled trace code (no exit
// stubs): the lines, and the whole listing for failure messages.
func bodyListing(t *testing.T, mem *emit.Mem, code *emit.Trace) ([]Line, string) {
	t.Helper()
	return memListing(t, mem, code.Entry, code.CodeSize)
}

// pinHolder returns the address of a pinned word holding p, which a
// trace loads by address (a KPtr) to reach p; unpinned when the test
// ends.
func pinHolder[T any](t *testing.T, p *T) uintptr {
	holder := &struct{ p *T }{p}
	var pin runtime.Pinner
	pin.Pin(holder)
	t.Cleanup(pin.Unpin)
	return uintptr(unsafe.Pointer(holder))
}

// memListing disassembles the n bytes of code at addr in mem: its lines
// and their text, one line each.
func memListing(t *testing.T, mem *emit.Mem, addr uintptr, n int) ([]Line, string) {
	t.Helper()
	raw, err := mem.Read(addr, n)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Disasm(raw, uint64(addr), GNU)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, ln := range lines {
		b.WriteString(ln.String() + "\n")
	}
	return lines, b.String()
}

// countLines counts the listing lines that contain sub.
func countLines(lines []Line, sub string) int {
	n := 0
	for _, ln := range lines {
		if strings.Contains(ln.String(), sub) {
			n++
		}
	}
	return n
}

// TestLowerImmediateStores: an FSTORE, ASTORE or XSTORE of an integer
// constant in int32 range stores it as the immediate of its mov (no
// register holds it), for each width (a TInt's 4 bytes, a TBool's byte,
// a 64-bit word sign-extended); a 64-bit constant out of that range
// still goes through a register. The run writes every word right.
func TestLowerImmediateStores(t *testing.T) {
	l, mem := newTestLowerer(t)
	buf := new([6]uint64)
	for i := range buf {
		buf[i] = 0x5555555555555555
	}
	holder := pinHolder(t, buf)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 1, nil, nil)
	base := b.Emit(irkit.FLOAD, irkit.TPtr, b.KPtr(holder), 0)
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 0), b.KInt(-7))
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 8), b.KI64(-2))
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 16), b.KBool(true))
	b.Emit(irkit.ASTORE, irkit.TVoid, b.Emit(irkit.AREF, irkit.TPtr, base, b.KI64(3)), b.KI64(1<<31-1))
	b.Emit(irkit.XSTORE, irkit.TVoid, b.Emit(irkit.AREF, irkit.TPtr, base, b.KI64(4)), b.KI64(-1<<31))
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, base, 40), b.KI64(1<<40))
	tr.AddSnap(0, 1, nil, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if n := countLines(lines, "movl $-0x7,"); n != 1 {
		t.Errorf("%d movl $-7 to memory, want 1:\n%s", n, listing)
	}
	if n := countLines(lines, "movb $0x1,"); n != 1 {
		t.Errorf("%d movb $1 to memory, want 1:\n%s", n, listing)
	}
	if n := countLines(lines, "movq $"); n != 3 {
		t.Errorf("%d movq $imm32 to memory, want 3:\n%s", n, listing)
	}
	if n := countLines(lines, "mov $0x10000000000,%"); n != 1 {
		t.Errorf("%d loads of 1<<40 into a register, want 1:\n%s", n, listing)
	}
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{0})
	status, _ := m.Run(code, 0)
	if emit.StatusNum(status) != 1 {
		t.Fatalf("status %#x, want exit 1 (the end)", status)
	}
	want := [6]uint64{0x55555555_fffffff9, 0xffffffff_fffffffe, 0x55555555_55555501,
		1<<31 - 1, 0xffffffff_80000000, 1 << 40}
	if *buf != want {
		t.Fatalf("words %#x, want %#x", *buf, want)
	}
}

// TestLowerRecordBelowTop: a frame record below the top is addressed as
// AREF(data, n*4 + k) (regalloc.Target.FusedMemOf): the constant k of
// the i64 ADD becomes the displacement 8*k of the AREF's lea and of the
// fused field loads, and the ADD itself emits nothing; an integer field
// compared with a constant or a register is compared in memory (cmpl
// $imm, ofs(reg), regalloc.Target.FusedLoad). The runs take both ways
// out of each guard.
func TestLowerRecordBelowTop(t *testing.T) {
	l, mem := newTestLowerer(t)
	var buf [16]uint64 // four records of four words
	holder := pinHolder(t, &buf)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 3, nil, nil)
	data := b.Emit(irkit.FLOAD, irkit.TPtr, b.KPtr(holder), 0)
	n := b.SLoad(0, irkit.TI64)
	lim := b.SLoad(1, irkit.TI64)
	w := b.Emit(irkit.BSHL, irkit.TI64, n, b.KI64(2))
	rec := b.Emit(irkit.AREF, irkit.TPtr, data, b.Emit(irkit.ADD, irkit.TI64, w, b.KI64(-4)))
	kind := b.Emit(irkit.FLOAD, irkit.TInt, rec, 8)
	b.Guard(irkit.EQ, kind, b.KInt(10))
	tr.AddSnap(0, 3, nil, nil)
	cnt := b.Emit(irkit.FLOAD, irkit.TI64, rec, 16)
	b.Guard(irkit.LT, cnt, lim)
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, rec, 24), lim)
	tr.AddSnap(1, 3, []irkit.SnapEntry{irkit.MakeEntry(2, rec, 0)}, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if n := countLines(lines, "add "); n != 0 {
		t.Errorf("%d add, want none (the index's constant is a displacement):\n%s", n, listing)
	}
	if n := countLines(lines, "lea -0x20("); n != 1 {
		t.Errorf("%d lea -0x20(...), want 1 (the record's address, for its store and the exit):\n%s", n, listing)
	}
	if n := countLines(lines, "cmpl $0xa,0x8("); n != 1 {
		t.Errorf("%d cmpl $10 with the kind field in memory, want 1:\n%s", n, listing)
	}
	if n := countLines(lines, "cmp %"); n != 1 {
		t.Errorf("%d cmp with a field in memory, want 1 (the count):\n%s", n, listing)
	}
	var m lowertest.Machine
	defer m.Close()
	for _, c := range []struct {
		kind, cnt, lim uint64
		exit           int
	}{{10, 5, 6, 2}, {11, 5, 6, 0}, {10, 6, 6, 1}, {10, 1 << 40, -1 << 41 & (1<<64 - 1), 1}} {
		buf = [16]uint64{}
		buf[2*4+1], buf[2*4+2] = c.kind, c.cnt // record 2: the one below the top of three
		m.Prepare(code, []uint64{3, c.lim, 0})
		status, _ := m.Run(code, 0)
		if got := emit.StatusNum(status); got != c.exit {
			t.Fatalf("kind %d, count %d, limit %d: exit %d, want %d", c.kind, c.cnt, int64(c.lim), got, c.exit)
		}
		if c.exit != 2 {
			continue
		}
		if err := m.Restore(tr, code, regalloc.AMD64, 2); err != nil {
			t.Fatal(err)
		}
		if want := uint64(uintptr(unsafe.Pointer(&buf[8]))); m.Slots[2] != want || buf[11] != c.lim {
			t.Fatalf("record address %#x, stored %d; want %#x, %d", m.Slots[2], buf[11], want, c.lim)
		}
	}
}

// TestLowerFloatPool: a float constant is loaded from the trace's pool
// (movsd k(%rip)), with no movabs and movq through R11, each constant
// once in the pool; a 64-bit integer constant is still a movabs. Every
// way out restores the right slots.
func TestLowerFloatPool(t *testing.T) {
	l, mem := newTestLowerer(t)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 3, nil, nil)
	x := b.SLoad(0, irkit.TNum)
	b.Guard(irkit.LT, x, b.KNum(2))
	tr.AddSnap(1, 3, nil, nil)
	y := b.SLoad(1, irkit.TI64)
	b.Guard(irkit.EQ, y, b.KI64(1<<40))
	s := b.Arith(irkit.ADD, irkit.TNum, x, b.KNum(1.5))
	tr.AddSnap(2, 3, []irkit.SnapEntry{irkit.MakeEntry(2, s, 0)}, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if n := countLines(lines, "mov $0x10000000000,"); n != 1 {
		t.Errorf("%d movabs of 1<<40, want 1:\n%s", n, listing)
	}
	if n := countLines(lines, "mov $0x4"); n != 0 {
		t.Errorf("%d movabs of a float's bits, want none:\n%s", n, listing)
	}
	if code.Entry-code.Block.Addr != 16 {
		t.Errorf("the entry is %d bytes into the block, want 16 (the pool of 2.0 and 1.5)", code.Entry-code.Block.Addr)
	}
	if n := countLines(lines, "(%rip),%xmm"); n != 2 {
		t.Errorf("%d float constants loaded from the pool, want 2:\n%s", n, listing)
	}
	if n := countLines(lines, ",%xmm") - countLines(lines, "(%rip),%xmm") - countLines(lines, "(%r11),%xmm") -
		countLines(lines, "sd %xmm"); n != 0 {
		t.Errorf("%d other writes of an XMM register (movq from R11?), want none:\n%s", n, listing)
	}
	f := math.Float64bits
	var m lowertest.Machine
	defer m.Close()
	for _, c := range []struct {
		x    float64
		y    uint64
		exit int
	}{{1, 1 << 40, 2}, {5, 1 << 40, 0}, {1, 7, 1}} {
		m.Prepare(code, []uint64{f(c.x), c.y, 0})
		status, _ := m.Run(code, 0)
		if got := emit.StatusNum(status); got != c.exit {
			t.Fatalf("x %v, y %#x: exit %d, want %d", c.x, c.y, got, c.exit)
		}
		if err := m.Restore(tr, code, regalloc.AMD64, c.exit); err != nil {
			t.Fatal(err)
		}
		if c.exit == 2 && m.Slots[2] != f(2.5) {
			t.Fatalf("slot 2 = %v, want 2.5", math.Float64frombits(m.Slots[2]))
		}
	}
}

// TestLowerLeaForms: an integer ADD or SUB whose operand stays live (so
// its result needs another register) is one lea, not a copy and the
// operation (lea3), and so is a shift left by 1 to 3; at 32 bits the
// lea wraps as add does. Every result is right.
func TestLowerLeaForms(t *testing.T) {
	l, mem := newTestLowerer(t)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 9, nil, nil)
	x := b.SLoad(0, irkit.TInt)
	y := b.SLoad(1, irkit.TI64)
	z := b.SLoad(2, irkit.TI64)
	add := b.Arith(irkit.ADD, irkit.TInt, x, b.KInt(5))
	sub := b.Arith(irkit.SUB, irkit.TI64, y, b.KI64(7))
	sum := b.Arith(irkit.ADD, irkit.TI64, y, z)
	shl := b.Emit(irkit.BSHL, irkit.TI64, z, b.KI64(3))
	tr.AddSnap(1, 9, []irkit.SnapEntry{irkit.MakeEntry(3, add, 0), irkit.MakeEntry(4, sub, 0),
		irkit.MakeEntry(5, sum, 0), irkit.MakeEntry(6, shl, 0), irkit.MakeEntry(7, x, 0), irkit.MakeEntry(8, z, 0)}, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if n := countLines(lines, "lea "); n != 4 {
		t.Errorf("%d lea, want 4 (add, sub, add of two registers, shift):\n%s", n, listing)
	}
	for _, op := range []string{"add ", "sub ", "shl ", "mov %"} {
		if n := countLines(lines, op); n != 0 {
			t.Errorf("%d %q, want none:\n%s", n, op, listing)
		}
	}
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{0x7ffffffe, 100, 1 << 40, 0, 0, 0, 0, 0, 0})
	status, _ := m.Run(code, 0)
	if emit.StatusNum(status) != 1 {
		t.Fatalf("status %#x, want exit 1 (the end)", status)
	}
	if err := m.Restore(tr, code, regalloc.AMD64, 1); err != nil {
		t.Fatal(err)
	}
	wrapped := int64(math.MinInt32 + 3) // 0x7ffffffe + 5 at 32 bits
	want := []uint64{uint64(wrapped), 93, 100 + 1<<40, 1 << 43, 0x7ffffffe, 1 << 40}
	if got := m.Slots[3:9]; !slices.Equal(got, want) {
		t.Fatalf("slots 3-8 = %#x, want %#x", got, want)
	}
}

// TestLowerSextXloadFused: the SEXT of a TInt field just loaded is one
// sign-extending load (movslq ofs(obj), d), and an i64 compared right
// after its XLOAD is compared in memory (cmp %reg,(addr)): a return's
// check that no upvalue is open in the frame. Both ways out are right.
func TestLowerSextXloadFused(t *testing.T) {
	l, mem := newTestLowerer(t)
	rec := new([2]uint64)
	var top int64
	holder := pinHolder(t, rec)
	var pin runtime.Pinner // the trace reads top by address
	pin.Pin(&top)
	defer pin.Unpin()
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 1, nil, nil)
	obj := b.Emit(irkit.FLOAD, irkit.TPtr, b.KPtr(holder), 0)
	base := b.Emit(irkit.FLOAD, irkit.TInt, obj, 4)
	up := b.Emit(irkit.XLOAD, irkit.TI64, b.KPtr(uintptr(unsafe.Pointer(&top))), irkit.NoRef)
	s := b.Emit(irkit.SEXT, irkit.TI64, base, irkit.NoRef)
	b.Guard(irkit.LT, up, s)
	tr.AddSnap(0, 1, []irkit.SnapEntry{irkit.MakeEntry(0, s, 0)}, nil)
	code := allocCompile(t, l, tr)
	lines, listing := bodyListing(t, mem, code)
	if n := countLines(lines, "movsxd 0x4("); n != 1 {
		t.Errorf("%d sign-extending loads of the field, want 1:\n%s", n, listing)
	}
	if n := countLines(lines, "movsxd %"); n != 0 {
		t.Errorf("%d sign extensions of a register, want none:\n%s", n, listing)
	}
	inMem := 0
	for _, ln := range lines {
		if txt := ln.String(); strings.Contains(txt, "cmp %") && strings.HasSuffix(strings.TrimSpace(txt), ")") {
			inMem++
		}
	}
	if inMem != 1 {
		t.Errorf("%d compares with the XLOAD's word in memory, want 1:\n%s", inMem, listing)
	}
	var m lowertest.Machine
	defer m.Close()
	for _, c := range []struct {
		base int32
		top  int64
		exit int
	}{{-5, -7, 1}, {-5, -5, 0}, {3, 2, 1}} {
		rec[0] = uint64(uint32(c.base)) << 32
		top = c.top
		m.Prepare(code, []uint64{0})
		status, _ := m.Run(code, 0)
		if got := emit.StatusNum(status); got != c.exit {
			t.Fatalf("base %d, top %d: exit %d, want %d", c.base, c.top, got, c.exit)
		}
		if c.exit != 1 {
			continue
		}
		if err := m.Restore(tr, code, regalloc.AMD64, 1); err != nil {
			t.Fatal(err)
		}
		if int64(m.Slots[0]) != int64(c.base) {
			t.Fatalf("slot 0 = %d, want %d", int64(m.Slots[0]), c.base)
		}
	}
}
