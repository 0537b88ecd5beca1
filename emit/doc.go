// Package emit turns allocated IR into machine code: it is the last stage of
// the jitkit pipeline (record → optimize → allocate → emit → link).
//
// The package root holds what every architecture shares: Buf, a buffer that
// is filled backwards so lowering can walk a trace from its end; Mem,
// executable memory that is never writable and executable at once (W^X);
// and Enter, the assembly trampoline that runs generated code from Go
// without cgo. The encoders and lowerings live in emit/amd64 and emit/arm64;
// the exit bookkeeping they share is here too (exits.go: which exit record
// of a snapshot is canonical, when two exits share a stub, the table behind
// Trace.Locs; LoopSim: where a loop's values are at its back edge), and so
// are call-outs (callout.go: Callout, what a trace asks Go to compute when
// it returns StatusCall, and Trace.Run and Trace.Serve, which compute it
// and resume the trace).
//
// # Why backwards
//
// A register allocator that walks a trace from its last instruction to its
// first sees every use of a value before its definition, so it knows which
// register the value should be born in. Emitting machine code in the same
// order means each instruction is encoded once, already knowing its
// registers. The price is that a branch to code that is not emitted yet
// points backwards in the finished code (the loop's back edge): its
// displacement is unknown and needs a fixup, while a forward branch (to an
// exit stub, emitted earlier) knows its target and can take the short form.
// Buf positions (Pos) are distances from the end of the code, so they stay
// valid however much code is prepended.
//
// # Executable memory
//
// Mem maps areas with mmap and carves blocks from them. A page is writable
// only while Write or Patch copies bytes into it, and then it is not
// executable: the pages touched are flipped to read-write, written and
// flipped back to read-execute, and on arm64 the instruction cache is
// flushed over the written range. Patching an exit to link a side trace
// flips only the page (or two) holding the patched bytes. No page is ever
// both writable and executable; a test reads /proc/self/maps to check it.
// The trade-off: code must not run on another thread from a page that is
// being written at that moment (it would fault), which suits a VM whose
// compiler and traces share one goroutine.
//
// PerfMap names installed blocks for Linux perf: it appends "START SIZE
// name" lines (hex) to /tmp/perf-PID.map, which perf reads to attribute
// samples in generated code (demolang -jperfmap).
//
// # Calling contract of generated code
//
//	func Enter(code, state uintptr) (status uint64)
//
// Enter is an ABI0 NOSPLIT assembly function (enter_amd64.s,
// enter_arm64.s; the two share the Go declaration in enter.go, including
// the argument names). It calls the code at address code, and the code
// must obey:
//
//   - State pointer: RDI on amd64, X0 on arm64. Everything the trace needs
//     (VM slots, spill slots, the interrupt flag, the exit record) is
//     reached through it.
//   - Status: returned in RAX on amd64, X0 on arm64, as a 64-bit word (for
//     example an exit number and a reason code).
//   - Return: amd64 code returns with RET and RSP as it found it; arm64
//     code returns with RET to the address in X30 and SP unchanged.
//   - Clobbers: ABI0 makes every general and floating-point register
//     caller-saved, so generated code may use them all, with these
//     exceptions. amd64: RSP is the stack pointer; R14 (g) and X15 (zero)
//     may be clobbered because the ABI wrapper around Enter restores them
//     before Go runs again; RBP may be clobbered because the trampoline
//     saves and reloads it from its frame; the direction flag must be clear
//     and MXCSR unchanged on return. arm64: never write R28 (g, which the
//     signal handler reads) nor X18 (the platform register); SP and X29
//     must be restored; FPCR unchanged.
//   - Stack: the trampoline frame is declared $0-24 (no locals, 24 bytes of
//     arguments; on amd64 the assembler adds an 8-byte BP save because the
//     function calls). Generated code may use at most CodeStack (128) bytes
//     of goroutine stack below it, counting return addresses of its own
//     calls to leaf helpers. Spill slots live in memory the state points
//     to, never on the goroutine stack.
//   - No calls into Go: a trace that needs Go returns a status and is
//     resumed; it may call leaf helpers that are generated code or NOSPLIT
//     assembly touching no Go state. Hardware faults are fatal, so every
//     check is an explicit guard.
//
// Costs on the development machine (CPU time, BenchmarkEnter,
// BenchmarkMemLoad, BenchmarkPatch): a round trip through Enter about
// 3 ns; loading a trace or patching an exit about 60 µs, nearly all of it
// the two mprotect calls. Linking exits through a jump slot in data memory
// (an indirect jump) avoids the second cost entirely.
//
// # Hooks for the architectures
//
// Each architecture supplies, in assembly files named for it:
//
//	TEXT ·Enter(SB), NOSPLIT, $0-24         // enter_<arch>.s
//	TEXT ·flushICache(SB), NOSPLIT, $0-16   // icache_<arch>.s
//
// flushICache(addr, n uintptr) makes instruction fetch see bytes just
// written to [addr, addr+n): a no-op on amd64, data-cache clean plus
// instruction-cache invalidate on arm64.
//
// # Example
//
// Load four bytes of x86-64 code (mov %rdi,%rax; ret) and run them:
//
//	m := emit.NewMem(0)
//	defer m.Close()
//	blk, err := m.Load([]byte{0x48, 0x89, 0xf8, 0xc3})
//	if err != nil { ... }
//	status := emit.Enter(blk.Addr, 42) // 42: the code returns its state pointer
//
// emit/amd64 builds such code from encoder calls instead of bytes.
package emit
