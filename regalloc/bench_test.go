package regalloc

import (
	"math/rand"
	"testing"
)

// benchAlloc allocates one random trace repeatedly and reports the time
// per IR instruction.
func benchAlloc(b *testing.B, tg *Target, cfg genCfg) {
	var tr = genTrace(rand.New(rand.NewSource(7)), cfg)
	for s := int64(8); tr == nil; s++ {
		tr = genTrace(rand.New(rand.NewSource(s)), cfg)
	}
	a := NewAllocator(tg)
	res := &Result{}
	if err := a.Alloc(tr, res); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if err := a.Alloc(tr, res); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - c0
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(tr.Len()), "ns/ins")
	if cpu > 0 {
		// CPU time per instruction: the honest figure on a shared machine.
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(tr.Len()), "cpu-ns/ins")
	}
	b.ReportMetric(float64(res.Stats.Spills+res.Stats.Reloads)/float64(tr.Len()), "mem/ins")
}

func BenchmarkAllocStraight(b *testing.B) {
	benchAlloc(b, AMD64, genCfg{n: 400, slots: 8, snaps: 40, live: 10})
}

func BenchmarkAllocLoop(b *testing.B) {
	benchAlloc(b, AMD64, genCfg{n: 400, slots: 8, snaps: 40, live: 10, loop: true, calls: true})
}

func BenchmarkAllocPressure(b *testing.B) {
	benchAlloc(b, tiny, genCfg{n: 400, slots: 8, snaps: 40, live: 60, loop: true})
}

func BenchmarkAllocARM64(b *testing.B) {
	benchAlloc(b, ARM64, genCfg{n: 400, slots: 8, snaps: 40, live: 20, loop: true, calls: true})
}
