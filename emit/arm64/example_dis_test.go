package arm64_test

import (
	"fmt"
	"strings"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
)

// A loop that sums n int64 values, written backwards: the ret first, the
// loop head last. The state pointer arrives in x0: n at [x0], the address
// of the values at [x0, #8]. The encoding is the same on every host, so
// this example runs anywhere; exec_arm64_test.go runs such code for real.
func ExampleAsm() {
	a := arm64.New(emit.NewBuf(256))
	loop, done := a.NewLabel(), a.NewLabel()
	a.Ret()
	a.Mov(arm64.X0, arm64.X2)
	a.Bind(done)
	a.B(loop)
	a.Add(arm64.X2, arm64.X2, arm64.X3)
	a.Ldr(arm64.Size64, false, arm64.X3, arm64.PostIndex(arm64.X1, 8))
	a.SubImm(arm64.X4, arm64.X4, 1)
	a.Cbz(arm64.X4, done)
	a.Bind(loop)
	a.MovImm(arm64.X2, 0)
	a.Ldp(arm64.X4, arm64.X1, arm64.Off(arm64.X0, 0))
	if err := a.Finish(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(arm64.Disasm(a.Buf.Bytes()))
	// Output:
	// 0000  a9400404  ldp x4, x1, [x0]
	// 0004  d2800002  mov x2, #0x0
	// 0008  b40000a4  cbz x4, .+0x14
	// 000c  d1000484  sub x4, x4, #0x1
	// 0010  f8408423  ldr x3, [x1],#8
	// 0014  8b030042  add x2, x2, x3
	// 0018  17fffffc  b .+0xfffffffffffffff0
	// 001c  aa0203e0  mov x0, x2
	// 0020  d65f03c0  ret
}

// Constants take the shortest sequence: one movz, movn or orr when one
// suffices.
func ExampleAsm_MovImm() {
	a := arm64.New(emit.NewBuf(64))
	a.MovImm(arm64.X3, 0x1234567890abcdef)
	a.MovImm(arm64.X2, 0x00ff00ff00ff00ff)
	a.MovImm(arm64.W1, 0xfffffffe)
	a.MovImm(arm64.X0, 0xffff_ffff_ffff_0000)
	fmt.Print(arm64.Disasm(a.Buf.Bytes()))
	// Output:
	// 0000  929fffe0  mov x0, #0xffffffffffff0000
	// 0004  12800021  mov w1, #0xfffffffe
	// 0008  b2009fe2  mov x2, #0xff00ff00ff00ff
	// 000c  d299bde3  mov x3, #0xcdef
	// 0010  f2b21563  movk x3, #0x90ab, lsl #16
	// 0014  f2cacf03  movk x3, #0x5678, lsl #32
	// 0018  f2e24683  movk x3, #0x1234, lsl #48
}

// A test-bit branch reaches ±32 KiB. To a bound label farther away the
// encoder emits the inverted test over an unconditional b.
func ExampleAsm_Tbz() {
	a := arm64.New(emit.NewBuf(64))
	exit := a.NewLabel()
	a.Brk(0) // the exit stub
	a.Bind(exit)
	for i := 0; i < 10000; i++ { // 40,000 bytes of trace
		a.Nop()
	}
	a.Tbz(arm64.X3, 2, exit) // near: one word; far: two
	lines := strings.SplitN(arm64.Disasm(a.Buf.Bytes()), "\n", 3)
	fmt.Println(lines[0])
	fmt.Println(lines[1])
	// Output:
	// 0000  37100043  tbnz w3, #2, .+0x8
	// 0004  14002711  b .+0x9c44
}
