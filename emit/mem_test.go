package emit

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writableExecutable lists the mappings of this process that are both
// writable and executable.
func writableExecutable(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	defer f.Close()
	var bad []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		if perm := fields[1]; strings.Contains(perm, "w") && strings.Contains(perm, "x") {
			bad = append(bad, sc.Text())
		}
	}
	return bad
}

// protOf returns the permission field of the mapping holding addr.
func protOf(t *testing.T, addr uintptr) string {
	t.Helper()
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		var lo, hi uintptr
		var perm string
		if n, _ := fmt.Sscanf(line, "%x-%x %s", &lo, &hi, &perm); n == 3 && addr >= lo && addr < hi {
			return perm
		}
	}
	return ""
}

func TestMemAllocWriteRead(t *testing.T) {
	m := NewMem(1 << 16)
	defer m.Close()
	code := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}
	b, err := m.Load(code)
	if err != nil {
		t.Fatal(err)
	}
	if b.Addr%CodeAlign != 0 || b.Size != CodeAlign {
		t.Errorf("block %+v: want aligned, size %d", b, CodeAlign)
	}
	got, err := m.Read(b.Addr, len(code))
	if err != nil || string(got) != string(code) {
		t.Fatalf("Read = %v, %v; want %v", got, err, code)
	}
	if p := protOf(t, b.Addr); p != "" && !strings.HasPrefix(p, "r-x") {
		t.Errorf("block mapped %q, want r-x", p)
	}
	if err := m.Patch(b.Addr+2, []byte{0xAA, 0xBB}); err != nil {
		t.Fatal(err)
	}
	got, _ = m.Read(b.Addr, len(code))
	if want := []byte{1, 2, 0xAA, 0xBB, 5, 6, 7, 8, 9}; string(got) != string(want) {
		t.Errorf("after Patch: %v, want %v", got, want)
	}
	if bad := writableExecutable(t); len(bad) > 0 {
		t.Errorf("writable and executable mappings: %q", bad)
	}
}

func TestMemErrors(t *testing.T) {
	m := NewMem(0)
	defer m.Close()
	for _, n := range []int{0, -1, 1 << 31} {
		if _, err := m.Alloc(n); !errors.Is(err, ErrBadSize) {
			t.Errorf("Alloc(%d) err = %v, want ErrBadSize", n, err)
		}
	}
	b, err := m.Alloc(100)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Write(b, b.Size-1, []byte{1, 2}); !errors.Is(err, ErrBadSize) {
		t.Errorf("Write past the end: %v", err)
	}
	if err := m.Write(b, -1, []byte{1}); !errors.Is(err, ErrBadSize) {
		t.Errorf("Write before the start: %v", err)
	}
	if err := m.Patch(12345, []byte{1}); !errors.Is(err, ErrNotOwned) {
		t.Errorf("Patch of a foreign address: %v", err)
	}
	if err := m.Free(Block{Addr: 16, Size: 16}); !errors.Is(err, ErrNotOwned) {
		t.Errorf("Free of a foreign block: %v", err)
	}
	if err := m.Free(Block{Addr: b.Addr, Size: b.Size + CodeAlign}); err == nil {
		t.Error("Free with the wrong size succeeded")
	}
	if err := m.Free(Block{Addr: b.Addr + CodeAlign, Size: CodeAlign}); err == nil {
		t.Error("Free of the middle of a block succeeded")
	}
	if err := m.Free(b); err != nil {
		t.Fatal(err)
	}
	if err := m.Free(b); err == nil {
		t.Error("double Free succeeded")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Alloc(16); !errors.Is(err, ErrClosed) {
		t.Errorf("Alloc after Close: %v", err)
	}
}

// TestMemRandom allocates and frees blocks at random and checks that live
// blocks never overlap, keep their contents, and that all memory comes back.
func TestMemRandom(t *testing.T) {
	m := NewMem(1 << 14)
	defer m.Close()
	rng := rand.New(rand.NewSource(1))
	type live struct {
		b    Block
		fill byte
	}
	var blocks []live
	steps := 3000
	if testing.Short() || os.Getenv("JITKIT_QEMU") == "1" {
		steps = 600
	}
	for step := 0; step < steps; step++ {
		if len(blocks) > 0 && rng.Intn(3) == 0 {
			i := rng.Intn(len(blocks))
			l := blocks[i]
			got, err := m.Read(l.b.Addr, l.b.Size)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range got {
				if c != l.fill {
					t.Fatalf("step %d: block %+v lost its contents", step, l.b)
				}
			}
			if err := m.Free(l.b); err != nil {
				t.Fatal(err)
			}
			blocks = append(blocks[:i], blocks[i+1:]...)
			continue
		}
		n := 1 + rng.Intn(3000)
		if rng.Intn(50) == 0 {
			n = 20000 + rng.Intn(20000) // larger than an area
		}
		b, err := m.Alloc(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range blocks {
			if b.Addr < l.b.End() && l.b.Addr < b.End() {
				t.Fatalf("block %+v overlaps %+v", b, l.b)
			}
		}
		fill := byte(step)
		code := make([]byte, b.Size)
		for i := range code {
			code[i] = fill
		}
		if err := m.Write(b, 0, code); err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, live{b, fill})
	}
	for _, l := range blocks {
		if err := m.Free(l.b); err != nil {
			t.Fatal(err)
		}
	}
	s := m.Stats()
	if s.Used != 0 || s.Areas != 1 {
		t.Errorf("after freeing everything: %+v, want 0 bytes used in 1 area", s)
	}
	if bad := writableExecutable(t); len(bad) > 0 {
		t.Errorf("writable and executable mappings: %q", bad)
	}
}

// BenchmarkMemLoad measures loading a 256-byte trace: allocation, two
// protection flips and the copy, then freeing it.
func BenchmarkMemLoad(b *testing.B) {
	m := NewMem(0)
	defer m.Close()
	code := make([]byte, 256)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		blk, err := m.Load(code)
		if err != nil {
			b.Fatal(err)
		}
		if err := m.Free(blk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPatch measures retargeting one exit: 4 bytes, one page flipped
// to read-write and back.
func BenchmarkPatch(b *testing.B) {
	m := NewMem(0)
	defer m.Close()
	blk, err := m.Load(make([]byte, 64))
	if err != nil {
		b.Fatal(err)
	}
	p := []byte{1, 2, 3, 4}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if err := m.Patch(blk.Addr+8, p); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU adds the process's CPU time per operation to a benchmark's
// results: on a shared machine wall time also counts the neighbours.
// Use as defer reportCPU(b)().
func reportCPU(b *testing.B) func() {
	t0 := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-t0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
