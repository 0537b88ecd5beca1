package bf

import (
	"io"
	"testing"

	"github.com/jitkit/jitkit/guard"
)

// BenchmarkBench runs Bench(255) (about 1.3 million instructions) with the
// JIT off, with traces on irkit's IR interpreter, and in machine code.
func BenchmarkBench(b *testing.B) {
	prog, err := Parse([]byte(Bench(255)))
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []struct {
		name string
		opt  Options
	}{
		{"off", Options{}},
		{"irinterp", Options{JIT: true, Interp: true, Opt: guard.DefaultOptions()}},
		{"native", Options{JIT: true, Opt: guard.DefaultOptions()}},
	} {
		b.Run(m.name, func(b *testing.B) {
			vm, err := New(prog, nil, io.Discard, m.opt)
			if err != nil {
				b.Fatal(err)
			}
			defer vm.Close()
			if err := vm.Run(); err != nil { // warm: traces compiled
				b.Fatal(err)
			}
			c0 := cpuTime()
			for b.Loop() {
				// Traces stay compiled across runs: after the first run
				// this measures the steady state.
				if err := vm.Run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(vm.Stats().Native), "native-traces")
		})
	}
}
