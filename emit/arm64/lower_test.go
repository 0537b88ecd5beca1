package arm64

// Tests of the lowering that need no arm64 machine: they assemble (and
// install, without running) random traces on any host and read the code
// back with golang.org/x/arch's decoder. Execution tests are in
// lower*_arm64_test.go.

import (
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/arch/arm64/arm64asm"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// unkept reports a trace refused because the allocation does not keep a
// value of the loop snapshot anywhere at the back edge (not even at the
// loop's entry), so an interrupt exit could not restore it: a limitation
// of regalloc (it keeps values alive for guards' snapshots only), which
// the lowering reports instead of producing a wrong exit.
func unkept(err error) bool {
	return strings.Contains(err.Error(), "is not kept at the back edge")
}

// fakeHelpers gives every helper of lowertest.HelperSpecs an address, for
// assembling calls to them without running anything.
func fakeHelpers(t testing.TB) *irkit.Helpers {
	hs, err := lowertest.NewHelpers(func(string) uintptr { return 0x7f0000001000 })
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

// writesReserved reports an instruction of code that writes X18 or X28.
func writesReserved(code []byte) string {
	for i := 0; i+4 <= len(code); i += 4 {
		inst, err := arm64asm.Decode(code[i : i+4])
		if err != nil || inst.Args[0] == nil {
			continue // data (a jump-slot literal) or no operands
		}
		name := inst.Op.String()
		if strings.HasPrefix(name, "ST") || strings.HasPrefix(name, "B") || strings.HasPrefix(name, "CB") ||
			strings.HasPrefix(name, "TB") || name == "CMP" || name == "CMN" || name == "TST" || name == "FCMP" || name == "RET" {
			continue // reads its first operand
		}
		switch inst.Args[0] {
		case arm64asm.X18, arm64asm.W18, arm64asm.X28, arm64asm.W28:
			return fmt.Sprintf("%#x: %v", i, inst)
		}
	}
	return ""
}

// TestLowerAssemble assembles thousands of random traces of every shape
// on any host: each allocation passes regalloc.Check, each trace lowers
// without error, and no instruction writes X18 or X28.
func TestLowerAssemble(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	hs := fakeHelpers(t)
	n := 1500
	if testing.Short() || os.Getenv("JITKIT_QEMU") != "" {
		n = 150 // the differential tests assemble thousands there anyway
	}
	// The check itself sees a write of X28.
	ra := New(emit.NewBuf(64))
	ra.AllowReserved = true
	ra.Mov(X28, X1)
	ra.Str(Size64, X28, Off(X0, 8))
	if writesReserved(ra.Buf.Bytes()) == "" {
		t.Fatal("writesReserved missed mov x28, x1")
	}
	var al = regalloc.NewAllocator(regalloc.ARM64)
	var res regalloc.Result
	for _, cfg := range []lowertest.Config{{}, {Loop: true}, {Slots: 40, Steps: 120, Pressure: 40, Calm: true}} {
		cfg.Helpers = hs
		g := lowertest.NewGen(cfg)
		built, refused, stale, exits, stubBytes, codeBytes := 0, 0, 0, 0, 0, 0
		for seed := int64(1); seed <= int64(n); seed++ {
			if g.Build(seed) != nil {
				continue
			}
			tr := g.B.T
			if err := al.Alloc(tr, &res); err != nil {
				t.Fatalf("seed %d: alloc: %v", seed, err)
			}
			if err := regalloc.Check(tr, &res); err != nil {
				t.Fatalf("seed %d: check: %v", seed, err)
			}
			if err := l.Assemble(tr, &res); err != nil {
				if unkept(err) {
					refused++
					continue
				}
				// A reused regalloc.Allocator sometimes leaves a remat of
				// a constant of an earlier trace (one below Trace.KLow)
				// that regalloc.Check does not catch; the lowering refuses
				// it. A fresh allocator must give a good allocation.
				var fresh regalloc.Result
				if ferr := regalloc.NewAllocator(regalloc.ARM64).Alloc(tr, &fresh); ferr != nil || l.Assemble(tr, &fresh) != nil {
					t.Fatalf("seed %d: %v\n%s", seed, err, res.Format(tr))
				}
				stale++
			}
			if w := writesReserved(l.Code()); w != "" {
				t.Fatalf("seed %d writes a reserved register: %s", seed, w)
			}
			built++
			exits += len(l.res.Exits)
			stubBytes += l.stubSize
			codeBytes += len(l.Code()) - l.stubSize
		}
		g.Close()
		t.Logf("pressure %d: %d assembled, %d refused, %d stale allocations refused; body %d bytes, exit code %d bytes (%.1f a guard)",
			cfg.Pressure, built, refused, stale, codeBytes/max(built, 1), stubBytes/max(built, 1), float64(stubBytes)/float64(max(exits, 1)))
		if built < n/2 || refused > n/500 {
			t.Errorf("assembled %d, refused %d of %d", built, refused, n)
		}
	}
}

// TestLowerRefuses checks the errors of malformed input and of what the
// lowering cannot compile without help.
func TestLowerRefuses(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	x := b.SLoad(0, irkit.TNum)
	p := b.Emit(irkit.POW, irkit.TNum, x, x)
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(1, p, 0)}, nil)
	var res regalloc.Result
	if err := regalloc.NewAllocator(regalloc.ARM64).Alloc(tr, &res); err != nil {
		t.Fatal(err)
	}
	if err := l.Assemble(tr, &res); err == nil || !strings.Contains(err.Error(), "float POW") {
		t.Errorf("float POW without a helper: %v", err)
	}
	l.FPow = 0x7f0000002000
	if err := l.Assemble(tr, &res); err != nil {
		t.Errorf("float POW with FPow: %v", err)
	}
	if err := l.Assemble(nil, &res); err == nil {
		t.Error("nil trace accepted")
	}
	var amd regalloc.Result
	if err := regalloc.NewAllocator(regalloc.AMD64).Alloc(tr, &amd); err != nil {
		t.Fatal(err)
	}
	if err := l.Assemble(tr, &amd); err == nil {
		t.Error("an amd64 allocation accepted")
	}
	res.Ins = res.Ins[:1]
	if err := l.Assemble(tr, &res); err == nil {
		t.Error("a truncated allocation accepted")
	}
}

