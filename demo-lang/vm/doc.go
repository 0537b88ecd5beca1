// Package vm is demo-lang's runtime: values, objects and their garbage
// collector, tables, the bytecode interpreter, the standard library and the
// Go embedding API.
//
// # Place in the pipeline
//
//	source --syntax/compile--> bytecode.Proto --vm.Load--> closure --vm.execute--> results
//	                                                            |
//	                              hot counters (hotLoop/hotCall) +--> JIT (jit.go, jit_record.go)
//
// # Values: NaN boxing without Go pointers
//
// A Value is a uint64. Numbers are stored as their IEEE-754 bits; every
// other value hides in the NaN space, with a 4-bit tag and a 47-bit payload:
//
//	 63         51 50  47 46                                             0
//	+-------------+------+------------------------------------------------+
//	| 1111111111111| tag  |                    payload                     |
//	+-------------+------+------------------------------------------------+
//	  13 ones        1 nil          0
//	                 2 false        0
//	                 3 true         0
//	                 4 string       index into State.strs
//	                 5 table        index into State.tabs
//	                 6 Lua closure  index into State.fns
//	                 7 Go function  index into State.gfns
//
// Anything else is a number, so "is number" is one unsigned compare:
// v < 0xFFF8_8000_0000_0000. Nil is 0xFFF8_8000_0000_0000, false
// 0xFFF9_0000_0000_0000, true 0xFFF9_8000_0000_0000.
//
// NaNs: a NaN is a number as long as its bits 47..50 are zero. IEEE
// arithmetic only ever produces the default NaN (0x7FF8.. on arm64,
// 0xFFF8.. on x86, both with clear tag bits) or propagates an input NaN's
// payload, so arithmetic on Values never forges a tagged value and the
// interpreter stores results with a plain bit cast. Only NaNs that enter
// from outside (Number, used by conversions and the library) are
// canonicalized. The sign of a NaN is kept, so 0/0 prints "-nan" on x86 as
// it does in C Lua there. (The team first planned to canonicalize every
// arithmetic result; that costs a compare per operation and is not needed,
// since 0xFFF8_0000_0000_0000 is below the "number" bound.)
//
// Values contain no Go pointers, so generated code may read and write them
// freely: Go's GC never sees them. Objects live in VM-owned slices (strings
// as Go strings, tables and closures as pointers to Go structs that are
// reused) indexed by the payload.
//
// # Memory: interning and a mark-and-sweep collector
//
// Strings are interned: one object per distinct byte string, so string
// equality and table lookup by string are comparisons of Value bits. The
// VM's own stop-the-world collector (gc.go) marks from the roots (the value
// stack up to the live top, globals, registry, string metatable, open
// upvalues, prototype constants, values the API pinned), then sweeps every
// object table: unmarked slots go on a free list and their intern entries
// are dropped. It runs only at safe points of the interpreter (after TNEW,
// FNEW, CAT, a growing table store or a Go call), when the estimated heap
// reaches twice what survived the last collection, so allocation-heavy
// programs such as binarytrees run in a bounded heap, and Go code in the
// library may hold Values in locals as long as it does not call back into
// Lua. Marking works through a queue and prefetches each table's header
// a few entries before it scans it (prefetch_*.s): on binarytrees the
// wait for those headers had been three quarters of the marking time.
//
// The intern table (intern.go) is the VM's own: linear probing over 8-byte
// slots that hold a 32-bit hash of the bytes (hash/maphash, seeded per
// State) and the string's index in State.strs, so a probe compares the
// stored hash before it touches a string. It grows at 3/4 full. Deleting
// leaves no tombstones: a sweep that frees few strings shifts each one's
// cluster back, one that frees many (1/16 of the slots or more) clears them
// and reinserts the survivors in one pass over the slots. The seed only
// decides where entries sit in this table; string indices come from the
// free list and pairs orders keys by Value bits, so no output depends on
// it. The table replaced a Go map[string]uint32 whose lookups, after the
// sweeps' deletes had left tombstones, probed long sequences: on
// bench/strings.lua (a million concatenations and tostring calls, 2 M
// strings at the peak), with strs and strMark now grown by doubling,
// table.concat reserving its result once and tostring formatting in place,
// user time went from 1.84 s to 0.96 s with the JIT and from 1.87 s to
// 1.07 s without (best of 7), peak RSS from 243 MB to 155 MB, and the
// quick size (2000) from 16.8 M to 14.4 M instructions. What remains is
// mostly memory traffic: one cache miss per new string in the table, its
// allocation, and the page faults of growing strs and the table.
//
// # Frames
//
// The value stack is one []Value. A call puts the callee in slot A of the
// caller and its arguments in A+1...; the callee's frame base is A+1:
//
//	stack: ... | caller slots ... | f | arg1 | arg2 | ... callee slots ... |
//	                                ^   ^
//	                       base-1: the function value
//	                                    base: slot 0 of the callee
//
// The frame link is not in the stack (the bytecode leaves no slot for it,
// as LuaJIT without FR2): each activation has a record in State.frames
// (base, result slot = caller's A, saved pc, wanted results, varargs count,
// closure or Go function index, kind). A vararg function's frame moves up
// past its arguments: the function value is copied above the last
// argument, the fixed parameters after it, and the extra arguments stay
// below the new base, where VARG reads them:
//
//	| f | p1 | p2 | x1 | x2 | f | p1 | p2 | ... slots
//	                          ^ new base - 1   (nvar = 2: x1, x2)
//
// Go functions get a frame record too; their arguments are at base...
// and their results are whatever they pushed last.
//
// # The interpreter
//
// Two nested loops (interp.go). The outer one loads the running frame's
// state into locals (code, constants, base, regs = stack[base:]); it runs
// at entry, after every call and return, and after a slow path that moved
// the stack (State.stackGen changed). The inner one is one switch over the
// opcode that only advances pc, so the frame state is loop-invariant there
// and Go's register allocator does not spill it at every instruction (an
// earlier single-loop version stored about 13 locals per dispatch). Number
// fast paths are inline; slow paths (coercions, metamethods, errors) are
// functions that save pc first so errors know their line. Fixed-arity
// Lua-to-Lua calls are inlined in CALL and never recurse in Go; Go
// functions are called directly with their arguments in place on the
// stack. Metamethods and Go functions that call back into Lua re-enter
// execute, bounded by 200 nested entries ("C stack overflow"); Lua
// recursion is bounded by Options.MaxFrames ("stack overflow").
//
// String-keyed field instructions (TGETS, TSETS, GGET, GSET; a method
// call t:m() is a TGETS) keep a per-instruction hint in the Proto (see
// hint in table.go): the hash-part node index where their key was last
// found, and for TGETS also the node in the __index table that held it. A
// hit is one compare of that node's key with the constant; a miss walks
// the chain as before and updates the hint. The table layout is Lua 5.1's
// and unchanged, so pairs, next, #, the GC and the JIT's hash-slot guards
// are unaffected, and a stale hint (after a rehash, on another table)
// costs one compare. This took 5% of the instructions from oop, 18% from
// nbody and 1% from binarytrees with the JIT off (docs/design/cache.md
// has the figures and why shape-based tables were not adopted).
//
// Hot counters (hooks.go): loop back edges (FORL, ITERL, LOOP) decrement a
// per-pc counter in the Proto and call hotLoop when it runs out (a FORL
// that ends its loop decrements it too, and calls loopLeft: see
// docs/design/trace-trees.md on short inner loops); function
// entry decrements a per-Proto counter and calls hotCall (a function trace,
// jit_recurse.go). The tracing JIT
// attaches there (and records through the L.jrec branch at the top of the
// dispatch loop). The same back edges and calls charge the budget behind
// Options.InstructionLimit and TimeLimit: a loop iteration costs the
// length of its body, a call costs one, so the budget approximates
// instructions executed without a counter per instruction.
//
// Errors are Go panics carrying *Error, raised only inside the VM and
// recovered by pcall/xpcall and by the API entry points (Call, DoString,
// DoFile), which return them as errors; a Go runtime panic inside the VM is
// converted to an "internal error" there too, never reaching the embedding
// program. Messages follow Lua 5.1 word for word, with variable names from
// the bytecode's debug information (bytecode.Proto.SlotName): "attempt to
// call global 'f' (a nil value)", "bad argument #1 to 'insert' (table
// expected, got nil)".
//
// # Trade-offs
//
// Object tables indexed by payload cost an extra indirection per table or
// closure access compared with pointers, and free-list reuse means an
// index may name different objects over time (never at once). In exchange
// the GC, the JIT and snapshots all deal in plain integers.
//
// # Worked example
//
//	L := vm.New(vm.Options{})
//	L.Register("double", func(L *vm.State) (int, error) {
//		L.PushNumber(2 * L.CheckNumber(1))
//		return 1, nil
//	})
//	res, err := L.DoString("example", "return double(21)")
//	// res[0].Float() == 42, err == nil
package vm
