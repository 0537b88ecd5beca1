package irkit

import (
	"runtime"
	"syscall"
	"testing"
)

// emitLoopBody emits a recorder-like mix: slot loads (CSE'd after the
// first), integer arithmetic with constants (folded and re-associated),
// overflow-checked adds, guards (one of each pair CSE'd), conversions and
// float arithmetic, each step depending on the previous one as recorded
// code does. redundant makes every step start from a slot again, so most
// instructions are found by CSE (after long chain walks). It returns the
// number of Emit calls (constants excluded).
func emitLoopBody(b *Builder, iters int, redundant bool) int {
	n := 0
	lim := b.SLoad(7, TInt)
	n++
	acc := b.SLoad(0, TInt)
	for i := 0; i < iters; i++ {
		x := b.SLoad(i&7, TInt)
		if !redundant {
			x = b.Emit(BXOR, TInt, acc, x)
			n++
		}
		y := b.Emit(ADD, TInt, x, b.KInt(int32(i&15)))
		y = b.Emit(ADD, TInt, y, b.KInt(3))
		z := b.Emit(ADDOV, TInt, y, x)
		b.Emit(LT, TVoid, z, lim)
		b.Emit(LT, TVoid, z, lim)
		w := b.Emit(MUL, TInt, z, b.KInt(4))
		f := b.Emit(ITOF, TNum, w, NoRef)
		g := b.Emit(MUL, TNum, f, b.KNum(0.5))
		b.Emit(ADD, TNum, g, f)
		acc = b.Emit(BAND, TInt, w, b.KInt(-1))
		n += 11
	}
	return n
}

func benchEmit(b *testing.B, noOpt, redundant bool) {
	bl := NewBuilder(nil)
	bl.NoFold, bl.NoCSE = noOpt, noOpt
	var total int
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := cpuTime()
	for b.Loop() {
		bl.Reset()
		bl.T.AddSnap(0, 8, nil, nil)
		total += emitLoopBody(bl, 64, redundant)
	}
	if bl.Err() != nil {
		b.Fatal(bl.Err())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/instr")
	// CPU time of the process: robust when other processes share the
	// machine (the wall clock is not).
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(total), "cpu-ns/instr")
	b.ReportMetric(float64(total)/float64(b.N)/float64(bl.T.Len()), "emits/kept")
	runtime.ReadMemStats(&m1)
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(total), "allocs/instr")
}

// BenchmarkEmit: Emit with fold and CSE on a dependent instruction stream.
func BenchmarkEmit(b *testing.B) { benchEmit(b, false, false) }

// BenchmarkEmitRedundant: most instructions are found by CSE.
func BenchmarkEmitRedundant(b *testing.B) { benchEmit(b, false, true) }

// BenchmarkEmitNoFoldNoCSE: the cost of appending alone, for reference.
func BenchmarkEmitNoFoldNoCSE(b *testing.B) { benchEmit(b, true, false) }

func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkInterpLoop(b *testing.B) {
	bl := NewBuilder(nil)
	countLoop(bl)
	if err := bl.LoopOpt(); err != nil {
		b.Fatal(err)
	}
	var in Interp
	slots := []uint64{0, 1000}
	for b.Loop() {
		slots[0] = 0
		in.Run(bl.T, slots)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/iteration")
}

// TestEmitZeroAlloc: once a Builder has been used, emitting a trace of the
// same shape again allocates nothing: not per instruction, not per trace.
func TestEmitZeroAlloc(t *testing.T) {
	bl := NewBuilder(nil)
	run := func() {
		bl.Reset()
		bl.T.AddSnap(0, 8, nil, nil)
		emitLoopBody(bl, 64, false)
		emitLoopBody(bl, 16, true)
	}
	run()
	if a := testing.AllocsPerRun(50, run); a != 0 {
		t.Fatalf("%v allocations per trace of %d instructions, want 0", a, bl.T.Len())
	}
	if bl.Err() != nil {
		t.Fatal(bl.Err())
	}
	// The interpreter and the passes reuse their scratch memory too.
	countLoopTrace := NewBuilder(nil)
	countLoop(countLoopTrace)
	countLoopTrace.LoopOpt()
	var in Interp
	slots := []uint64{0, 100}
	in.Run(countLoopTrace.T, slots)
	if a := testing.AllocsPerRun(50, func() { slots[0] = 0; in.Run(countLoopTrace.T, slots) }); a != 0 {
		t.Fatalf("interpreter: %v allocations per run", a)
	}
}
