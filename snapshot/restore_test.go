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
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

var targets = []*regalloc.Target{regalloc.AMD64, regalloc.ARM64}

// exitStats counts what the random exits covered, so a generator that
// degenerates makes the test fail instead of passing vacuously.
type exitStats struct {
	traces, loops, exits, inlined, body, end, interrupts int
	kinds                                                [4]int // gpr, fpr, spill, const entries restored
}

func (s *exitStats) entries(m *Map, i int) {
	x, _ := m.Exit(i)
	for _, e := range x.Entries {
		switch {
		case e.Kind == InReg && e.Val < 32:
			s.kinds[0]++
		case e.Kind == InReg:
			s.kinds[1]++
		case e.Kind == InSpill:
			s.kinds[2]++
		default:
			s.kinds[3]++
		}
	}
}

// TestRandomExits is the "done when" test on a simulated exit state:
// random recorded traces (loops, inlined calls, constants of every type,
// register pressure) are allocated for each target, run by irkit's
// interpreter with inputs that fail each guard in turn (in the peeled
// iteration and in the loop body), and after each exit the state Restore
// rebuilds from the allocation's locations must equal the interpreter's:
// every slot, the frames, the PC and the top.
func TestRandomExits(t *testing.T) {
	for _, tgt := range targets {
		t.Run(tgt.Name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(7))
			var st exitStats
			var regs [64]uint64
			var ip irkit.Interp
			ip.MaxIter = 64
			var enc Encoder
			n := scale(t, 400)
			for it := 0; it < n; it++ {
				cfg := genCfg{steps: 10 + rng.Intn(80), loop: rng.Intn(2) == 0, data: 4 + rng.Intn(30),
					guards: 1 + rng.Intn(10), calls: rng.Intn(3) > 0}
				g, err := genLoopTrace(rng, cfg)
				if err != nil {
					t.Fatalf("trace %d: %v", it, err)
				}
				res, err := regalloc.Alloc(tgt, g.tr)
				if err != nil {
					t.Fatalf("trace %d: alloc: %v\n%s", it, err, g.tr)
				}
				m, err := enc.Build(g.tr, res)
				if err != nil {
					t.Fatalf("trace %d: build: %v\n%s", it, err, res.Format(g.tr))
				}
				if m2, err := Decode(m.Bytes()); err != nil || !slices.Equal(m2.Bytes(), m.Bytes()) {
					t.Fatalf("trace %d: map does not round-trip: %v", it, err)
				}
				st.traces++
				if cfg.loop {
					st.loops++
				}
				spill := make([]uint64, m.NumSpill())
				canon := canonLocs(res)
				ms, err := BuildSnaps(g.tr, tgt, canon)
				if err != nil {
					t.Fatalf("trace %d: BuildSnaps: %v", it, err)
				}
				sspill := make([]uint64, ms.NumSpill()+1)
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
						t.Fatalf("trace %d guard %d: interp: %v\n%s", it, j, err, g.tr)
					}
					if ex.Snap < 0 {
						continue // ran off the end of a trace without a snapshot
					}
					gref, err := simExit(rng, g.tr, res, ex, want, &regs, spill)
					if err != nil {
						t.Fatalf("trace %d guard %d: %v\n%s", it, j, err, res.Format(g.tr))
					}
					xi, ok := m.ExitOfGuard(gref)
					if !ok {
						t.Fatalf("trace %d: no exit for guard %04d", it, int(gref-irkit.Bias))
					}
					got := Slots{Words: slices.Clone(in)}
					if err := m.Restore(xi, &regs, spill, &got); err != nil {
						t.Fatalf("trace %d: restore: %v", it, err)
					}
					if d := cmp.Diff(want, got.Words); d != "" {
						x, _ := m.Exit(xi)
						t.Fatalf("trace %d, exit %d (snap %d, guard %04d): slots differ (-interp +restore):\n%s\nexit %+v\n%s",
							it, xi, ex.Snap, int(gref-irkit.Bias), d, x, res.Format(g.tr))
					}
					if d := cmp.Diff(g.tr.Frames(ex.Snap), got.Stack); d != "" {
						t.Fatalf("trace %d, exit %d: frames differ:\n%s", it, xi, d)
					}
					if got.PC != ex.PC || got.Top != int(g.tr.Snaps[ex.Snap].NSlots) {
						t.Fatalf("trace %d, exit %d: pc %d top %d, want pc %d top %d", it, xi, got.PC, got.Top, ex.PC, g.tr.Snaps[ex.Snap].NSlots)
					}
					// The same exit through a per-snapshot map and the state
					// block, as a lowering with canonical exit locations reports it.
					var es emit.State
					es.Exit = uint32(ex.Snap)
					es.Spill = uintptr(unsafe.Pointer(unsafe.SliceData(sspill)))
					if err := simLocs(rng, g.tr, tgt, canon(ex.Snap), ex, want, &es.Regs, sspill[:ms.NumSpill()]); err != nil {
						t.Fatalf("trace %d guard %d: canonical: %v", it, j, err)
					}
					got2 := Slots{Words: slices.Clone(in)}
					if err := ms.RestoreState(&es, &got2); err != nil {
						t.Fatalf("trace %d: RestoreState: %v", it, err)
					}
					runtime.KeepAlive(sspill)
					if d := cmp.Diff(want, got2.Words); d != "" {
						t.Fatalf("trace %d, snapshot %d: RestoreState slots differ (-interp +restore):\n%s", it, ex.Snap, d)
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
					st.entries(m, xi)
				}
			}
			t.Logf("%d traces (%d loops), %d exits: %d in inlined frames, %d in loop bodies, %d at trace ends; entries gpr %d fpr %d spill %d const %d",
				st.traces, st.loops, st.exits, st.inlined, st.body, st.end, st.kinds[0], st.kinds[1], st.kinds[2], st.kinds[3])
			if st.inlined == 0 || st.body == 0 || st.end == 0 || st.kinds[0] == 0 || st.kinds[1] == 0 || st.kinds[2] == 0 || st.kinds[3] == 0 {
				t.Fatalf("the random exits missed a case: %+v", st)
			}
		})
	}
}

