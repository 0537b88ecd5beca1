package vm_test

import (
	"fmt"
	"os"

	"github.com/jitkit/jitkit/demo-lang/vm"
)

// Register a Go function, call it from demo-lang code and read the results
// and a global back as Go values.
func Example() {
	L := vm.New(vm.Options{Stdout: os.Stdout})
	L.Register("hypot2", func(L *vm.State) (int, error) {
		x, y := L.CheckNumber(1), L.CheckNumber(2)
		L.PushNumber(x*x + y*y)
		return 1, nil
	})
	res, err := L.DoString("example", `
		local s = 0
		for i = 1, 3 do s = s + hypot2(i, i) end
		greeting = "hello " .. s
		print(greeting)
		return s, s / 4, "done"
	`)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	L.Flush()
	for _, v := range res {
		fmt.Println(L.ToGo(v))
	}
	g, _ := L.ToString(L.GetGlobal("greeting"))
	fmt.Println(g)
	// Output:
	// hello 28
	// 28
	// 7
	// done
	// hello 28
}

// Errors come back as *vm.Error with Lua 5.1's message and a traceback.
func ExampleState_DoString_error() {
	L := vm.New(vm.Options{})
	_, err := L.DoString("bad.lua", "local t = nil\nreturn t.x")
	e := err.(*vm.Error)
	fmt.Println(e.Message)
	fmt.Println(e.Traceback)
	// Output:
	// bad.lua:2: attempt to index local 't' (a nil value)
	// stack traceback:
	// 	bad.lua:2: in main chunk
	// 	[C]: ?
}

// Limits stop runaway programs with a clear error.
func ExampleOptions() {
	L := vm.New(vm.Options{InstructionLimit: 1_000_000})
	_, err := L.DoString("loop.lua", "while true do end")
	fmt.Println(err)
	// Output:
	// loop.lua:1: instruction limit exceeded
}
