//go:build amd64 || arm64

package snapshot

import (
	"errors"
	"math/rand"
	"runtime"
	"slices"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- Real exits on amd64 and arm64 ----------------------------------------------
//
// The same test as TestRandomExits, but the exit state is the one the
// compiled trace leaves: each trace is lowered by the host's backend
// (emit/amd64, or emit/arm64 under qemu), run natively
// with inputs that fail each guard in turn, and the state block it returns
// (State.Exit, State.Regs, the spill area) is restored through a map built
// from the lowering's per-snapshot locations (emit.Trace.Locs).

// native holds the memory a compiled trace runs against.
type native struct {
	st    emit.State
	slots []uint64
	spill []uint64
	pin   runtime.Pinner
}

// run runs code on the inputs in until it leaves through a guard exit.
// A loop also leaves through its interrupt exit when the Go runtime asks
// the goroutine to stop (a GC, or the scheduler's time slice: see
// emit.StackPreempt). These tests compare one uninterrupted run with the
// interpreter, so such a run is simply repeated from the same inputs;
// TestNativeExits tests interrupt exits on purpose with runInterrupted.
func (n *native) run(code *emit.Trace, in []uint64) uint64 {
	for try := 0; ; try++ {
		s := n.enter(code, in, false)
		if emit.StatusKind(s) != emit.StatusInterrupt || try == 20 {
			return s
		}
	}
}

// runInterrupted runs code with State.Interrupt already set.
func (n *native) runInterrupted(code *emit.Trace, in []uint64) uint64 { return n.enter(code, in, true) }

func (n *native) enter(code *emit.Trace, in []uint64, interrupt bool) uint64 {
	n.pin.Unpin()
	n.slots = append(n.slots[:0], in...)
	n.spill = make([]uint64, max(code.NSpill, 1))
	for i := range n.spill {
		n.spill[i] = lowertest.Garbage
	}
	n.st = emit.State{}
	for i := range n.st.Regs {
		n.st.Regs[i] = lowertest.Garbage
	}
	n.pin.Pin(&n.slots[0])
	n.pin.Pin(&n.spill[0])
	n.st.Slots = uintptr(unsafe.Pointer(&n.slots[0]))
	n.st.Spill = uintptr(unsafe.Pointer(&n.spill[0]))
	if interrupt {
		n.st.Interrupt = 1
	}
	s := emit.Enter(code.Entry, uintptr(unsafe.Pointer(&n.st)))
	runtime.KeepAlive(n)
	return s
}

// backend is a host lowering (native_<arch>_test.go supplies newBackend).
type backend struct {
	lowertest.Backend
	mem     *emit.Mem
	refused error // the lowering's "trace refused" error
}

// TestNativeExits: recorded traces with inlined frames and constants,
// compiled for amd64, every guard failed in turn, in the peeled iteration
// and the loop body; RestoreState must rebuild the interpreter's slots,
// frames and PC from what the machine code left.
func TestNativeExits(t *testing.T) {
	be := newBackend(t)
	l, mem, tgt := be, be.mem, be.Target()
	rng := rand.New(rand.NewSource(17))
	var nat native
	defer nat.pin.Unpin()
	var ip irkit.Interp
	ip.MaxIter = 64
	var st exitStats
	alloc := regalloc.NewAllocator(tgt)
	var res regalloc.Result
	var enc Encoder
	refused := 0
	n := 300
	switch {
	case testing.Short():
		n = 40
	case qemu():
		n = 120 // real arm64 code under qemu: still every kind of exit
	}
	for it := 0; it < n; it++ {
		cfg := genCfg{steps: 10 + rng.Intn(80), loop: rng.Intn(2) == 0, data: 4 + rng.Intn(30),
			guards: 1 + rng.Intn(10), calls: rng.Intn(3) > 0}
		g, err := genLoopTrace(rng, cfg)
		if err != nil {
			t.Fatalf("trace %d: %v", it, err)
		}
		if err := alloc.Alloc(g.tr, &res); err != nil {
			t.Fatalf("trace %d: alloc: %v", it, err)
		}
		code, err := l.Compile(g.tr, &res)
		if errors.Is(err, be.refused) {
			refused++ // a limit of the lowering, reported below
			continue
		}
		if err != nil {
			t.Fatalf("trace %d: compile: %v\n%s", it, err, res.Format(g.tr))
		}
		m, err := enc.BuildSnaps(g.tr, tgt, code.Locs)
		if err != nil {
			t.Fatalf("trace %d: BuildSnaps: %v\n%s", it, err, res.Format(g.tr))
		}
		st.traces++
		for j := -1; j < g.nguard; j++ {
			if j < 0 && cfg.loop {
				continue
			}
			at := 1
			if cfg.loop {
				at = 1 + rng.Intn(4)
			}
			in := g.inputs(rng, j, at)
			want := slices.Clone(in)
			ex, err := ip.Run(g.tr, want)
			if err != nil {
				t.Fatalf("trace %d: interp: %v", it, err)
			}
			status := nat.run(code, in)
			if emit.StatusKind(status) != emit.StatusExit || emit.StatusNum(status) != ex.Snap {
				t.Fatalf("trace %d guard %d: status %#x, interpreter exits through snapshot %d\n%s", it, j, status, ex.Snap, res.Format(g.tr))
			}
			got := Slots{Words: slices.Clone(nat.slots)}
			if err := m.RestoreState(&nat.st, &got); err != nil {
				t.Fatalf("trace %d: RestoreState: %v", it, err)
			}
			if d := cmp.Diff(want, got.Words); d != "" {
				x, _ := m.Exit(ex.Snap)
				t.Fatalf("trace %d, snapshot %d: slots differ (-interp +restore):\n%s\n%v\n%s", it, ex.Snap, d, x, res.Format(g.tr))
			}
			if d := cmp.Diff(g.tr.Frames(ex.Snap), got.Stack); d != "" || got.PC != ex.PC {
				t.Fatalf("trace %d: frames or pc differ: %s pc %d want %d", it, d, got.PC, ex.PC)
			}
			st.exits++
			if len(got.Stack) > 1 {
				st.inlined++
			}
			if g.tr.Loop != irkit.NoRef && ex.Guard > g.tr.Loop {
				st.body++
			}
			if ex.Guard == irkit.NoRef {
				st.end++
			}
			if cfg.loop && at > 2 { // the first back edge comes after the first body iteration (i+1 = 2)
				// Again with the interrupt flag set: the trace leaves at its
				// first back edge; restoring that exit and resuming on the
				// interpreter must end exactly like the uninterrupted run.
				status := nat.runInterrupted(code, in)
				if emit.StatusKind(status) != emit.StatusInterrupt {
					t.Fatalf("trace %d: interrupt: status %#x", it, status)
				}
				mid := Slots{Words: slices.Clone(nat.slots)}
				if err := m.RestoreState(&nat.st, &mid); err != nil {
					t.Fatalf("trace %d: interrupt: RestoreState: %v", it, err)
				}
				if mid.PC != g.tr.Snaps[len(g.tr.Snaps)-1].PC || len(mid.Stack) != 1 {
					t.Fatalf("trace %d: interrupt exit resumes at pc %d with %d frames", it, mid.PC, len(mid.Stack))
				}
				ex2, err := ip.Run(g.tr, mid.Words)
				if err != nil || ex2.PC != ex.PC {
					t.Fatalf("trace %d: resumed run: %v, pc %d want %d", it, err, ex2.PC, ex.PC)
				}
				if d := cmp.Diff(want, mid.Words); d != "" {
					t.Fatalf("trace %d: interrupted and resumed (-straight +resumed):\n%s", it, d)
				}
				st.interrupts++
			}
			if i, err := m.ExitOfSnap(ex.Snap); err == nil {
				st.entries(m, i)
			}
		}
		mem.Free(code.Block)
	}
	t.Logf("%d traces compiled (%d refused by the lowering), %d native exits (and %d interrupt exits resumed): %d in inlined frames, %d in loop bodies, %d at trace ends; entries gpr %d fpr %d spill %d const %d",
		st.traces, refused, st.exits, st.interrupts, st.inlined, st.body, st.end, st.kinds[0], st.kinds[1], st.kinds[2], st.kinds[3])
	if 4*refused > st.traces || st.interrupts == 0 || st.inlined == 0 || st.body == 0 || st.end == 0 || st.kinds[0] == 0 || st.kinds[1] == 0 || st.kinds[3] == 0 {
		t.Fatalf("the native exits missed a case: %+v", st)
	}
}

// TestNativeLowertest restores the exits of lowertest's random traces
// (every guard kind, memory, SSTORE, restarting loops, high register
// pressure) compiled for the host and compares with the interpreter.
func TestNativeLowertest(t *testing.T) {
	be := newBackend(t)
	l, mem, tgt := be, be.mem, be.Target()
	for _, cfg := range []lowertest.Config{{}, {Loop: true}, {Pressure: 24, Calm: true, Slots: 24}} {
		gen := lowertest.NewGen(cfg)
		var nat native
		alloc := regalloc.NewAllocator(tgt)
		var res regalloc.Result
		compared, spilled, refused := 0, 0, 0
		for seed := int64(1); seed <= int64(scale(t, 600)); seed++ {
			if err := gen.Build(seed); err != nil {
				if errors.Is(err, irkit.ErrGuardFails) {
					continue
				}
				t.Fatalf("seed %d: %v", seed, err)
			}
			tr := gen.B.T
			if err := alloc.Alloc(tr, &res); err != nil {
				t.Fatalf("seed %d: alloc: %v", seed, err)
			}
			want := lowertest.Expect(tr, gen.Slots, gen.Mem, gen.Arena, gen.Cfg.MaxIter)
			if want.Err != nil || want.Exit < 0 {
				continue
			}
			code, err := l.Compile(tr, &res)
			if errors.Is(err, be.refused) {
				refused++
				continue
			}
			if err != nil {
				t.Fatalf("seed %d: compile: %v", seed, err)
			}
			m, err := BuildSnaps(tr, tgt, code.Locs)
			if err != nil {
				t.Fatalf("seed %d: BuildSnaps: %v\n%s", seed, err, res.Format(tr))
			}
			copy(gen.Arena.Words, gen.Mem)
			status := nat.run(code, gen.Slots)
			if emit.StatusNum(status) != want.Exit {
				t.Fatalf("seed %d: exit %d, want %d", seed, emit.StatusNum(status), want.Exit)
			}
			got := Slots{Words: nat.slots}
			if err := m.RestoreState(&nat.st, &got); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			if d := cmp.Diff(want.Slots, got.Words); d != "" {
				t.Fatalf("seed %d: slots differ (-interp +restore):\n%s\n%s", seed, d, res.Format(tr))
			}
			compared++
			if m.NumSpill() > 0 {
				spilled++
			}
			mem.Free(code.Block)
		}
		nat.pin.Unpin()
		gen.Close()
		t.Logf("loop %v pressure %d: %d exits restored, %d with spill slots, %d traces refused by the lowering",
			cfg.Loop, cfg.Pressure, compared, spilled, refused)
		if compared == 0 {
			t.Fatalf("nothing compared")
		}
	}
}
