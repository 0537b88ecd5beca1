package arm64_test

import (
	"fmt"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
)

// Logical immediates are a rotated run of ones replicated across the
// register; anything else must be loaded into a register first.
func ExampleLogicalImm() {
	for _, v := range []uint64{0xff, 0x00ff00ff00ff00ff, 0xfffffffffffffff0, 0x1234, 0} {
		f, ok := arm64.LogicalImm(v, false)
		fmt.Printf("0x%016x encodable=%v field=%#x\n", v, ok, f)
	}
	// Output:
	// 0x00000000000000ff encodable=true field=0x1007
	// 0x00ff00ff00ff00ff encodable=true field=0x27
	// 0xfffffffffffffff0 encodable=true field=0x1f3b
	// 0x0000000000001234 encodable=false field=0x0
	// 0x0000000000000000 encodable=false field=0x0
}

// MovImmLen is the cost of a constant, for rematerialization decisions.
func ExampleMovImmLen() {
	for _, v := range []uint64{42, 0xffffffffffff1234, 0x5555555555555555, 0x12345678, 0x1234567890abcdef} {
		fmt.Printf("%#x: %d\n", v, arm64.MovImmLen(v, false))
	}
	// Output:
	// 0x2a: 1
	// 0xffffffffffff1234: 1
	// 0x5555555555555555: 1
	// 0x12345678: 2
	// 0x1234567890abcdef: 4
}

// Immediates that do not encode are refused, with nothing emitted, so the
// caller can fall back to a register.
func ExampleAsm_Err() {
	a := arm64.New(emit.NewBuf(64))
	if !arm64.AddImmOK(0x1001) {
		a.MovImm(arm64.X16, 0x1001)
		a.Add(arm64.X0, arm64.X1, arm64.X16) // emitted before the mov: backwards
	}
	a.AndImm(arm64.X0, arm64.X0, 0x1234)
	fmt.Println(a.Buf.Len()/4, "instructions;", a.Err())
	// Output: 2 instructions; arm64: and: 0x1234 is not a logical immediate
}
