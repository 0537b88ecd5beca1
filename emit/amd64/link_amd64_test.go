package amd64

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/lowertest"
)

// TestLinkStub runs a link stub for real: entered with an exit number in
// EAX, it writes every kind of move into the slots and continues in the
// target, which sees the token; with State.Interrupt set it leaves the
// slots alone and goes to the slow path with EAX intact.
func TestLinkStub(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	install := func(f func(a *Asm)) emit.Block { return installCode(t, mem, f) }
	target, slow := linkEnds(t, mem)
	link := &emit.Link{
		Token: 42, Target: target.Addr, Slow: slow.Addr, SlotsDelta: 3,
		Moves: []emit.LinkMove{
			{Slot: 0, From: emit.FromReg, Val: 3},
			{Slot: 1, From: emit.FromReg, Val: 32 + 5},
			{Slot: 2, From: emit.FromSpill, Val: 1},
			{Slot: 4, From: emit.FromConst, Val: 0x7ff8_0000_0000_0001},
			{Slot: 5, From: emit.FromConst, Val: uint64(0xffff_ffff_ffff_fffd), IntToNum: true},
			{Slot: 6, From: emit.FromReg, Val: 9, IntToNum: true},
		},
	}
	stub := installLink(t, mem, link)
	// pre: the end of an exit stub, mov $7,%eax; jmp stub
	pre := install(func(a *Asm) {
		a.JmpR(R11)
		a.MovRI(R11, int64(stub.Addr))
		a.MovRI(RAX, 7)
	})

	var slots [8]uint64
	spill := [4]uint64{0, 0xabcdef, 0, 0}
	for i := range slots {
		slots[i] = 0x5555
	}
	st := &emit.State{}
	st.Slots = uintptr(unsafe.Pointer(&slots[0]))
	st.Spill = uintptr(unsafe.Pointer(&spill[0]))
	st.Regs[3] = 0x1234_5678_9abc
	st.Regs[32+5] = math.Float64bits(2.5)
	st.Regs[9] = 0xdead_0000_0000_0011 // the int32 17 in the low half
	st.Trace = 1

	slots0 := st.Slots
	st.Interrupt = 1
	if got := emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st))); got != 5007 {
		t.Fatalf("interrupted: status %d, want 5007 (slow path, exit 7)", got)
	}
	if slots[0] != 0x5555 || st.Trace != 1 || st.Slots != slots0 {
		t.Fatalf("interrupted link wrote the slots, the token or Slots: %#x, %d, %#x", slots[0], st.Trace, st.Slots)
	}
	st.Interrupt = 0
	// A preemption request from Go (a GC, the time slice) sends the stub
	// down its slow path, as an unlinked exit: right too; try again.
	got := emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
	for try := 0; got == 5007 && slots[0] == 0x5555 && try < 50; try++ {
		got = emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
	}
	runtime.KeepAlive(&slots)
	runtime.KeepAlive(&spill)
	if got != 1042 {
		t.Fatalf("status %d, want 1042 (target, token 42)", got)
	}
	if st.Slots != slots0+24 {
		t.Fatalf("State.Slots moved by %d bytes, want 24", int64(st.Slots-slots0))
	}
	want := [8]uint64{0x1234_5678_9abc, math.Float64bits(2.5), 0xabcdef, 0x5555,
		0x7ff8_0000_0000_0001, math.Float64bits(-3), math.Float64bits(17), 0x5555}
	if slots != want {
		t.Fatalf("slots\n got %#x\nwant %#x", slots, want)
	}
}

func TestJmpTarget(t *testing.T) {
	b, err := PatchJmp(0x1000, 0x1234)
	if err != nil {
		t.Fatal(err)
	}
	code := append([]byte{0x90}, b[:]...)
	if got, err := JmpTarget(code, 0xfff, 0x1000); err != nil || got != 0x1234 {
		t.Fatalf("JmpTarget = %#x, %v", got, err)
	}
	if _, err := JmpTarget(code, 0xfff, 0xfff); err == nil {
		t.Fatal("JmpTarget accepted a nop")
	}
}