// TestLowerJumpSlots installs a trace and checks that each linkable exit's
// literal holds the address of its jump slot, and the slot the exit's own
// handler, so an unlinked exit returns to Go.
func TestLowerJumpSlots(t *testing.T) {
	code, mem := compileExample(t)
	if len(code.Sites) == 0 {
		t.Fatal("no exit sites")
	}
	for _, s := range code.Sites {
		// The site is br x16, after "ldr x16, lit; ldr x16, [x16]".
		w, err := mem.Read(s.Addr-8, 12)
		if err != nil {
			t.Fatal(err)
		}
		if d := DisasmWord(binary.LittleEndian.Uint32(w[8:])); !strings.HasPrefix(d, "br x16") {
			t.Errorf("exit %d site: %s", s.Exit, d)
		}
		if code.jump[s.Exit] == 0 || code.jump[s.Exit] != code.handler[s.Exit] {
			t.Errorf("exit %d slot %#x, handler %#x", s.Exit, code.jump[s.Exit], code.handler[s.Exit])
		}
		lit := binary.LittleEndian.Uint32(w[:4])
		off := int64(int32(lit<<8)>>13) * 4 // ldr literal's imm19, in words
		p, err := mem.Read(uintptr(int64(s.Addr-8)+off), 8)
		if err != nil {
			t.Fatal(err)
		}
		if got := uintptr(binary.LittleEndian.Uint64(p)); got != uintptr(addrOf(&code.jump[s.Exit])) {
			t.Errorf("exit %d literal %#x, want &jump[%d]", s.Exit, got, s.Exit)
		}
	}
	if code.CodeSize <= 0 || code.StubSize <= 0 || code.CodeSize+code.StubSize != code.Block.Size && code.CodeSize+code.StubSize > code.Block.Size {
		t.Errorf("sizes: code %d stubs %d block %d", code.CodeSize, code.StubSize, code.Block.Size)
	}
	if err := code.Link(len(code.jump), 0x1000); err == nil {
		t.Error("linked a missing exit")
	}
	if err := code.Free(); err != nil {
		t.Error(err)
	}
}

// exampleTrace is the loop "repeat i = i + 1 until not (i < n)" of irkit's
// example, loop-optimized and allocated for arm64.
// compileExample compiles exampleTrace into executable memory of its own;
// the lowerer and the memory are released when the test ends, the code is
// the caller's to free.
func compileExample(t *testing.T) (*Code, *emit.Mem) {
	t.Helper()
	mem := emit.NewMem(0)
	l, err := NewLowerer(mem)
	if err != nil {
		mem.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.Close()
		mem.Close()
	})
	tr, res := exampleTrace()
	code, err := l.CompileCode(tr, res)
	if err != nil {
		t.Fatal(err)
	}
	return code, mem
}

