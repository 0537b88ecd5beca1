package arm64

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// The jump slot and the fake stack guard word of TestLinkStub: their
// addresses are built into code, so they must never move, and a local
// whose address only becomes a uintptr may live on the goroutine's stack,
// which moves when it grows or shrinks.
var linkJump uintptr
var linkFake uint64

// linkTarget installs the target of the tests' links: it returns 1000 +
// State.Trace.
func linkTarget(t *testing.T) emit.Block {
	return load(t, func(a *Asm) {
		a.Ret()
		a.AddImm(X0, X1, 1000)
		a.Ldr(Size32, false, W1, Off(StateReg, emit.StateTrace))
	})
}

// TestLinkStub runs a link stub for real, behind the shape of an exit's
// linkable tail (ldr x16, lit; ldr x16, [x16]; br x16, then the handler
// mov x16, #7; str w16, [x0, #Exit]; add x0, x16, #3000; ret): with the
// jump slot pointing at the stub, it writes every kind of move into the
// slots and continues in the target, which sees the token; with
// State.Interrupt set, or the stack guard word holding StackPreempt, it
// leaves the slots and the token alone and returns through the handler
// (status 3007, State.Exit 7), X0 intact.
func TestLinkStub(t *testing.T) {
	target := linkTarget(t)
	jump := &linkJump
	var site, handler emit.Pos
	n := 0 // the code's length (the block may be longer)
	pre := load(t, func(a *Asm) {
		common, lit := a.NewLabel(), a.NewLabel()
		a.Ret()
		a.AddImm(X0, X16, 3000)
		a.Str(Size32, W16, Off(StateReg, emit.StateExit))
		a.Bind(common)
		a.Data8(uint64(uintptr(unsafe.Pointer(jump))))
		a.Bind(lit)
		a.B(common)
		a.MovImm(X16, 7)
		handler = a.Here()
		a.Br(X16)
		site = a.Here()
		a.Ldr(Size64, false, X16, Off(X16, 0))
		a.LdrLit(X16, lit)
		n = a.Buf.Len()
	})
	code, err := execMem.Read(pre.Addr, n)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := BTarget(code, pre.Addr, PosAddr(site, n, pre.Addr))
	if err != nil || slow != PosAddr(handler, n, pre.Addr) {
		t.Fatalf("BTarget = %#x, %v; the handler is at %#x", slow, err, PosAddr(handler, n, pre.Addr))
	}
	*jump = slow

	slots := make([]uint64, linkMaxSlot+1)
	spill := make([]uint64, linkMaxSpill+1)
	for i := range slots {
		slots[i] = 0x5555
	}
	spill[1], spill[3000], spill[4095], spill[linkMaxSpill] = 0xabcdef, 0xffff_ffff_ffff_ff9c, 77, 0x1122_3344_5566_7788
	st := &emit.State{}
	st.Slots = uintptr(unsafe.Pointer(&slots[0]))
	st.Spill = uintptr(unsafe.Pointer(&spill[0]))
	st.Regs[3] = 0x1234_5678_9abc
	st.Regs[32+5] = math.Float64bits(2.5)
	st.Regs[9] = 0xdead_0000_0000_0011 // the int32 17 in the low half
	st.Regs[63] = 0x6363
	st.Regs[40] = 0x8000_0000 // the int32 -2^31
	st.Trace = 1
	link := &emit.Link{
		Token: 42, Target: target.Addr, Slow: slow, SlotsDelta: -5001,
		Moves: []emit.LinkMove{
			{Slot: 0, From: emit.FromReg, Val: 3},
			{Slot: 1, From: emit.FromReg, Val: 32 + 5},
			{Slot: 2, From: emit.FromSpill, Val: 1},
			{Slot: 4, From: emit.FromConst, Val: 0x7ff8_0000_0000_0001},
			{Slot: 5, From: emit.FromConst, Val: uint64(0xffff_ffff_ffff_fffd), IntToNum: true},
			{Slot: 6, From: emit.FromReg, Val: 9, IntToNum: true},
			{Slot: 7, From: emit.FromConst, Val: 0},
			{Slot: 8, From: emit.FromReg, Val: 63},
			{Slot: 9, From: emit.FromSpill, Val: 3000, IntToNum: true},
			{Slot: 4096, From: emit.FromSpill, Val: linkMaxSpill},
			{Slot: 5000, From: emit.FromReg, Val: 40, IntToNum: true},
			{Slot: linkMaxSlot, From: emit.FromSpill, Val: 4095},
		},
	}
	want := map[int]uint64{
		0: 0x1234_5678_9abc, 1: math.Float64bits(2.5), 2: 0xabcdef,
		4: 0x7ff8_0000_0000_0001, 5: math.Float64bits(-3), 6: math.Float64bits(17),
		7: 0, 8: 0x6363, 9: math.Float64bits(-100), 4096: 0x1122_3344_5566_7788,
		5000: math.Float64bits(-1 << 31), linkMaxSlot: 77,
	}
	a := New(emit.NewBuf(512))
	if err := AssembleLink(a, link); err != nil {
		t.Fatal(err)
	}
	stub, err := a.Install(execMem)
	if err != nil {
		t.Fatal(err)
	}
	defer execMem.Free(stub)
	t.Logf("stub of %d moves: %d instructions", len(link.Moves), a.Buf.Len()/4)

	// A fake stack guard word: preFake stores its address where Enter left
	// the real one's (0(SP), Enter's own reserved word) and goes to pre.
	fake := &linkFake
	preFake := load(t, func(a *Asm) {
		a.JumpFar(pre.Addr)
		a.Str(Size64, X17, Off(SP, emit.GuardSlotARM64))
		a.MovImm(X17, uint64(uintptr(unsafe.Pointer(fake))))
	})
	run := func(entry emit.Block) uint64 {
		got := emit.Enter(entry.Addr, uintptr(unsafe.Pointer(st)))
		runtime.KeepAlive(st)
		runtime.KeepAlive(slots)
		runtime.KeepAlive(spill)
		return got
	}
	slots0 := st.Slots
	check := func(what string, linked bool) {
		t.Helper()
		wantSlots := slots0
		if linked {
			wantSlots = slots0 - 8*5001
		}
		if st.Slots != wantSlots {
			t.Fatalf("%s: State.Slots moved by %d bytes", what, int64(st.Slots-slots0))
		}
		st.Slots = slots0
		for i, v := range slots {
			w, ok := want[i]
			if !linked || !ok {
				w = 0x5555
			}
			if v != w {
				t.Fatalf("%s: slot %d = %#x, want %#x", what, i, v, w)
			}
		}
		for i := range slots {
			slots[i] = 0x5555
		}
	}

	if got := run(pre); got != 3007 || st.Exit != 7 {
		t.Fatalf("unlinked: status %d, Exit %d; want 3007, 7", got, st.Exit)
	}
	check("unlinked", false)
	*jump = stub.Addr

	st.Interrupt, st.Exit = 1, 0
	if got := run(pre); got != 3007 || st.Exit != 7 || st.Trace != 1 {
		t.Fatalf("interrupted: status %d, Exit %d, Trace %d; want 3007, 7, 1 (slow path)", got, st.Exit, st.Trace)
	}
	check("interrupted", false)
	st.Interrupt, st.Exit = 0, 0

	*fake = emit.StackPreempt
	if got := run(preFake); got != 3007 || st.Exit != 7 || st.Trace != 1 {
		t.Fatalf("preempted: status %d, Exit %d, Trace %d; want 3007, 7, 1 (slow path)", got, st.Exit, st.Trace)
	}
	check("preempted", false)
	st.Exit = 0

	*fake = emit.StackPreempt + 1 // any other word: no preemption
	if got := run(preFake); got != 1042 || st.Trace != 42 || st.Exit != 0 {
		t.Fatalf("linked (fake guard): status %d, Trace %d, Exit %d; want 1042, 42, 0", got, st.Trace, st.Exit)
	}
	check("linked (fake guard)", true)
	st.Trace = 1
	// A preemption request from Go sends the stub down its slow path, as
	// an unlinked exit: right too (slots untouched); try again.
	got := run(pre)
	for try := 0; got == 3007 && st.Trace == 1 && try < 50; try++ {
		st.Exit = 0
		got = run(pre)
	}
	if got != 1042 || st.Trace != 42 {
		t.Fatalf("linked: status %d, Trace %d; want 1042, 42", got, st.Trace)
	}
	check("linked", true)
}

