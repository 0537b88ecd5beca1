// Package jit is the front of demo-lang's tracing JIT: its configuration
// (the command-line flags -j, -jv, -jdump, -jstats, -jstress and LuaJIT's
// -O), its statistics, and the machine-code backend that turns recorded
// traces into code through jitkit's regalloc, emit and snapshot packages.
//
// # Place in the pipeline
//
//	vm interpreter --hot loop--> vm recorder (vm/jit_record.go) --irkit IR-->
//	    LoopOpt, DCE --> Backend.Compile (this package: regalloc + emit/<arch>)
//	    --> the VM enters the code at the loop header; an exit restores the
//	    slots (snapshot) and the interpreter resumes at the exit's bytecode
//
// The recorder lives in package vm because it reads the interpreter's
// private state (slots, tables, upvalues) at every bytecode; this package
// holds what depends on the host machine, so vm stays portable. Without a
// machine-code backend (a host other than amd64, or a trace the backend
// refuses) the VM runs traces on irkit's IR interpreter: slower than
// machine code, but the same results, so programs stay correct everywhere
// and -jv says which path ran.
//
// # The trade-off
//
// Traces specialize on the types and table layouts seen while recording
// and guard every assumption; a guard that fails exits to the interpreter,
// which re-executes the bytecode. Anything the recorder does not know
// aborts the recording with a named reason (like LuaJIT's NYI) and the
// start point is penalized, then blacklisted (guard.Starts), so the cost
// of a loop the JIT cannot compile stays small.
//
// # Worked example
//
//	c, _ := jit.NewConfig()          // JIT on, -O3, JITKIT_STRESS read
//	c.Flag("-jv", nil)               // a line per trace event
//	L := vm.New(vm.Options{})
//	c.Attach(L, os.Stderr)
//	L.DoString("x", "local s = 0 for i = 1, 1e6 do s = s + i end print(s)")
//	// stderr: [TRACE   1 x:1 loop (interp, 13 IR, 3 snapshots)]
//	c.Finish(L, os.Stderr)
package jit