// callLog is a Frames that writes down every call, for tests that read
// like the restored frames.
type callLog struct{ lines []string }

func (c *callLog) SetFrame(depth, base int, pc uint64) {
	c.lines = append(c.lines, sprintf("frame %d base %d pc %d", depth, base, pc))
}

func (c *callLog) SetSlot(slot int, ty irkit.Type, flags uint8, bits uint64) {
	f := ""
	if flags&irkit.SnapFrame != 0 {
		f += " frame-link"
	}
	if flags&irkit.SnapConst != 0 {
		f += " const"
	}
	c.lines = append(c.lines, sprintf("slot %d %s %#x%s", slot, ty, bits, f))
}

func (c *callLog) SetPC(pc uint64, nslots int) {
	c.lines = append(c.lines, sprintf("resume pc %d top %d", pc, nslots))
}

// TestInlinedFrames: a guard inside an inlined call restores two frames,
// the frame link slot, the caller's and the callee's slots.
func TestInlinedFrames(t *testing.T) {
	for _, tgt := range targets {
		t.Run(tgt.Name, func(t *testing.T) {
			b := irkit.NewBuilder(nil)
			rec := irkit.NewRecorder(b)
			rec.Start(10)
			x := rec.Slot(0, irkit.TInt)
			y := rec.Emit(irkit.ADD, irkit.TInt, x, b.KInt(5))
			rec.SetSlot(1, y)
			rec.SetPC(11)
			rec.SetSlotFlags(2, b.KVal(0xfffb0000000000aa), irkit.SnapFrame) // the frame link: callee #aa
			if err := rec.Call(3, 12); err != nil {
				t.Fatal(err)
			}
			rec.SetPC(100)
			rec.SetSlot(0, y) // the callee's argument
			z := rec.Emit(irkit.MUL, irkit.TInt, y, y)
			rec.SetSlot(1, z)
			rec.SetPC(101)
			if err := rec.Guard(irkit.LT, z, b.KInt(1000)); err != nil {
				t.Fatal(err)
			}
			if err := rec.Stop(102); err != nil {
				t.Fatal(err)
			}
			tr := rec.T
			res, err := regalloc.Alloc(tgt, tr)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Build(tr, res)
			if err != nil {
				t.Fatal(err)
			}
			in := []uint64{40, 0, 0, 0, 0}
			want := slices.Clone(in)
			var ip irkit.Interp
			ex, err := ip.Run(tr, want)
			if err != nil || ex.Guard == irkit.NoRef {
				t.Fatalf("the guard did not fail: %+v %v", ex, err)
			}
			var regs [64]uint64
			spill := make([]uint64, m.NumSpill())
			g, err := simExit(rand.New(rand.NewSource(1)), tr, res, ex, want, &regs, spill)
			if err != nil {
				t.Fatal(err)
			}
			xi, _ := m.ExitOfGuard(g)
			var log callLog
			if err := m.Restore(xi, &regs, spill, &log); err != nil {
				t.Fatal(err)
			}
			wantLog := []string{
				"frame 0 base 0 pc 12",
				"frame 1 base 3 pc 101",
				"slot 1 int 0x2d",
				"slot 2 val 0xfffb0000000000aa frame-link const",
				"slot 3 int 0x2d",
				"slot 4 int 0x7e9",
				"resume pc 101 top 5",
			}
			if d := cmp.Diff(wantLog, log.lines); d != "" {
				t.Fatalf("restore (-want +got):\n%s", d)
			}
			got := Slots{Words: slices.Clone(in)}
			if err := m.Restore(xi, &regs, spill, &got); err != nil || !slices.Equal(got.Words, want) {
				t.Fatalf("slots %v, interpreter %v (%v)", got.Words, want, err)
			}
		})
	}
}

