package lab5

import (
	"math/rand"
	"os"
	"runtime"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

// compile assembles the student's loop and installs it.
func compile(t *testing.T, mem *emit.Mem) emit.Block {
	a := amd64.New(nil)
	newImpl().Emit(a)
	if err := a.Finish(); err != nil {
		t.Fatalf("assembling: %v", err)
	}
	if testing.Verbose() {
		amd64.Dump(os.Stdout, a.Buf.Bytes(), 0, amd64.GNU)
	}
	blk, err := a.Install(mem)
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// TestLoop runs the code on random tapes and pointers, some off the tape,
// and compares with the loop in Go.
func TestLoop(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	blk := compile(t, mem)
	rng := rand.New(rand.NewSource(1))
	const n = 16
	backing := make([]uint64, n+32)
	var pin runtime.Pinner
	pin.Pin(&backing[0])
	defer pin.Unpin()
	tape := backing[16 : 16+n]
	for i := 0; i < 2000; i++ {
		clear(backing)
		for j := range tape {
			tape[j] = uint64(rng.Intn(256))
		}
		p := int64(rng.Intn(n+4) - 2) // -2 .. n+1: some off the tape
		want := append([]uint64(nil), tape...)
		wantStatus := uint64(1)
		if p >= 0 && p+1 < n {
			wantStatus = 0
			want[p+1] = (want[p+1] + want[p]) & 255
			want[p] = 0
		}
		f := &Frame{Tape: uintptr(unsafe.Pointer(&tape[0])), P: p, Len: n}
		status := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(f)))
		runtime.KeepAlive(f)
		if status != wantStatus {
			t.Fatalf("p=%d: status %d, want %d", p, status, wantStatus)
		}
		for j := range tape {
			if tape[j] != want[j] {
				t.Fatalf("p=%d: cell %d = %d, want %d", p, j, tape[j], want[j])
			}
		}
		for j, w := range backing {
			if (j < 16 || j >= 16+n) && w != 0 {
				t.Fatalf("p=%d: the code wrote outside the tape (word %d)", p, j-16)
			}
		}
	}
}

// BenchmarkLoop: a cell of 255 moved per run.
func BenchmarkLoop(b *testing.B) {
	mem := emit.NewMem(0)
	defer mem.Close()
	a := amd64.New(nil)
	newImpl().Emit(a)
	if err := a.Finish(); err != nil {
		b.Fatal(err)
	}
	blk, err := a.Install(mem)
	if err != nil {
		b.Fatal(err)
	}
	tape := make([]uint64, 2)
	f := &Frame{Tape: uintptr(unsafe.Pointer(&tape[0])), Len: 2}
	var pin runtime.Pinner
	pin.Pin(&tape[0])
	defer pin.Unpin()
	for b.Loop() {
		tape[0] = 255
		emit.Enter(blk.Addr, uintptr(unsafe.Pointer(f)))
	}
	runtime.KeepAlive(f)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/255, "ns/iteration")
}
