package arm64

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// A link stub in program order: the two checks, the moves, the token, the
// jump to the target and the slow path.
func ExampleAssembleLink() {
	a := New(emit.NewBuf(256))
	err := AssembleLink(a, &emit.Link{
		Token: 42, Target: 0x4000_1000, Slow: 0x4000_2000,
		Moves: []emit.LinkMove{
			{Slot: 0, From: emit.FromReg, Val: 3},
			{Slot: 1, From: emit.FromSpill, Val: 2},
			{Slot: 2, From: emit.FromReg, Val: 9, IntToNum: true},
			{Slot: 5000, From: emit.FromConst, Val: 1<<32 - 3, IntToNum: true},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(Disasm(a.Buf.Bytes()))
	// Output:
	// 0000  f94003f0  ldr x16, [sp]
	// 0004  f9400210  ldr x16, [x16]
	// 0008  b1148a1f  cmn x16, #0x522
	// 000c  54000280  b.eq .+0x50
	// 0010  b9401010  ldr w16, [x0,#16]
	// 0014  35000250  cbnz w16, .+0x48
	// 0018  f9400011  ldr x17, [x0]
	// 001c  f9400401  ldr x1, [x0,#8]
	// 0020  f9401810  ldr x16, [x0,#48]
	// 0024  f9000230  str x16, [x17]
	// 0028  f9400830  ldr x16, [x1,#16]
	// 002c  f9000630  str x16, [x17,#8]
	// 0030  b9406010  ldr w16, [x0,#96]
	// 0034  1e62021f  scvtf d31, w16
	// 0038  fd000a3f  str d31, [x17,#16]
	// 003c  d2f80110  mov x16, #0xc008000000000000
	// 0040  91402622  add x2, x17, #0x9, lsl #12
	// 0044  f9062050  str x16, [x2,#3136]
	// 0048  52800550  mov w16, #0x2a
	// 004c  b9026010  str w16, [x0,#608]
	// 0050  d2820010  mov x16, #0x1000
	// 0054  f2a80010  movk x16, #0x4000, lsl #16
	// 0058  d61f0200  br x16
	// 005c  d2840010  mov x16, #0x2000
	// 0060  f2a80010  movk x16, #0x4000, lsl #16
	// 0064  d61f0200  br x16
}

func TestAssembleLinkErrors(t *testing.T) {
	ok := emit.Link{Target: 0x1000, Slow: 0x2000}
	for _, c := range []struct {
		name string
		m    emit.LinkMove
	}{
		{"negative slot", emit.LinkMove{Slot: -1, From: emit.FromReg}},
		{"slot too far", emit.LinkMove{Slot: linkMaxSlot + 1, From: emit.FromReg}},
		{"register 64", emit.LinkMove{From: emit.FromReg, Val: 64}},
		{"spill too far", emit.LinkMove{From: emit.FromSpill, Val: linkMaxSpill + 1}},
		{"bad source", emit.LinkMove{From: 9}},
	} {
		l := ok
		l.Moves = []emit.LinkMove{c.m}
		if err := AssembleLink(New(emit.NewBuf(64)), &l); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
	for _, l := range []emit.Link{{Target: 0x1000}, {Slow: 0x1000}} {
		if err := AssembleLink(New(emit.NewBuf(64)), &l); err == nil {
			t.Errorf("%+v accepted", l)
		}
	}
	// The limits themselves assemble, in both access sizes.
	l := ok
	for _, conv := range []bool{false, true} {
		for _, s := range []int64{0, 2047, 2048, 4095, 4096, 4097, 1 << 19, linkMaxSpill} {
			l.Moves = append(l.Moves,
				emit.LinkMove{Slot: int32(s), From: emit.FromSpill, Val: uint64(s), IntToNum: conv},
				emit.LinkMove{Slot: linkMaxSlot, From: emit.FromSpill, Val: uint64(s), IntToNum: conv})
		}
		l.Moves = append(l.Moves, emit.LinkMove{Slot: linkMaxSlot, From: emit.FromReg, Val: 63, IntToNum: conv})
	}
	if err := AssembleLink(New(emit.NewBuf(1024)), &l); err != nil {
		t.Fatal(err)
	}
}

// TestAssembleLinkSize counts the instructions of a stub of n register
// moves: 6 for the checks (none with NoCheck), 1 for the slots' base, 2 a
// move, 2 for the token, and a constant load plus br for the target and
// the slow path.
func TestAssembleLinkSize(t *testing.T) {
	const target, slow = 0x7f12_3456_7000, 0x7f12_3456_8000
	jumps := MovImmLen(target, false) + 1 + MovImmLen(slow, false) + 1
	for _, noCheck := range []bool{false, true} {
		for n := 0; n <= 8; n++ {
			l := &emit.Link{Token: 7, Target: target, Slow: slow, NoCheck: noCheck}
			for i := 0; i < n; i++ {
				l.Moves = append(l.Moves, emit.LinkMove{Slot: int32(i), From: emit.FromReg, Val: uint64(i)})
			}
			a := New(emit.NewBuf(256))
			if err := AssembleLink(a, l); err != nil {
				t.Fatal(err)
			}
			want := 6 + 2*n + 2 + jumps
			if noCheck {
				want -= 6
			}
			if n > 0 {
				want++
			}
			if got := a.Buf.Len() / 4; got != want {
				t.Errorf("%d moves, NoCheck %v: %d instructions, want %d", n, noCheck, got, want)
			}
			if n == 0 || n == 8 {
				t.Logf("%d register moves, NoCheck %v: %d instructions", n, noCheck, a.Buf.Len()/4)
			}
		}
	}
}

// tail assembles the shape of an exit's linkable tail (see emitExits) for
// exit n, with the jump slot's address lit; it returns the Pos of the site
// (the br) and of the handler.
func tail(a *Asm, n, lit uint64) (site, handler emit.Pos) {
	common, l := a.NewLabel(), a.NewLabel()
	a.Ret()
	a.Mov(X0, X16)
	a.Str(Size32, W16, Off(StateReg, emit.StateExit))
	a.Bind(common)
	a.Data8(lit)
	a.Bind(l)
	a.B(common)
	a.MovImm(X16, n)
	handler = a.Here()
	a.Br(X16)
	site = a.Here()
	a.Ldr(Size64, false, X16, Off(X16, 0))
	a.LdrLit(X16, l)
	return site, handler
}

func TestBTarget(t *testing.T) {
	const base = 0x10_0000
	for _, n := range []uint64{0, 3, 70000} {
		a := New(emit.NewBuf(64))
		site, handler := tail(a, n, 0x1234_5678)
		code := a.Buf.Bytes()
		at, want := PosAddr(site, len(code), base), PosAddr(handler, len(code), base)
		if got, err := BTarget(code, base, at); err != nil || got != want {
			t.Errorf("exit %d: BTarget = %#x, %v; want the handler %#x", n, got, err, want)
		}
		// The br alone, or at the wrong place, is not a site.
		for _, bad := range []uintptr{at - 4, at + 4, at + 2, base - 4, base + uintptr(len(code))} {
			if got, err := BTarget(code, base, bad); err == nil {
				t.Errorf("exit %d: BTarget(%#x) = %#x, want an error", n, bad, got)
			}
		}
	}
	// A site rewritten into a b, forwards and backwards.
	for _, target := range []uintptr{base + 0x4000, base - 0x10_0000 + 8} {
		w, err := PatchB(base+8, target)
		if err != nil {
			t.Fatal(err)
		}
		code := append(make([]byte, 8), w[:]...)
		if got, err := BTarget(code, base, base+8); err != nil || got != target {
			t.Errorf("b to %#x: BTarget = %#x, %v", target, got, err)
		}
	}
	// JumpFar ends in br x16 too, without the tail's loads (program
	// order: mov x16, #2; mov x16, #0x4000; br x16; mov x16, #1).
	a := New(emit.NewBuf(64))
	a.MovImm(X16, 1)
	a.JumpFar(0x4000)
	a.MovImm(X16, 2)
	if _, err := BTarget(a.Buf.Bytes(), base, base+8); err == nil ||
		!strings.Contains(err.Error(), "br x16") {
		t.Errorf("JumpFar's br x16 taken for a site: %v", err)
	}
}

// TestBTargetLowered checks BTarget against the lowering itself: at every
// exit site of a compiled trace it finds the exit's handler, which is what
// the jump slot holds until the exit is linked.
func TestBTargetLowered(t *testing.T) {
	code, mem := compileExample(t)
	defer code.Free()
	b, err := mem.Read(code.Block.Addr, code.Block.Size)
	if err != nil {
		t.Fatal(err)
	}
	if len(code.Sites) == 0 {
		t.Fatal("no sites")
	}
	for _, s := range code.Sites {
		got, err := BTarget(b, code.Block.Addr, s.Addr)
		if err != nil || got != code.handler[s.Exit] {
			t.Errorf("exit %d: BTarget = %#x, %v; handler %#x", s.Exit, got, err, code.handler[s.Exit])
		}
		// The handler loads the exit number into x16.
		h := binary.LittleEndian.Uint32(b[got-code.Block.Addr:])
		if d := DisasmWord(h); d != fmt.Sprintf("mov x16, #0x%x", s.Exit) {
			t.Errorf("exit %d: handler starts with %s", s.Exit, d)
		}
	}
}
