package emit_test

import (
	"fmt"

	"github.com/jitkit/jitkit/emit"
)

// Code is prepended: the last instruction is emitted first, and a Pos
// taken early stays valid as code is added in front of it.
func ExampleBuf() {
	b := emit.NewBuf(0)
	b.Put1(0xc3) // ret, the end of the code
	end := b.Here()
	b.Put(0x48, 0x89, 0xf8) // mov %rdi,%rax, before it
	fmt.Printf("% x (ret at Pos %d, code is %d bytes)\n", b.Bytes(), end, b.Len())
	// Output: 48 89 f8 c3 (ret at Pos 1, code is 4 bytes)
}

// Allocate, write and free executable memory.
func ExampleMem() {
	m := emit.NewMem(1 << 16)
	defer m.Close()
	blk, err := m.Alloc(100)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Write(blk, 0, []byte{0xc3}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(blk.Size, blk.Addr%emit.CodeAlign, m.Stats().Used)
	m.Free(blk)
	fmt.Println(m.Stats().Used)
	// Output:
	// 112 0 112
	// 0
}
