package arm64

import (
	"os"
	"strconv"
	"testing"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/regalloc"
)

// fuzzTesters holds one differential tester per trace shape, built on
// first use: a fuzz worker calls the target sequentially, and building a
// Lowerer (executable memory, helpers) per input would dominate.
var fuzzTesters [16]*lowertest.Tester

// FuzzLower compiles the random trace of a seed, in one of 16 shapes
// (straight or looping, calm, high register pressure, interrupted at the
// first back edge), runs it and compares it with the interpreter bit for
// bit. It runs only on arm64; on an x86-64 host, under qemu:
//
//	GOARCH=arm64 go test -c -o /tmp/a64.test ./emit/arm64
//	cd emit/arm64 && qemu-aarch64-static /tmp/a64.test -test.run '^$' \
//	    -test.fuzz FuzzLower -test.fuzztime 60s -test.fuzzcachedir /tmp/a64fuzz
//
// The fuzzing engine runs its workers by executing the test binary again,
// so under qemu this needs qemu-user-static's binfmt_misc entry registered
// (Debian's package registers it where binfmt_misc is mounted; a container
// without it fails with "exec format error"). Without -test.fuzz, go test
// runs the seed corpus as a test; JITKIT_FUZZ_SEEDS=n adds n more seeds
// (from JITKIT_FUZZ_FROM, default 1e6), which sweeps seeds in one process
// where the engine cannot run:
//
//	JITKIT_FUZZ_SEEDS=50000 qemu-aarch64-static /tmp/a64.test -test.run FuzzLower
func FuzzLower(f *testing.F) {
	for shape := uint8(0); shape < 16; shape++ {
		f.Add(int64(shape)*7919+1, shape)
	}
	n, _ := strconv.Atoi(os.Getenv("JITKIT_FUZZ_SEEDS"))
	from, err := strconv.ParseInt(os.Getenv("JITKIT_FUZZ_FROM"), 10, 64)
	if err != nil {
		from = 1e6
	}
	for i := 0; i < n; i++ {
		f.Add(from+int64(i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, seed int64, shape uint8) {
		shape &= 15
		tst := fuzzTesters[shape]
		if tst == nil {
			mem := emit.NewMem(0)
			l, err := NewLowerer(mem)
			if err != nil {
				t.Fatal(err)
			}
			cfg := lowertest.Config{Loop: shape&1 != 0, Calm: shape&2 != 0, Helpers: testHelpers(t, mem)}
			if shape&4 != 0 {
				cfg.Slots, cfg.Steps, cfg.Pressure = 32, 80, 30
			}
			tst = lowertest.NewTester(l, cfg)
			tst.Interrupt = shape&8 != 0
			tst.Free = func(c *emit.Trace) { mem.Free(c.Block) }
			fuzzTesters[shape] = tst
		}
		tst.Alloc = regalloc.NewAllocator(regalloc.ARM64) // see TestLowerAssemble
		if _, err := tst.Case(seed); err != nil {
			if unkept(err) {
				t.Skipf("seed %d shape %d: %v", seed, shape, err)
			}
			t.Fatalf("seed %d shape %d: %v", seed, shape, err)
		}
	})
}
