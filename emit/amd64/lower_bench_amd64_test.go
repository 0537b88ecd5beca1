package amd64

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// benchTrace returns a long random trace (a few hundred instructions).
func benchTrace(b *testing.B, hs *irkit.Helpers, loop bool) *lowertest.Gen {
	g := lowertest.NewGen(lowertest.Config{Helpers: hs, Steps: 400, Slots: 24, Pressure: 24, Calm: true, Loop: loop})
	for seed := int64(1); ; seed++ {
		if err := g.Build(seed); err == nil && g.B.T.Len() > 300 && g.Looped == loop {
			return g
		}
		if seed > 1000 {
			b.Fatal("no trace")
		}
	}
}

// benchCompile measures allocation plus lowering (to the buffer, not
// installed) per IR instruction: the compile time a trace costs besides
// recording and the mprotect calls of installing it.
func benchCompile(b *testing.B, loop, alloc bool) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		b.Fatal(err)
	}
	g := benchTrace(b, testHelpers(b, mem), loop)
	defer g.Close()
	tr := g.B.T
	a := regalloc.NewAllocator(regalloc.AMD64)
	var res regalloc.Result
	if err := a.Alloc(tr, &res); err != nil {
		b.Fatal(err)
	}
	if err := l.Assemble(tr, &res); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if alloc {
			if err := a.Alloc(tr, &res); err != nil {
				b.Fatal(err)
			}
		}
		if err := l.Assemble(tr, &res); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - c0
	b.StopTimer()
	n := float64(b.N) * float64(tr.Len())
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/ins")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/n, "cpu-ns/ins")
	}
	b.ReportMetric(float64(len(l.Code()))/float64(tr.Len()), "bytes/ins")
}

func BenchmarkCompileStraight(b *testing.B) { benchCompile(b, false, true) }
func BenchmarkCompileLoop(b *testing.B)     { benchCompile(b, true, true) }
func BenchmarkLowerStraight(b *testing.B)   { benchCompile(b, false, false) }
func BenchmarkLowerLoop(b *testing.B)       { benchCompile(b, true, false) }

// BenchmarkInstall is Assemble plus putting the code into executable
// memory (two mprotect calls) and freeing it.
func BenchmarkInstall(b *testing.B) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		b.Fatal(err)
	}
	g := benchTrace(b, testHelpers(b, mem), true)
	defer g.Close()
	res, err := regalloc.Alloc(regalloc.AMD64, g.B.T)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := l.Compile(g.B.T, res)
		if err != nil {
			b.Fatal(err)
		}
		mem.Free(c.Block)
	}
}

// BenchmarkLoopIteration runs the counting loop of countLoop: ns/op is one
// iteration, back edge and interrupt check included.
func BenchmarkLoopIteration(b *testing.B) {
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := NewLowerer(mem)
	if err != nil {
		b.Fatal(err)
	}
	_, code := countLoop(&testing.T{}, l)
	var m lowertest.Machine
	defer m.Close()
	m.Prepare(code, []uint64{0, uint64(b.N)})
	b.ResetTimer()
	emit.Enter(code.Entry, uintptr(unsafe.Pointer(&m.State)))
	b.StopTimer()
	if m.Slots[0] != 0 { // slots are written by the restorer, not the trace
		b.Fatal("slot 0 written")
	}
}

// The exit stub design: per-exit stubs that save only their snapshot's
// registers, against one shared handler that saves every allocatable
// register (plus a mov and a jmp per exit). Measured on random traces;
// the figures go to the log and the package documentation.
func TestLowerStubSize(t *testing.T) {
	l, mem := newTestLowerer(t)
	// The shared alternative's one-off cost: store 13 GPRs and 16 XMMs.
	a := New(nil)
	for r := regalloc.Reg(0); r < 32; r++ {
		if !regalloc.AMD64.Alloc[regalloc.GPR].Has(r) && !regalloc.AMD64.Alloc[regalloc.FPR].Has(r) {
			continue
		}
		if x := xreg(r); x.IsX() {
			a.StoreSD(M(RDI, regCell(r)), x)
		} else {
			a.Store(S64, M(RDI, regCell(r)), x)
		}
	}
	saveAll := a.Buf.Len()
	const perExitShared = 5 + 5 // mov $n,%eax; jmp common (rel32)
	for _, cfg := range []lowertest.Config{{}, {Slots: 24, Steps: 200, Pressure: 24, Calm: true}} {
		cfg.Helpers = testHelpers(t, mem)
		g := lowertest.NewGen(cfg)
		var stubs, sites, shared, body, traces, exits int
		for seed := int64(1); seed <= 300; seed++ {
			if g.Build(seed) != nil {
				continue
			}
			res, err := regalloc.Alloc(regalloc.AMD64, g.B.T)
			if err != nil {
				t.Fatal(err)
			}
			c, err := l.Compile(g.B.T, res)
			if err != nil {
				t.Fatal(err)
			}
			traces++
			stubs += c.StubSize
			body += c.CodeSize
			sites += len(c.Sites)
			exits += len(res.Exits)
			shared += saveAll + perExitShared*len(c.Sites) + 8
			mem.Free(c.Block)
		}
		g.Close()
		t.Logf("slots %d, %d traces: %d guard exits, %d stubs; stub bytes %d (%.1f a stub), shared-handler estimate %d; trace bodies %d bytes",
			g.Cfg.Slots, traces, exits, sites, stubs, float64(stubs)/float64(max(sites, 1)), shared, body)
		if stubs >= shared {
			t.Errorf("per-exit stubs (%d bytes) are not smaller than a shared handler (%d)", stubs, shared)
		}
	}
}

