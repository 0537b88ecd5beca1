package amd64

import (
	"syscall"
	"testing"
	"time"

	"github.com/jitkit/jitkit/emit"
)

// mix emits a representative trace body: loads and stores through the
// state, integer arithmetic with immediates, a compare and guard branch,
// double arithmetic and a conversion. It emits 20 instructions.
func mix(a *Asm, exit Label) {
	a.Store(S64, M(RDI, 16), RAX)
	a.AluRR(ADD, S64, RAX, RCX)
	a.AluRI(SUB, S32, RDX, 1000)
	a.Jcc(NE, exit)
	a.CmpRI(RCX, 100)
	a.Load(S64, false, RCX, MI(RSI, RDX, 8, 8))
	a.StoreSD(M(RDI, 24), X0)
	a.SseRR(ADDSD, X0, X1)
	a.SseRM(MULSD, X1, M(RDI, 32))
	a.Cvtsi2sd(S64, X2, RAX)
	a.ShiftRI(SHL, S64, RBX, 3)
	a.Lea(S64, R8, MI(RBX, R9, 4, -8))
	a.MovRI(R10, 0x12345)
	a.Setcc(L, RAX)
	a.Cmov(GE, S64, R11, R12)
	a.ImulRR(S64, R13, R14)
	a.TestMI(S8, M(R15, 7), 0x0f)
	a.Load(S8, true, RBP, M(R12, -4))
	a.Store(S32, M(R13, 0), R14)
	a.MovRR(S64, R15, RSP)
}

const mixLen = 20

// BenchmarkEncode measures encoding throughput: ns/op is per instruction.
func BenchmarkEncode(b *testing.B) {
	a := New(emit.NewBuf(1 << 16))
	exit := a.NewLabel()
	a.Ret()
	a.Bind(exit)
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if n%100 == 0 {
			a.Reset()
			exit = a.NewLabel()
			a.Ret()
			a.Bind(exit)
		}
		mix(a, exit)
		n++
	}
	if a.Err() != nil {
		b.Fatal(a.Err())
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*mixLen), "ns/insn")
	// CPU time is the fairer figure on a shared machine: wall time also
	// counts the time other processes held the core.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n*mixLen), "cpu-ns/insn")
	b.ReportMetric(float64(n*mixLen)/cpu.Seconds()/1e6, "cpu-Minsn/s")
}

// cpuTime is the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestEncodeAllocs checks that encoding allocates nothing in steady state.
func TestEncodeAllocs(t *testing.T) {
	a := New(emit.NewBuf(1 << 16))
	run := func() {
		a.Reset()
		exit := a.NewLabel()
		loop := a.NewLabel()
		a.Ret()
		a.Bind(exit)
		for i := 0; i < 50; i++ {
			mix(a, exit)
		}
		a.Jcc(NE, loop) // a fixup, patched by Bind
		a.Bind(loop)
	}
	run()
	if n := testing.AllocsPerRun(20, run); n != 0 {
		t.Errorf("%v allocations per run of 1000 instructions, want 0", n)
	}
	if err := a.Finish(); err != nil {
		t.Fatal(err)
	}
}