// TestLinkStubKey: a keyed link is taken only while State.Key holds its
// Key, leaving the slots, the token and the key alone otherwise; a DropKey
// link zeroes State.Key on its way to the target.
func TestLinkStubKey(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	install := func(f func(a *Asm)) uintptr { return installCode(t, mem, f).Addr }
	target := install(func(a *Asm) { // return 1000 + State.Trace
		a.Ret()
		a.AddRI(RAX, 1000)
		a.Load(S32, false, RAX, M(RDI, emit.StateTrace))
	})
	slow := install(func(a *Asm) { // return 5000
		a.Ret()
		a.MovRI(RAX, 5000)
	})
	err := lowertest.CheckKeyedLink(func(l *emit.Link) (uintptr, error) {
		a := New(emit.NewBuf(256))
		if err := AssembleLink(a, l); err != nil {
			return 0, err
		}
		blk, err := a.Install(mem)
		return blk.Addr, err
	}, target, slow)
	if err != nil {
		t.Fatal(err)
	}
}

// linkEnds installs the two places a test link stub goes: target returns
// 1000 + State.Trace, slow returns 5000 + the exit number in EAX.
func linkEnds(t *testing.T, mem *emit.Mem) (target, slow emit.Block) {
	t.Helper()
	target = installCode(t, mem, func(a *Asm) {
		a.Ret()
		a.AddRI(RAX, 1000)
		a.Load(S32, false, RAX, M(RDI, emit.StateTrace))
	})
	slow = installCode(t, mem, func(a *Asm) {
		a.Ret()
		a.AddRI(RAX, 5000)
	})
	return target, slow
}

// installLink assembles link's stub and installs it in mem.
func installLink(t *testing.T, mem *emit.Mem, link *emit.Link) emit.Block {
	t.Helper()
	a := New(emit.NewBuf(512))
	if err := AssembleLink(a, link); err != nil {
		t.Fatal(err)
	}
	stub, err := a.Install(mem)
	if err != nil {
		t.Fatal(err)
	}
	return stub
}

