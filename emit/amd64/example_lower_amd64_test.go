package amd64_test

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// A loop "repeat i = i + 1 until not (i < n)" over slots 0 (i) and 1 (n)
// is recorded, loop-optimized, allocated, compiled and run from i = 0,
// n = 10. The loop leaves through the guard of its body (exit 4), whose
// snapshot says slot 0 holds 0006: the restorer reads it from the
// location the compiled trace gives for exit 4.
func ExampleLowerer() {
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, irkit.TInt)
	n := b.SLoad(1, irkit.TInt)
	i1 := b.Arith(irkit.ADDOV, irkit.TInt, i, b.KInt(1))
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	b.Guard(irkit.LT, i1, n)
	tr.AddSnap(0, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	tr.Looping = true
	if err := b.LoopOpt(); err != nil {
		fmt.Println(err)
		return
	}
	res, err := regalloc.Alloc(regalloc.AMD64, tr)
	if err != nil {
		fmt.Println(err)
		return
	}

	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := amd64.NewLowerer(mem)
	if err != nil {
		fmt.Println(err)
		return
	}
	code, err := l.Compile(tr, res)
	if err != nil {
		fmt.Println(err)
		return
	}

	slots := []uint64{0, 10}
	spill := make([]uint64, max(code.NSpill, 1))
	st := &emit.State{Slots: uintptr(unsafe.Pointer(&slots[0])), Spill: uintptr(unsafe.Pointer(&spill[0]))}
	status := emit.Enter(code.Entry, uintptr(unsafe.Pointer(st)))
	runtime.KeepAlive(slots)
	runtime.KeepAlive(spill)
	exit := emit.StatusNum(status)
	fmt.Printf("status %#x: exit %d (pc %d)\n", status, exit, tr.Snaps[exit].PC)
	for _, e := range tr.Entries(exit) {
		for _, rl := range code.Locs(exit) {
			if rl.Ref == e.Ref() {
				w, _ := emit.Read(st, spill, regalloc.AMD64, rl.Loc)
				fmt.Printf("slot %d <- %04d in %s = %d\n", e.Slot(), int(e.Ref()-irkit.Bias),
					rl.Loc.Format(regalloc.AMD64), int32(irkit.Norm(irkit.TInt, w)))
			}
		}
	}

	code2, _ := mem.Read(code.Block.Addr, code.Block.Size)
	lines, _ := amd64.Disasm(code2[:code.CodeSize+code.StubSize], 0, amd64.GNU)
	for _, ln := range lines {
		fmt.Println(ln.Text)
	}
	// Output:
	// status 0x4: exit 4 (pc 1)
	// slot 0 <- 0006 in r15 = 10
	// mov (%rdi),%r11
	// mov (%r11),%eax
	// mov 0x8(%r11),%r14d
	// add $0x1,%eax
	// jo 0x6b
	// cmp %r14d,%eax
	// jge 0x5d
	// mov %rax,%r15
	// add $0x1,%r15d
	// jo 0x4f
	// cmp %r14d,%r15d
	// jge 0x3e
	// cmpl $0x0,0x10(%rdi)
	// jne 0x75
	// mov 0x8(%rsp),%r11
	// cmpq $-0x522,(%r11)
	// je 0x75
	// mov %r15,%rax
	// jmpq 0x14
	// mov %r15,0x90(%rdi)
	// mov $0x4,%eax
	// jmpq 0x8e
	// mov %rax,0x18(%rdi)
	// mov $0x3,%eax
	// jmpq 0x8e
	// mov %rax,0x18(%rdi)
	// mov $0x1,%eax
	// jmpq 0x8e
	// mov $0x0,%eax
	// jmpq 0x8e
	// mov %r15,0x90(%rdi)
	// movl $0x5,0x14(%rdi)
	// mov $0x100000005,%rax
	// retq
	// mov %eax,0x14(%rdi)
	// retq
}
