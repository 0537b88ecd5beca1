package emit_test

import (
	"fmt"

	"github.com/jitkit/jitkit/emit"
)

// Load a few bytes of x86-64 code into executable memory and run them
// through the trampoline.
func ExampleEnter() {
	m := emit.NewMem(0)
	defer m.Close()
	// lea 0x1(%rdi),%rax; ret: returns the state pointer plus one.
	blk, err := m.Load([]byte{0x48, 0x8d, 0x47, 0x01, 0xc3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(emit.Enter(blk.Addr, 41))
	// Output: 42
}
