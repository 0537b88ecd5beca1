// Command gopherlua runs a Lua file on gopher-lua, a peer for the benchmark
// harness: `gopherlua file.lua [args...]` with `arg` set as the lua command
// sets it. It lives in its own module so that jitkit's go.mod stays lean.
package main

import (
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gopherlua file.lua [args...]")
		os.Exit(2)
	}
	L := lua.NewState()
	defer L.Close()
	argt := L.NewTable()
	L.RawSetInt(argt, 0, lua.LString(os.Args[1]))
	for i, a := range os.Args[2:] {
		L.RawSetInt(argt, i+1, lua.LString(a))
	}
	L.SetGlobal("arg", argt)
	if err := L.DoFile(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gopherlua:", err)
		os.Exit(1)
	}
}