// TestConstants: constants of every IR type are rebuilt with their type,
// the SnapConst flag, and the language's boxing (ints become doubles).
func TestConstants(t *testing.T) {
	b := irkit.NewBuilder(nil)
	rec := irkit.NewRecorder(b)
	rec.Start(0)
	ks := []irkit.Ref{b.KInt(-7), b.KNum(2.5), b.KBool(true), b.KI64(-1 << 40), b.KVal(0xfffa000000000123), b.KPtr(0x1000)}
	for i, k := range ks {
		rec.SetSlot(i, k)
	}
	x := rec.Slot(6, irkit.TInt)
	if err := rec.Guard(irkit.LT, x, b.KInt(0)); err != nil {
		t.Fatal(err)
	}
	if err := rec.Stop(1); err != nil {
		t.Fatal(err)
	}
	res, err := regalloc.Alloc(regalloc.AMD64, rec.T)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(rec.T, res)
	if err != nil {
		t.Fatal(err)
	}
	var log callLog
	var regs [64]uint64
	if err := m.Restore(0, &regs, nil, &log); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"frame 0 base 0 pc 0",
		"slot 0 int 0xfffffffffffffff9 const",
		"slot 1 num 0x4004000000000000 const",
		"slot 2 bool 0x1 const",
		"slot 3 i64 0xffffff0000000000 const",
		"slot 4 val 0xfffa000000000123 const",
		"slot 5 ptr 0x1000 const",
		"resume pc 0 top 7",
	}
	if d := cmp.Diff(want, log.lines); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	// A language whose numbers are all doubles boxes ints and bools.
	s := Slots{Box: numBox}
	if err := m.Restore(0, &regs, nil, &s); err != nil {
		t.Fatal(err)
	}
	if f := f64(s.Words[0]); f != -7 {
		t.Fatalf("int constant boxed as %v", f)
	}
	if f := f64(s.Words[1]); f != 2.5 {
		t.Fatalf("num constant boxed as %v", f)
	}
}

