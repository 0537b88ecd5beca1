package emit

// CodeStack is the number of bytes of goroutine stack that generated code
// may use below the trampoline's frame, counting the return address the
// trampoline's CALL pushes and those of generated code's own calls to leaf
// helpers. The trampoline is NOSPLIT, so nothing grows the stack for
// generated code: spill slots and scratch memory belong in the memory the
// state pointer points to, never on the stack. 128 bytes is far inside the
// 800 bytes the Go runtime guarantees to a chain of NOSPLIT functions.
const CodeStack = 128

// Enter calls the generated code at address code with the state pointer in
// the architecture's state register (RDI on amd64, X0 on arm64) and returns
// the status word the code leaves in RAX (amd64) or X0 (arm64). The code
// must follow the contract in the package documentation; Enter itself is a
// NOSPLIT assembly trampoline (enter_amd64.s, enter_arm64.s) and needs no
// cgo.
//
// Memory the code reads or writes through state must stay alive and
// unmoved while it runs: memory outside the Go heap, or a Go object kept
// alive with runtime.KeepAlive (Go heap objects do not move).
func Enter(code, state uintptr) (status uint64)

// flushICache makes the instruction cache coherent with the data cache for
// [addr, addr+n) after code there was written. It is a no-op on amd64,
// whose caches are coherent (icache_amd64.s); on arm64 it cleans the data
// cache to the point of unification and invalidates the instruction cache
// over the range (icache_arm64.s, written by the arm64 engineer). Mem calls
// it after every Write and Patch.
func flushICache(addr, n uintptr)
