package amd64_test

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

// Assemble a function that sums 1..n (n is the word the state pointer in
// RDI points to), run it through the trampoline and print its code and
// result. Emission is backwards: the last instruction comes first.
func Example() {
	a := amd64.New(nil)
	loop, done := a.NewLabel(), a.NewLabel()
	a.Ret()
	a.Bind(done)
	a.Jcc(amd64.NE, loop) // back edge: rel32, patched by Bind(loop)
	a.UnopR(amd64.DEC, amd64.S64, amd64.RCX)
	a.AddRR(amd64.RAX, amd64.RCX)
	a.Bind(loop)
	a.Jcc(amd64.LE, done) // forward: done is bound, so rel8
	a.TestRR(amd64.S64, amd64.RCX, amd64.RCX)
	a.MovRI(amd64.RAX, 0)
	a.Load(amd64.S64, false, amd64.RCX, amd64.M(amd64.RDI, 0))
	if err := a.Finish(); err != nil {
		fmt.Println(err)
		return
	}
	amd64.Dump(os.Stdout, a.Buf.Bytes(), 0, amd64.GNU)

	mem := emit.NewMem(0)
	defer mem.Close()
	blk, err := a.Install(mem)
	if err != nil {
		fmt.Println(err)
		return
	}
	n := new(int64)
	*n = 100
	sum := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(n)))
	runtime.KeepAlive(n)
	fmt.Println("sum:", sum)
	// Output:
	// 0000  48 8b 0f                       mov (%rdi),%rcx
	// 0003  31 c0                          xor %eax,%eax
	// 0005  48 85 c9                       test %rcx,%rcx
	// 0008  7e 0c                          jle 0x16
	// 000a  48 01 c8                       add %rcx,%rax
	// 000d  48 ff c9                       dec %rcx
	// 0010  0f 85 f4 ff ff ff              jne 0xa
	// 0016  c3                             retq
	// sum: 5050
}