// TestRegisterClasses: values held in general registers, float registers
// and spill slots at one exit (more live values than registers) are read
// from the right places of the exit state on both targets, including the
// TInt in a register whose upper half is garbage.
func TestRegisterClasses(t *testing.T) {
	for _, tgt := range targets {
		t.Run(tgt.Name, func(t *testing.T) {
			b := irkit.NewBuilder(nil)
			rec := irkit.NewRecorder(b)
			rec.Start(0)
			const n = 40 // 40 ints, 40 floats: more than either register file
			for i := 0; i < n; i++ {
				a := rec.Slot(i, irkit.TInt)
				rec.SetSlot(i, rec.Emit(irkit.ADD, irkit.TInt, a, b.KInt(int32(i))))
				f := rec.Slot(n+i, irkit.TNum)
				rec.SetSlot(n+i, rec.Emit(irkit.MUL, irkit.TNum, f, b.KNum(1.5)))
			}
			g := rec.Slot(2*n, irkit.TInt)
			if err := rec.Guard(irkit.LT, g, b.KInt(0)); err != nil {
				t.Fatal(err)
			}
			// Keep everything live past the guard so it is not only in slots.
			sum := rec.Slot(0, irkit.TInt)
			fsum := rec.Slot(n, irkit.TNum)
			for i := 1; i < n; i++ {
				sum = rec.Emit(irkit.ADD, irkit.TInt, sum, rec.Slot(i, irkit.TInt))
				fsum = rec.Emit(irkit.ADD, irkit.TNum, fsum, rec.Slot(n+i, irkit.TNum))
			}
			rec.SetSlot(0, sum)
			rec.SetSlot(n, fsum)
			if err := rec.Stop(1); err != nil {
				t.Fatal(err)
			}
			tr := rec.T
			res, err := regalloc.Alloc(tgt, tr)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Build(tr, res)
			if err != nil {
				t.Fatal(err)
			}
			in := make([]uint64, 2*n+1)
			for i := 0; i < n; i++ {
				in[i] = uint64(int64(-i * 1000))
				in[n+i] = uint64(f64bits(float64(i) + 0.25))
			}
			in[2*n] = 5 // the guard fails
			want := slices.Clone(in)
			var ip irkit.Interp
			ex, err := ip.Run(tr, want)
			if err != nil || ex.Guard == irkit.NoRef {
				t.Fatalf("guard did not fail: %+v %v", ex, err)
			}
			var regs [64]uint64
			spill := make([]uint64, m.NumSpill())
			gr, err := simExit(rand.New(rand.NewSource(3)), tr, res, ex, want, &regs, spill)
			if err != nil {
				t.Fatal(err)
			}
			xi, _ := m.ExitOfGuard(gr)
			var st exitStats
			st.entries(m, xi)
			if st.kinds[0] == 0 || st.kinds[1] == 0 || st.kinds[2] == 0 {
				t.Fatalf("exit does not use every class: gpr %d fpr %d spill %d", st.kinds[0], st.kinds[1], st.kinds[2])
			}
			got := Slots{Words: slices.Clone(in)}
			if err := m.Restore(xi, &regs, spill[:len(spill)-1], &got); !errors.Is(err, ErrSpill) {
				t.Fatalf("short spill area: %v", err)
			}
			if err := m.Restore(xi, &regs, spill, &got); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got.Words); d != "" {
				t.Fatalf("(-interp +restore):\n%s", d)
			}
			t.Logf("exit %d: %d entries in general registers, %d in float registers, %d spilled", xi, st.kinds[0], st.kinds[1], st.kinds[2])
		})
	}
}

// TestErrors: bad exits, short spill areas and unlocated values are
// errors, not panics.
func TestErrors(t *testing.T) {
	b := irkit.NewBuilder(nil)
	rec := irkit.NewRecorder(b)
	rec.Start(0)
	x := rec.Slot(0, irkit.TInt)
	rec.SetSlot(1, rec.Emit(irkit.ADD, irkit.TInt, x, b.KInt(1)))
	if err := rec.Guard(irkit.LT, x, b.KInt(9)); err != nil {
		t.Fatal(err)
	}
	rec.Stop(1)
	res, err := regalloc.Alloc(regalloc.ARM64, rec.T)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(rec.T, res)
	if err != nil {
		t.Fatal(err)
	}
	var regs [64]uint64
	var s Slots
	for _, i := range []int{-1, m.NumExits()} {
		if err := m.Restore(i, &regs, nil, &s); !errors.Is(err, ErrExit) {
			t.Errorf("exit %d: %v", i, err)
		}
	}
	if err := m.Restore(0, nil, nil, &s); !errors.Is(err, ErrNil) {
		t.Errorf("nil registers: %v", err)
	}
	if err := m.Restore(0, &regs, nil, nil); !errors.Is(err, ErrNil) {
		t.Errorf("nil frames: %v", err)
	}
	if err := m.RestoreState(nil, &s); !errors.Is(err, ErrNil) {
		t.Errorf("nil state: %v", err)
	}
	if _, err := m.ExitOfSnap(99); !errors.Is(err, ErrExit) {
		t.Errorf("snapshot 99: %v", err)
	}
	// Locations taken away: Build must refuse.
	res.Locs = res.Locs[:0]
	for i := range res.Exits {
		res.Exits[i].N = 0
	}
	if _, err := Build(rec.T, res); err == nil {
		t.Errorf("Build without locations succeeded")
	}
	if _, err := Build(rec.T, &regalloc.Result{}); err == nil {
		t.Errorf("Build without a target succeeded")
	}
	if _, err := BuildSnaps(rec.T, nil, nil); err == nil {
		t.Errorf("BuildSnaps without a target succeeded")
	}
}
