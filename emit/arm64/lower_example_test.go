package arm64_test

import (
	"fmt"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// ExampleLowerer lowers irkit's example loop, "repeat i = i + 1 until
// not (i < n)", loop-optimized and allocated for arm64, and prints the
// machine code: the prologue loads the spill base, the peeled iteration,
// the loop body with its interrupt check at the back edge, then the exit
// stubs, the jump-table tails of the linkable exits and the common exit
// handler. (On arm64, emit.Enter(code.Entry, &state) runs it.)
func ExampleLowerer() {
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
		fmt.Println(err)
		return
	}
	t.DCE()
	var res regalloc.Result
	if err := regalloc.NewAllocator(regalloc.ARM64).Alloc(t, &res); err != nil {
		fmt.Println(err)
		return
	}
	mem := emit.NewMem(0)
	defer mem.Close()
	l, err := arm64.NewLowerer(mem)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	if err := l.Assemble(t, &res); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(arm64.Disasm(l.Code()))
	// Output:
	// 0000  f9400411  ldr x17, [x0,#8]
	// 0004  f9400010  ldr x16, [x0]
	// 0008  b9400201  ldr w1, [x16]
	// 000c  f9400010  ldr x16, [x0]
	// 0010  b9400a1a  ldr w26, [x16,#8]
	// 0014  31000421  adds w1, w1, #0x1
	// 0018  540001e6  b.vs .+0x3c
	// 001c  6b1a003f  cmp w1, w26
	// 0020  540001ca  b.ge .+0x38
	// 0024  3100043b  adds w27, w1, #0x1
	// 0028  540001c6  b.vs .+0x38
	// 002c  6b1a037f  cmp w27, w26
	// 0030  540001ca  b.ge .+0x38
	// 0034  b9401010  ldr w16, [x0,#16]
	// 0038  350001d0  cbnz w16, .+0x38
	// 003c  f94003f0  ldr x16, [sp]
	// 0040  f9400210  ldr x16, [x16]
	// 0044  b1148a1f  cmn x16, #0x522
	// 0048  54000140  b.eq .+0x28
	// 004c  aa1b03e1  mov x1, x27
	// 0050  17fffff5  b .+0xffffffffffffffd4
	// 0054  1400000b  b .+0x2c
	// 0058  f9001001  str x1, [x0,#32]
	// 005c  14000010  b .+0x40
	// 0060  f9001001  str x1, [x0,#32]
	// 0064  14000015  b .+0x54
	// 0068  f900781b  str x27, [x0,#240]
	// 006c  1400001a  b .+0x68
	// 0070  f900781b  str x27, [x0,#240]
	// 0074  d28000b0  mov x16, #0x5
	// 0078  f2c00030  movk x16, #0x1, lsl #32
	// 007c  1400001d  b .+0x74
	// 0080  580000b0  ldr x16, .+0x14
	// 0084  f9400210  ldr x16, [x16]
	// 0088  d61f0200  br x16
	// 008c  d2800010  mov x16, #0x0
	// 0090  14000018  b .+0x60
	// 0094  00000000  .word 0x00000000
	// 0098  00000000  .word 0x00000000
	// 009c  580000b0  ldr x16, .+0x14
	// 00a0  f9400210  ldr x16, [x16]
	// 00a4  d61f0200  br x16
	// 00a8  d2800030  mov x16, #0x1
	// 00ac  14000011  b .+0x44
	// 00b0  00000000  .word 0x00000000
	// 00b4  00000000  .word 0x00000000
	// 00b8  580000b0  ldr x16, .+0x14
	// 00bc  f9400210  ldr x16, [x16]
	// 00c0  d61f0200  br x16
	// 00c4  d2800070  mov x16, #0x3
	// 00c8  1400000a  b .+0x28
	// 00cc  00000000  .word 0x00000000
	// 00d0  00000000  .word 0x00000000
	// 00d4  580000b0  ldr x16, .+0x14
	// 00d8  f9400210  ldr x16, [x16]
	// 00dc  d61f0200  br x16
	// 00e0  d2800090  mov x16, #0x4
	// 00e4  14000003  b .+0xc
	// 00e8  00000000  .word 0x00000000
	// 00ec  00000000  .word 0x00000000
	// 00f0  b9001410  str w16, [x0,#20]
	// 00f4  aa1003e0  mov x0, x16
	// 00f8  d65f03c0  ret
}
