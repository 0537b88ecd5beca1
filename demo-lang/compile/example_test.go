package compile_test

import (
	"fmt"
	"os"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/compile"
)

// Compile a chunk and list its bytecode.
func ExampleCompileSource() {
	p, err := compile.CompileSource("ex.lua", []byte("local x = ... return x and x * 2 or 0"))
	if err != nil {
		fmt.Println(err)
		return
	}
	bytecode.Dump(os.Stdout, p)
	// Output:
	// -- BYTECODE -- ex.lua:0-1
	// 0000    VARG     0   2   0
	// 0001    ISF          0
	// 0002    JMP      1 => 0006
	// 0003    MULVN    1   0   0      ; 2
	// 0004    IST          1
	// 0005    JMP      1 => 0007
	// 0006 => KSHORT   1   0
	// 0007 => RET1     1   2
}

// Limits are reported as errors with a position, never as panics.
func ExampleCompile_error() {
	src := "local t = {}\nprint(" + repeatArgs(300) + ")"
	_, err := compile.CompileSource("big.lua", []byte(src))
	fmt.Println(err)
	// Output:
	// big.lua:2:1: function or expression too complex
}

func repeatArgs(n int) string {
	s := "t"
	for i := 1; i < n; i++ {
		s += ", t"
	}
	return s
}
