package bytecode_test

import (
	"fmt"
	"os"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
)

// Encode and decode instructions, and print a small function.
func Example() {
	add := bytecode.ABC(bytecode.ADDVN, 1, 0, 0) // slot1 = slot0 + Nums[0]
	fmt.Println(add.Op(), add.A(), add.B(), add.C())
	jmp := bytecode.AJ(bytecode.JMP, 2, -3) // at pc 5, jumps to 5+1-3 = 3
	fmt.Println(jmp.Op(), jmp.J(), jmp.Target(5))

	p := &bytecode.Proto{
		Code:      []bytecode.Ins{add, bytecode.AD(bytecode.RET1, 1, 2)},
		Nums:      []float64{0.5},
		NumParams: 1,
		FrameSize: 2,
		Source:    "ex.lua",
		FirstLine: 1,
		LastLine:  1,
		Lines:     []int32{1, 1},
	}
	if err := bytecode.Verify(p); err != nil {
		fmt.Println(err)
	}
	bytecode.Dump(os.Stdout, p)
	// Output:
	// ADDVN 1 0 0
	// JMP -3 3
	// -- BYTECODE -- ex.lua:1-1
	// 0000    ADDVN    1   0   0      ; 0.5
	// 0001    RET1     1   2
}

// Find the name of the value that an erroring instruction used, for a
// message like "attempt to call global 'foo' (a nil value)".
func ExampleProto_SlotName() {
	p := &bytecode.Proto{
		Code: []bytecode.Ins{
			bytecode.AD(bytecode.GGET, 0, 0),
			bytecode.ABC(bytecode.CALL, 0, 1, 1),
			bytecode.AD(bytecode.RET0, 0, 1),
		},
		Strs:      []string{"foo"},
		FrameSize: 1,
		Lines:     []int32{1, 1, 1},
	}
	kind, name := p.SlotName(1, 0) // the CALL at pc 1 calls slot 0
	fmt.Printf("attempt to call %s '%s' (a nil value)\n", kind, name)
	// Output:
	// attempt to call global 'foo' (a nil value)
}