// installCode assembles f's code and installs it in mem.
func installCode(t *testing.T, mem *emit.Mem, f func(a *Asm)) emit.Block {
	t.Helper()
	a := New(emit.NewBuf(256))
	f(a)
	blk, err := a.Install(mem)
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// TestLinkStubDirect runs a direct link stub (emit.Link.Direct) reached
// with the exit's values in registers, RAX, RCX, RDX and X15 among them
// (the registers the stub itself uses): taken, it writes every move's
// value into its slot, the int32s of general registers converted; on the
// slow path (State.Interrupt) it leaves the slots alone, stores the
// Saves registers into State.Regs as the exit code would and hands the
// exit number to the handler in EAX.
func TestLinkStubDirect(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	install := func(f func(a *Asm)) emit.Block { return installCode(t, mem, f) }
	target := install(func(a *Asm) { // return 1000 + State.Trace
		a.Ret()
		a.AddRI(RAX, 1000)
		a.Load(S32, false, RAX, M(RDI, emit.StateTrace))
	})
	slow := install(func(a *Asm) { // return 5000 + the exit number in EAX
		a.Ret()
		a.AddRI(RAX, 5000)
	})
	const (
		xmm  = 32
		rcx  = 0x1111_2222_3333
		rdx  = 0x4444_5555_6666
		r9   = 0x7777_8888_9999
		x15  = 0.25
		x3   = 2.5
		x5i  = 0xabcd_0000_ffff_fff9 // an int32 (-7) in an XMM register
		rax  = 0x5ead_0000_0000_0011 // the int32 17 in the low half
		r14i = 0x3eef_0000_ffff_fffe // -2
	)
	link := &emit.Link{
		Token: 42, Target: target.Addr, Slow: slow.Addr, Direct: true, Exit: 9,
		Saves: []uint8{0, 1, 2, 9, 14, xmm + 3, xmm + 5, xmm + 15},
		Moves: []emit.LinkMove{
			{Slot: 0, From: emit.FromReg, Val: 1},
			{Slot: 1, From: emit.FromReg, Val: 2},
			{Slot: 2, From: emit.FromReg, Val: xmm + 15},
			{Slot: 3, From: emit.FromReg, Val: 0, IntToNum: true},
			{Slot: 4, From: emit.FromSpill, Val: 1},
			{Slot: 5, From: emit.FromConst, Val: 0x7ff8_0000_0000_0001},
			{Slot: 6, From: emit.FromReg, Val: 14, IntToNum: true},
			{Slot: 7, From: emit.FromReg, Val: xmm + 3},
			{Slot: 8, From: emit.FromReg, Val: 0, IntToNum: true},
			{Slot: 9, From: emit.FromReg, Val: xmm + 5, IntToNum: true},
			{Slot: 10, From: emit.FromReg, Val: 9},
			{Slot: 11, From: emit.FromConst, Val: 0},
			{Slot: 12, From: emit.FromConst, Val: 0x7ff8_0000_0000_0001},
			{Slot: 13, From: emit.FromConst, Val: 0},
		},
	}
	stub := installLink(t, mem, link)
	// pre: a trace's exit with the values in registers jumps to the stub.
	pre := install(func(a *Asm) {
		a.JmpR(R11)
		a.MovRI(R11, int64(stub.Addr))
		for _, v := range []struct {
			x Reg
			w uint64
		}{{X15, math.Float64bits(x15)}, {X3, math.Float64bits(x3)}, {X5, x5i}} {
			a.MovGX(S64, v.x, R11)
			a.MovRI(R11, int64(v.w))
		}
		a.MovRI(RAX, rax)
		a.MovRI(RCX, rcx)
		a.MovRI(RDX, rdx)
		a.MovRI(R9, r9)
		a.MovRI(R14, r14i)
	})
	var slots [15]uint64
	spill := [4]uint64{0, 0xabcdef, 0, 0}
	for i := range slots {
		slots[i] = 0x5555
	}
	st := &emit.State{Trace: 1}
	st.Slots = uintptr(unsafe.Pointer(&slots[0]))
	st.Spill = uintptr(unsafe.Pointer(&spill[0]))

	st.Interrupt = 1
	if got := emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st))); got != 5009 {
		t.Fatalf("interrupted: status %d, want 5009 (slow path, exit 9)", got)
	}
	if slots[0] != 0x5555 || st.Trace != 1 {
		t.Fatalf("interrupted link wrote the slots or the token: %#x, %d", slots[0], st.Trace)
	}
	saved := map[int]uint64{0: rax, 1: rcx, 2: rdx, 9: r9, 14: r14i,
		xmm + 3: math.Float64bits(x3), xmm + 5: x5i, xmm + 15: math.Float64bits(x15)}
	for i, w := range saved {
		if st.Regs[i] != w {
			t.Errorf("slow path: Regs[%d] = %#x, want %#x", i, st.Regs[i], w)
		}
	}
	st.Interrupt = 0
	got := emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
	for try := 0; got == 5009 && slots[0] == 0x5555 && try < 50; try++ {
		got = emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
	}
	runtime.KeepAlive(&slots)
	runtime.KeepAlive(&spill)
	if got != 1042 {
		t.Fatalf("status %d, want 1042 (target, token 42)", got)
	}
	want := [15]uint64{rcx, rdx, math.Float64bits(x15), math.Float64bits(17), 0xabcdef,
		0x7ff8_0000_0000_0001, math.Float64bits(-2), math.Float64bits(x3), math.Float64bits(17),
		math.Float64bits(-7), r9, 0, 0x7ff8_0000_0000_0001, 0, 0x5555}
	if slots != want {
		t.Fatalf("slots\n got %#x\nwant %#x", slots, want)
	}
}

