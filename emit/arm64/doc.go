// Package arm64 encodes AArch64 machine code for jitkit's traces: it is the
// arm64 half of the last pipeline stage (record → optimize → allocate →
// emit → link), used by the arm64 lowering to turn allocated IR into
// instructions.
//
// # The idea
//
// Asm wraps an emit.Buf and prepends one 32-bit instruction word per call,
// so lowering can walk a trace from its last instruction to its first, the
// same direction as the register allocator: every instruction is encoded
// once, already knowing its registers. Each method is one instruction (or
// one short idiom such as MovImm) and does no allocation; the encodings
// were written from the architecture manual and are checked, family by
// family, against GNU as (binutils_test.go: some 22,000 encodings, every
// register including SP and XZR where each is legal, every immediate
// boundary, and 1,200 operands that must be refused) and decoded back with
// golang.org/x/arch/arm64asm.
//
// Registers are small typed integers that carry their width: X0..X30, XZR
// and SP are 64-bit, W0..W30, WZR and WSP 32-bit, and the width of an
// instruction follows its destination, as in assembly text. Register number
// 31 is SP in some operand slots and the zero register in others; the
// encoder checks every slot and refuses the wrong one instead of silently
// reinterpreting it. D0..D31 and S0..S31 are the floating-point registers.
//
// # Immediates and errors
//
// An immediate is encoded in its shortest form or refused: AddImm takes a
// 12-bit value optionally shifted by 12 (and flips add and sub for a
// negative one); AndImm, OrrImm, EorImm and TstImm take arm64 logical
// immediates (a rotated run of ones replicated in 2..64-bit elements);
// loads and stores pick the scaled unsigned 12-bit offset, else the signed
// 9-bit unscaled form; MovImm loads any 64-bit constant with one movz, movn
// or orr when one suffices, else the shorter of movz/movn plus movk, or orr
// plus one or two movk. Errors are sticky, like bufio.Writer: a refused
// instruction emits nothing and Err (or Finish) reports the first problem.
// Callers that want to fall back to a register ask first with AddImmOK,
// LogicalImm, MemOK, PairOK or FMovImmOK; bad input never panics.
//
// # Labels and short branches
//
// A label binds to the current start of the code. Walking backwards, a
// branch to a label already bound goes forward in program order (a guard to
// its exit stub) and is encoded at once; if the target is beyond the reach
// of b.cond, cbz/cbnz (±1 MiB) or tbz/tbnz (±32 KiB), the encoder emits the
// inverted short branch over an unconditional b. A branch to a label bound
// later goes backward (a loop's back edge) and is patched by Bind; should
// the code between them grow past the short reach, the assembler inserts a
// veneer island — a b to the label, jumped over by the code that falls
// through — and retargets the short branch to it, so no branch is ever out
// of range and no emitted code ever moves. The trade-off: an island may
// separate the instructions of two consecutive calls (never those of one
// call), so code must not count on two calls' instructions being adjacent;
// every Pos and label stays exact.
//
// Branches to fixed addresses outside the code (exit handlers, other
// traces, leaf helpers) are relocations: BAbs, BLAbs and BCondAbs record
// them and Link resolves them once the code's address is known; Install
// does Finish, Alloc, Link and Write in one step. PatchB gives the bytes
// that relink an exit to a side trace through emit.Mem.Patch.
//
// # Contract for generated code
//
// Generated code is entered through emit.Enter (emit/enter_arm64.s): the
// state pointer arrives in X0, the return address in X30, and the code
// returns the status word in X0 with RET.
//
//   - Never write X28 (G, the goroutine pointer that Go's signal handler
//     reads) nor X18 (PR, the platform register). The encoder refuses every
//     instruction that would, unless AllowReserved is set.
//   - Return with SP and X29 as found. Every other general and
//     floating-point register is free: ABI0 makes them all caller-saved.
//   - Stack: SP arrives 16-byte aligned with every Go frame above it (Enter
//     keeps the frame pointer Go saves below its own SP out of reach). The
//     code may use at most emit.CodeStack bytes below SP — in practice one
//     stp x29, x30, [sp, #-16]! around calls to leaf helpers. Spill slots
//     live in memory the state pointer reaches, never on the stack.
//   - Calls: bl to a label, or blr to an address loaded with MovImm into IP0
//     (X16); the helper returns with ret to X30 and keeps the same rules.
//     Never call Go.
//   - Faults are fatal to the process: every check is an explicit branch.
//
// emit.Mem flushes the instruction cache after writing code (dc cvau, dsb
// ish, ic ivau, dsb ish, isb over the range, line sizes from CTR_EL0).
//
// # Lowering: allocated irkit traces to machine code
//
// Lowerer (lower*.go) is the arm64 half of the IR-to-machine stage, the
// twin of emit/amd64's Lowerer with the same API (NewLowerer, Target,
// Compile returning an emit.Trace, Assemble, Install, Linker): it walks a
// trace allocated by regalloc for regalloc.ARM64 backwards and emits each
// instruction with its moves, as regalloc's contract says. Conventions:
// X0 keeps the state pointer (emit.State); X17 holds the spill base
// (State.Spill) so a reload is one ldr x, [x17, #8*slot]; X16 is the
// scratch register; a TInt lives in the low half of its register (W
// instructions), a TBool is 0 or 1. The code is, in program order:
//
//	entry:   ldr x17, [x0, #Spill]; Entry moves   (a restarting trace jumps back here)
//	         the instructions; guards branch to their stubs
//	loop:    the body; ldr w16, [x0, #Interrupt]; cbnz w16, interrupt-stub
//	         ldr x16, [sp]; ldr x16, [x16]; cmn x16, #1314; b.eq interrupt-stub
//	         Tail moves; b loop        (the second check: Go's preemption request)
//	stubs:   per exit: move its values where the snapshot's canonical
//	         locations are (registers into State.Regs, spill slots kept)
//	tails:   per linkable snapshot: ldr x16, =&jump[n]; ldr x16, [x16]; br x16
//	         handler_n: mov x16, #n; b common
//	common:  str w16, [x0, #Exit]; mov x0, x16; ret
//
// Exits are linked to side traces through the jump table, a per-trace
// []uintptr in data memory: Code.Link is one atomic store, no code is
// rewritten and no cache is flushed (Linker.PatchExit also accepts a bare
// emit.Trace and then rewrites the br through emit.Mem.Patch). A guard
// whose snapshot Lowerer.Force names (stress mode) computes its value as
// usual and is followed by a b to its stub. Integer DIV
// and MOD need no guard (sdiv already gives x/0 = 0 and MIN/-1 = MIN), FTOI
// is fcvtzs (it saturates and maps NaN to 0 as the interpreter defines),
// FTOIX compares the floor and ceiling conversions. Integer POW and float
// MOD call machine-code helpers (math.Mod bit for bit by exact long
// division); float POW needs Lowerer.FPow, or call-outs: with
// Lowerer.Callouts a trace may return emit.StatusCall to have Go run
// math.Pow or a helper's Fn, and Code.Run resumes it. Allocation plus
// lowering costs about 300 ns per IR instruction on the (loaded) x86-64
// development machine (BenchmarkLower: 110-170 ns of it the lowering, no
// allocation per trace); installing adds the two mprotect calls. The tests hold every
// compiled trace to irkit's interpreter bit for bit under qemu (random
// traces of lowertest, per-opcode edge values, FuzzLower).
//
// # Example
//
// A function that returns the sum of the n int64 values at the state
// pointer, written backwards (the ret first):
//
//	a := arm64.New(emit.NewBuf(256))
//	loop, done := a.NewLabel(), a.NewLabel()
//	a.Ret()                                   // done: ret
//	a.Mov(arm64.X0, arm64.X2)                 //       mov x0, x2
//	a.Bind(done)
//	a.B(loop)                                 //       b loop
//	a.Add(arm64.X2, arm64.X2, arm64.X3)       //       add x2, x2, x3
//	a.Ldr(arm64.Size64, false, arm64.X3, arm64.PostIndex(arm64.X1, 8)) // ldr x3, [x1], #8
//	a.SubImm(arm64.X4, arm64.X4, 1)           //       sub x4, x4, #1
//	a.Cbz(arm64.X4, done)                     // loop: cbz x4, done
//	a.Bind(loop)
//	...
//
// Disasm prints the result with arm64asm; the runnable examples in
// example_test.go show complete functions and their disassembly.
package arm64