func exampleTrace() (*irkit.Trace, *regalloc.Result) {
	b := irkit.NewBuilder(nil)
	t := b.T
	t.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, irkit.TInt)
	n := b.SLoad(1, irkit.TInt)
	i1 := b.Emit(irkit.ADDOV, irkit.TInt, i, b.KInt(1))
	t.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	b.Guard(irkit.LT, i1, n)
	t.AddSnap(0, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	t.Looping = true
	if err := b.LoopOpt(); err != nil {
		panic(err)
	}
	t.DCE()
	var res regalloc.Result
	if err := regalloc.NewAllocator(regalloc.ARM64).Alloc(t, &res); err != nil {
		panic(err)
	}
	return t, &res
}

// -- Benchmarks ------------------------------------------------------------------------

// benchLower measures allocation plus lowering (and installing, if
// install) per IR instruction on random traces of cfg: the compile time a
// trace costs on top of recording.
func benchLower(b *testing.B, cfg lowertest.Config, install bool) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	cfg.Helpers = fakeHelpers(b)
	g := lowertest.NewGen(cfg)
	defer g.Close()
	// A pool of built traces, cloned by rebuilding from the seed: the
	// generator reuses its trace, so time only what follows the build.
	al := regalloc.NewAllocator(regalloc.ARM64)
	var res regalloc.Result
	var seeds []int64
	for s := int64(1); len(seeds) < 32; s++ {
		if g.Build(s) == nil {
			seeds = append(seeds, s)
		}
	}
	var ins int
	var spent, lower time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		g.Build(seeds[i%len(seeds)])
		tr := g.B.T
		b.StartTimer()
		t0 := time.Now()
		if err := al.Alloc(tr, &res); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := l.Assemble(tr, &res); err != nil {
			if unkept(err) {
				continue
			}
			b.Fatal(err)
		}
		if install {
			code, err := l.Install()
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			code.Free()
			b.StartTimer()
		}
		spent += time.Since(t0)
		lower += time.Since(t1)
		ins += tr.Len()
	}
	b.ReportMetric(float64(spent.Nanoseconds())/float64(max(ins, 1)), "ns/ins")
	b.ReportMetric(float64(lower.Nanoseconds())/float64(max(ins, 1)), "lower-ns/ins")
}

// BenchmarkLower: allocation + lowering per IR instruction (encoding
// only: runs on any host).
func BenchmarkLower(b *testing.B) { benchLower(b, lowertest.Config{}, false) }

// BenchmarkLowerLoops: the same on loop traces under register pressure.
func BenchmarkLowerLoops(b *testing.B) {
	benchLower(b, lowertest.Config{Loop: true, Slots: 24, Steps: 80, Pressure: 20, Calm: true}, false)
}

// BenchmarkLowerInstall adds installing the code in executable memory
// (mmap'd area, two mprotect calls per trace).
func BenchmarkLowerInstall(b *testing.B) { benchLower(b, lowertest.Config{}, true) }

func addrOf(p *uintptr) uintptr { return uintptr(unsafe.Pointer(p)) }

// TestLowerSpillArea checks that a compiled trace's NSpill covers every
// spill slot its moves touch. A reused regalloc.Allocator (as
// lowertest.Tester and a VM reuse one) can report NSlots short of the
// slots its moves use, so the lowering sizes the area from the moves
// themselves; a short area would let the trace write past the memory its
// State points to.
func TestLowerSpillArea(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	gens := [2]*lowertest.Gen{lowertest.NewGen(lowertest.Config{Helpers: fakeHelpers(t)}),
		lowertest.NewGen(lowertest.Config{Loop: true, Helpers: fakeHelpers(t)})}
	defer gens[0].Close()
	defer gens[1].Close()
	short := 0
	al := regalloc.NewAllocator(regalloc.ARM64)
	var res regalloc.Result
	for i := 0; i < 600; i++ {
		g := gens[i%2]
		seed := int64(1 + i/2)
		if g.Build(seed) != nil {
			continue
		}
		tr := g.B.T
		if err := al.Alloc(tr, &res); err != nil {
			t.Fatal(err)
		}
		used := 0
		for _, m := range res.Moves {
			for _, lc := range [2]regalloc.Loc{m.Dst, m.Src} {
				if lc.IsSlot() {
					used = max(used, lc.Slot()+1)
				}
			}
		}
		if used > res.NSlots {
			short++
		}
		code, err := l.CompileCode(tr, &res)
		if err != nil {
			if strings.Contains(err.Error(), "out of range") {
				continue // a stale allocation (see TestLowerAssemble)
			}
			t.Fatalf("seed %d: %v", seed, err)
		}
		if code.NSpill < used {
			t.Fatalf("seed %d: NSpill %d, the moves use %d slots", seed, code.NSpill, used)
		}
		code.Free()
	}
	t.Logf("%d allocations reported fewer slots than they use", short)
}
