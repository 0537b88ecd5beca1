package snapshot

import (
	"math/rand"
	"testing"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// benchMap is a map of the random recorded traces with its exits' sizes.
func benchMaps(b testing.TB) ([]*Map, int, int) {
	rng := rand.New(rand.NewSource(21))
	var ms []*Map
	exits, slots := 0, 0
	for len(ms) < 50 {
		g, err := genLoopTrace(rng, genCfg{steps: 60, loop: true, data: 24, guards: 8, calls: true})
		if err != nil {
			b.Fatal(err)
		}
		res, err := regalloc.Alloc(regalloc.AMD64, g.tr)
		if err != nil {
			b.Fatal(err)
		}
		m, err := Build(g.tr, res)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
		for i := 0; i < m.NumExits(); i++ {
			x, _ := m.Exit(i)
			exits++
			slots += len(x.Entries)
		}
	}
	return ms, exits, slots
}

// nopFrames is a Frames that only stores, to time Restore itself.
type nopFrames struct{ words [MaxSlot + 1]uint64 }

func (f *nopFrames) SetFrame(depth, base int, pc uint64) {}
func (f *nopFrames) SetSlot(slot int, ty irkit.Type, flags uint8, bits uint64) {
	f.words[slot&MaxSlot] = bits
}
func (f *nopFrames) SetPC(pc uint64, nslots int) {}

// BenchmarkRestore restores every exit of 50 recorded loop traces in turn,
// reporting ns per restored slot (ns/slot), per exit (ns/exit) and the CPU
// time per slot (cpu-ns/slot, the figure to trust on a loaded machine).
// "store" times Restore with a Frames that only stores; "slots-box" with
// Slots and a boxing function (ints to doubles).
func BenchmarkRestore(b *testing.B) {
	ms, exits, slots := benchMaps(b)
	var regs [64]uint64
	spill := make([]uint64, 256)
	run := func(b *testing.B, f Frames) {
		b.ReportAllocs()
		b.ResetTimer()
		c0 := cpuTime()
		for n := 0; n < b.N; n++ {
			for _, m := range ms {
				for i := 0; i < m.NumExits(); i++ {
					if err := m.Restore(i, &regs, spill, f); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/float64(slots), "ns/slot")
		b.ReportMetric(ns/float64(exits), "ns/exit")
		if cpu := cpuTime() - c0; cpu > 0 {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(slots), "cpu-ns/slot")
		}
	}
	b.Run("store", func(b *testing.B) { run(b, &nopFrames{}) })
	b.Run("slots-box", func(b *testing.B) {
		run(b, &Slots{Words: make([]uint64, 128), Box: numBox, Stack: make([]irkit.Frame, 0, 8)})
	})
}