// TestLinkStubTrace links the exits of a compiled loop ("repeat i = i + 1
// until not (i < n)") to link stubs built from the exits' locations, as
// the VM does: the loop's exit then writes i into slot 0 in machine code
// and reaches the target with the exit's token; interrupted, it returns to
// Go exactly as the unlinked exit did.
func TestLinkStubTrace(t *testing.T) {
	l, _ := newTestLowerer(t)
	tr, code := countLoop(t, l)
	target := linkTarget(t)
	var m lowertest.Machine
	defer m.Close()

	// Unlinked runs: which exit each n leaves through, and the slots.
	ns := []uint64{1, 5}
	exits := make([]int, len(ns))
	for k, n := range ns {
		m.Prepare(&code.Trace, []uint64{0, n})
		st := code.Run(&m.State)
		if emit.StatusKind(st) != emit.StatusExit {
			t.Fatalf("n=%d: status %#x", n, st)
		}
		exits[k] = emit.StatusNum(st)
		if err := m.Restore(tr, &code.Trace, regalloc.ARM64, exits[k]); err != nil {
			t.Fatal(err)
		}
		if m.Slots[0] != n {
			t.Fatalf("n=%d: unlinked, i = %d", n, m.Slots[0])
		}
	}

	buf, err := l.Mem.Read(code.Block.Addr, code.Block.Size)
	if err != nil {
		t.Fatal(err)
	}
	a := New(emit.NewBuf(256))
	for _, s := range code.Sites {
		slow, err := BTarget(buf, code.Block.Addr, s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		link := &emit.Link{Token: 100 + s.Exit, Target: target.Addr, Slow: slow}
		for _, e := range tr.Entries(int(s.Exit)) {
			mv := emit.LinkMove{Slot: int32(e.Slot())}
			ref := e.Ref()
			if ref.IsConst() {
				w, _ := tr.KWord(ref)
				mv.From, mv.Val = emit.FromConst, w
			} else {
				loc := findLoc(code.Locs(int(s.Exit)), ref)
				switch {
				case loc.IsReg():
					mv.From, mv.Val = emit.FromReg, uint64(loc.Reg())
				case loc.IsSlot():
					mv.From, mv.Val = emit.FromSpill, uint64(loc.Slot())
				default:
					t.Fatalf("exit %d: no location for %04d", s.Exit, int(ref-irkit.Bias))
				}
			}
			link.Moves = append(link.Moves, mv)
		}
		a.Reset()
		if err := AssembleLink(a, link); err != nil {
			t.Fatal(err)
		}
		stub, err := a.Install(l.Mem)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Mem.Free(stub)
		if err := code.Link(int(s.Exit), stub.Addr); err != nil {
			t.Fatal(err)
		}
	}

	for k, n := range ns {
		m.Prepare(&code.Trace, []uint64{0, n})
		m.State.Trace = 1
		m.State.Interrupt = 1
		st := code.Run(&m.State)
		if k == 0 {
			// n = 1 leaves at the first guard, before any back edge: the
			// stub sees the interrupt and returns as the unlinked exit.
			if st != emit.StatusExit|uint64(exits[k]) || m.State.Exit != uint32(exits[k]) || m.Slots[0] != 0 || m.State.Trace != 1 {
				t.Fatalf("n=%d interrupted: status %#x, Exit %d, i %d, Trace %d; want exit %d, slots untouched",
					n, st, m.State.Exit, m.Slots[0], m.State.Trace, exits[k])
			}
		}
		// The stub leaves through the exit's own handler whenever Go asks
		// for the goroutine (a GC, or the scheduler's time slice: often
		// under qemu), exactly as the unlinked exit would; that run is
		// right too, and the test tries again for the linked path.
		want := 1000 + 100 + uint64(exits[k])
		for try := 0; ; try++ {
			m.Prepare(&code.Trace, []uint64{0, n})
			m.State.Trace = 1
			st = code.Run(&m.State)
			if st == emit.StatusExit|uint64(exits[k]) && m.State.Trace == 1 && try < 50 {
				continue // preempted at the stub: the slow path
			}
			if st != want || m.Slots[0] != n || m.Slots[1] != n {
				t.Fatalf("n=%d linked: status %d, slots %v; want %d, [%d %d]", n, st, m.Slots, want, n, n)
			}
			break
		}
	}
	runtime.KeepAlive(code)
}

// TestLinkStubKey: a keyed link is taken only while State.Key holds its
// Key, leaving the slots, the token and the key alone otherwise; a DropKey
// link zeroes State.Key on its way to the target.
func TestLinkStubKey(t *testing.T) {
	target := linkTarget(t)
	slow := load(t, func(a *Asm) { // return 5000
		a.Ret()
		a.MovImm(X0, 5000)
	})
	err := lowertest.CheckKeyedLink(func(l *emit.Link) (uintptr, error) {
		a := New(emit.NewBuf(256))
		if err := AssembleLink(a, l); err != nil {
			return 0, err
		}
		blk, err := a.Install(execMem)
		if err == nil {
			t.Cleanup(func() { execMem.Free(blk) })
		}
		return blk.Addr, err
	}, target.Addr, slow.Addr)
	if err != nil {
		t.Fatal(err)
	}
}