// BenchmarkSpillBase compares the two ways to address spill slots: reload
// the spill area's address from State before each access (what the
// lowering does: every register but RSP, RDI and R11 is allocatable, so
// none is free to hold it) and keep it in a register. Each iteration
// reloads three spilled values, adds them and spills the sum; ns/op is
// one iteration. "after-state" addresses the slots relative to the state
// pointer, for a spill area that follows the State block.
func BenchmarkSpillBase(b *testing.B) {
	for _, mode := range []string{"reload", "register", "after-state"} {
		inReg := mode != "reload"
		b.Run(mode, func(b *testing.B) {
			mem := emit.NewMem(0)
			defer mem.Close()
			a := New(nil)
			spill := func(s int) Mem { return M(R11, int32(8*s)) }
			if mode == "after-state" {
				spill = func(s int) Mem { return M(RDI, int32(unsafe.Sizeof(emit.State{}))+int32(8*s)) }
			}
			ldBase := func() {
				if !inReg {
					a.Load(S64, false, R11, M(RDI, emit.StateSpill))
				}
			}
			loop := a.NewLabel()
			// rcx = n; loop: x = [1] + [2] + [3]; [4] = x; [1] = x; dec rcx; jnz loop
			a.Ret()
			a.Jcc(NE, loop)
			a.UnopR(DEC, S64, RCX)
			a.Store(S64, spill(1), RAX)
			ldBase()
			a.Store(S64, spill(4), RAX)
			ldBase()
			a.AluRR(ADD, S64, RAX, RDX)
			a.AluRR(ADD, S64, RAX, RSI)
			a.Load(S64, false, RDX, spill(3))
			ldBase()
			a.Load(S64, false, RSI, spill(2))
			ldBase()
			a.Load(S64, false, RAX, spill(1))
			ldBase()
			a.Bind(loop)
			a.Load(S64, false, RCX, M(RDI, emit.StateArgs))
			a.Load(S64, false, R11, M(RDI, emit.StateSpill))
			blk, err := a.Install(mem)
			if err != nil {
				b.Fatal(err)
			}
			var blkState struct {
				st   emit.State
				area [8]uint64
			}
			st := &blkState.st
			st.Spill = uintptr(unsafe.Pointer(&blkState.area[0]))
			st.Args[0] = uint64(b.N)
			b.ResetTimer()
			emit.Enter(blk.Addr, uintptr(unsafe.Pointer(st)))
			b.StopTimer()
			runtime.KeepAlive(&blkState)
		})
	}
}

// BenchmarkCallout measures a call-out's round trip: a loop whose body is
// s = mix(s, i), with mix (lowertest.HelperSpecs) as machine code (a direct
// call) and as Go only (a call-out: save, return to Go, Callout.Call,
// re-enter, reload). ns/op is one iteration; the difference between the
// two is the cost of the trip through Go.
func BenchmarkCallout(b *testing.B) {
	mem := emit.NewMem(0)
	defer mem.Close()
	goOnly, err := lowertest.NewHelpers(func(string) uintptr { return 0 })
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		hs   *irkit.Helpers
	}{{"machine-code", testHelpers(b, mem)}, {"call-out", goOnly}} {
		b.Run(c.name, func(b *testing.B) {
			l, err := NewLowerer(mem)
			if err != nil {
				b.Fatal(err)
			}
			l.Callouts = true
			bb := irkit.NewBuilder(nil)
			tr := bb.T
			tr.Helpers = c.hs
			tr.AddSnap(0, 3, nil, nil)
			i, n, s := bb.SLoad(0, irkit.TI64), bb.SLoad(1, irkit.TI64), bb.SLoad(2, irkit.TI64)
			s1 := bb.Call(lowertest.HMix, s, i)
			i1 := bb.Arith(irkit.ADD, irkit.TI64, i, bb.KI64(1))
			ents := []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0), irkit.MakeEntry(2, s1, 0)}
			tr.AddSnap(1, 3, ents, nil)
			bb.Guard(irkit.LT, i1, n)
			tr.AddSnap(0, 3, ents, nil)
			tr.Looping = true
			if err := bb.LoopOpt(); err != nil {
				b.Fatal(err)
			}
			code := allocCompile(b, l, tr)
			var m lowertest.Machine
			defer m.Close()
			calls := 0
			b.ResetTimer()
			for done := 0; done < b.N; {
				k := min(b.N-done, 1<<16)
				m.Prepare(code, []uint64{0, uint64(k), 1})
				for {
					st, _ := m.Run(code, 0)
					if emit.StatusKind(st) != emit.StatusInterrupt {
						break
					}
					// Preempted by the runtime: go on from the loop snapshot.
					if err := m.Restore(tr, code, regalloc.AMD64, emit.StatusNum(st)); err != nil {
						b.Fatal(err)
					}
				}
				calls += m.Calls
				done += k
			}
			b.StopTimer()
			b.ReportMetric(float64(calls)/float64(b.N), "callouts/op")
		})
	}
}
