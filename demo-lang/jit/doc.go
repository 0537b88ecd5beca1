// Package jit is the front of demo-lang's tracing JIT: its configuration
// (the command-line flags -j, -jv, -jdump, -jstats, -jstress, -jnative,
// -jp, -jperfmap and LuaJIT's -O), its statistics, and the machine-code
// backend that turns recorded traces into code through jitkit's regalloc,
// emit/amd64 or emit/arm64, and snapshot packages.
//
// -jdump=html[=FILE] (htmldump.go) writes one self-contained page of all
// traces when the run ends: the trace tree with its counts, and per trace
// the bytecode beside its source lines, the IR with snapshots, what each
// exit restores, the machine code and the register live ranges
// (allocinfo.go derives them from regalloc's result), cross-linked by a
// small inline script. It reads the VM's traces through vm.State.JITTraces.
//
// # Place in the pipeline
//
//	vm interpreter --hot loop--> vm recorder (vm/jit_record.go) --irkit IR-->
//	    LoopOpt, DCE --> Backend.Compile (this package: regalloc +
//	    emit/amd64 or emit/arm64 + snapshot.BuildSnaps) --> the VM enters the code at the loop body;
//	    an exit restores the slots (snapshot.Map.RestoreState), the VM
//	    rebuilds the frames of inlined calls, and the interpreter resumes
//	    at the exit's bytecode
//
// The recorder lives in package vm because it reads the interpreter's
// private state (slots, tables, upvalues) at every bytecode; this package
// holds what depends on the host machine, so vm stays portable. Without a
// machine-code backend (a host other than amd64 and arm64, -jnative=off,
// or a trace the backend refuses) the VM runs traces on irkit's IR
// interpreter: slower than machine code, but the same results, so programs
// stay correct everywhere, and -jv says which path ran ("interp", "amd64"
// or "arm64").
//
// # What becomes a trace
//
// Loops (numeric for, while, repeat) whose body uses numbers (float64; a
// root trace's own for-loop index is narrowed to int32), comparisons,
// and/or/not, constants, locals, upvalues (open or closed), globals,
// tables' array parts (bounds-guarded reads and writes; at the loop's own
// index, one guard on the loop's stop, before the loop) and hash parts
// with constant string keys (the key's node is guarded by content; absent
// keys are proven by guarding the hash chain; __index tables are
// followed), ipairs loops (a raw array read with a bounds guard, the
// index an int32), ipairs(t) and pairs(t), method lookups on strings
// (s:byte(i)), math.floor, ceil, abs and sqrt, string.byte, string.len, #
// of strings and tables, tostring of numbers and strings, a builtin's
// result as another's last argument, and calls of fixed-arity Lua
// functions, which are inlined (an exit inside one rebuilds its frame
// records).
//
// What the trace's own code cannot do it asks the interpreter's Go code
// for, through irkit helpers (vm/jit_helpers.go; machine code makes a
// call-out to Go): concatenation, # of a table whose array part ends in
// nil, reads and writes of keys outside the array part (appends,
// string keys computed at run time, ipairs beyond the array part),
// pairs' next and string.sub. Helpers that may allocate are
// preceded by a guard that leaves the trace when the collector is due.
//
// A hot exit (guard.Tracker) gets a side trace, which may go round an
// outer loop and end at the start of any loop with a trace; exits and
// side-trace ends are linked in machine code by link stubs (emit.Link),
// keyed by the caller for side traces that return into the caller and
// call the function again (see docs/design/trace-trees.md).
//
// Everything else aborts the recording with a named reason, LuaJIT-style
// ("NYI: inner loop", "NYI: ITERC", "NYI: call", "NYI: __newindex", ...); the
// start point is penalized and then blacklisted (guard.Starts). Inner
// loops are not part of their outer loop's trace: each loop gets its own.
// A function called often gets a function trace, entered at its calls;
// in its tree a recursive call pushes the callee's frame record in machine
// code and links back to it, and a return pops the record and continues in
// the caller's side trace (docs/design/recursion.md). A root trace
// whose sampled runs take under 450 ns (their first quartile: a loop that
// runs a few iterations per entry, so entering and restoring cost more
// than the iterations save) is flushed and its loop left to the
// interpreter.
//
// # The trade-off
//
// Traces specialize on the types and table layouts seen while recording
// and guard every assumption; a guard that fails exits to the interpreter,
// which re-executes the bytecode (every guard of a bytecode precedes its
// slot writes, and table loads guard the loaded value's type at the load,
// so a nil that must go through __index exits there). Numbers stay
// float64 with IEEE semantics (% is a - floor(a/b)*b, as the interpreter
// computes it; no reassociation, no fused multiply-add), and NaNs keep
// their bits, so a program prints the same bits with the JIT on or off.
// The stress mode (-jstress=all|random:SEED[:EVERY], or JITKIT_STRESS)
// makes the chosen guards exit after computing their values (the
// lowering's Force in machine code, irkit.Interp.Force on the IR
// interpreter), so every exit and restore is exercised; the tests run
// every bench program and 24 targeted programs that way.
//
// Long-running machine code returns to Go: every back edge checks Go's
// own preemption request (see emit.StackPreempt), so when the runtime asks
// the goroutine to stop (a GC, or the scheduler's 10 ms time slice) the
// trace leaves at its next back edge, and the VM checks its time and
// instruction limits before it enters again. One backend serves one
// VM at a time.
//
// # Worked example
//
//	c, _ := jit.NewConfig()          // JIT on, -O3, JITKIT_STRESS read
//	c.Flag("-jv", nil)               // a line per trace event
//	L := vm.New(vm.Options{})
//	c.Attach(L, os.Stderr)
//	L.DoString("x", "local s = 0 for i = 1, 1e6 do s = s + i end print(s)")
//	// stderr: [TRACE   1 x:1 loop (amd64, 29 IR, 6 snapshots)]
//	c.Finish(L, os.Stderr)
package jit