// TestLinkStubNoCheck: a link without checks (emit.Link.NoCheck) goes on
// to its target even with State.Interrupt set, and writes its moves; the
// same link with checks takes its slow path. Both with rel32 jumps to the
// target and the slow path (emit.Link.Near, no jump through R11) and
// without.
func TestLinkStubNoCheck(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	install := func(f func(a *Asm)) emit.Block { return installCode(t, mem, f) }
	target, slow := linkEnds(t, mem)
	for i := 0; i < 4; i++ {
		noCheck, near := i&1 != 0, i&2 != 0
		link := &emit.Link{Token: 42, Target: target.Addr, Slow: slow.Addr, SlotsDelta: 1, NoCheck: noCheck, Near: near,
			Moves: []emit.LinkMove{{Slot: 1, From: emit.FromReg, Val: 3}}}
		stub := installLink(t, mem, link)
		_, text := memListing(t, mem, stub.Addr, stub.Size)
		if indirect := strings.Count(text, "jmp *%r11"); near && indirect != 0 || !near && indirect != 2 {
			t.Errorf("Near %v: %d jumps through R11:\n%s", near, indirect, text)
		}
		pre := install(func(a *Asm) {
			a.JmpR(R11)
			a.MovRI(R11, int64(stub.Addr))
			a.MovRI(RAX, 7)
		})
		var slots [4]uint64
		st := &emit.State{Interrupt: 1, Trace: 1}
		st.Slots = uintptr(unsafe.Pointer(&slots[0]))
		st.Regs[3] = 0x77
		got := emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
		runtime.KeepAlive(&slots)
		switch {
		case noCheck && (got != 1042 || slots[1] != 0x77):
			t.Errorf("without checks, interrupted: status %d, slot 1 %#x; want 1042 (the target), 0x77", got, slots[1])
		case !noCheck && (got != 5007 || slots[1] != 0):
			t.Errorf("with checks, interrupted: status %d, slot 1 %#x; want 5007 (the slow path), 0", got, slots[1])
		}
	}
}

// TestLinkStubDirectRegsOnly: a direct link whose moves are all plain
// register moves (an up-recursion's: the callee's closure and argument)
// reads the slots' base once, into R11 for the register stores, and not
// again into RDX for moves it does not have; it writes both slots and
// moves State.Slots by the delta.
func TestLinkStubDirectRegsOnly(t *testing.T) {
	mem := emit.NewMem(0)
	defer mem.Close()
	install := func(f func(a *Asm)) emit.Block { return installCode(t, mem, f) }
	target, slow := linkEnds(t, mem)
	link := &emit.Link{Token: 42, Target: target.Addr, Slow: slow.Addr, Direct: true, Exit: 3, SlotsDelta: 2,
		Saves: []uint8{0, 32},
		Moves: []emit.LinkMove{{Slot: 2, From: emit.FromReg, Val: 0}, {Slot: 3, From: emit.FromReg, Val: 32}}}
	stub := installLink(t, mem, link)
	_, text := memListing(t, mem, stub.Addr, stub.Size)
	if n := strings.Count(text, "mov (%rdi),"); n != 1 {
		t.Errorf("%d loads of State.Slots, want 1:\n%s", n, text)
	}
	pre := install(func(a *Asm) {
		a.JmpR(R11)
		a.MovRI(R11, int64(stub.Addr))
		a.MovGX(S64, X0, R11)
		a.MovRI(R11, int64(math.Float64bits(1.5)))
		a.MovRI(RAX, 0x1234)
	})
	var slots [4]uint64
	st := &emit.State{Trace: 1}
	st.Slots = uintptr(unsafe.Pointer(&slots[0]))
	got := emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
	for try := 0; got != 1042 && slots[2] == 0 && try < 50; try++ {
		got = emit.Enter(pre.Addr, uintptr(unsafe.Pointer(st)))
	}
	runtime.KeepAlive(&slots)
	if got != 1042 || slots[2] != 0x1234 || slots[3] != math.Float64bits(1.5) ||
		st.Slots != uintptr(unsafe.Pointer(&slots[2])) {
		t.Fatalf("status %d, slots %#x, Slots moved by %d words; want 1042, 0x1234 and 1.5 in slots 2 and 3, 2 words",
			got, slots, (st.Slots-uintptr(unsafe.Pointer(&slots[0])))/8)
	}
}
