// Package amd64 encodes x86-64 machine code for jitkit's trace compiler. It
// sits at the very end of the pipeline: the amd64 lowering walks an
// allocated trace backwards and calls one Asm method per machine
// instruction; the bytes land in an emit.Buf, are copied into emit.Mem and
// run through emit.Enter.
//
// # The idea
//
// An instruction is prefixes, REX, opcode, ModRM, SIB, displacement and
// immediate. Asm writes each instruction straight into the free space in
// front of the code, last byte first (emit.Buf.Front), so emission runs
// from the end of the code to its start without copying (see package emit
// for why backwards). Every choice that makes code shorter is made here,
// once: the sign-extended imm8 forms, the accumulator forms for RAX, no
// displacement / disp8 / disp32, the SIB byte and zero displacement that
// RSP/R12 and RBP/R13 bases need, mov r32 vs sign-extended imm32 vs movabs
// (MovRI), xor for zero, shift-by-one, the one-byte xchg with RAX, and
// rel8 branches where the target is known and near.
//
// The reference is GNU as, byte for byte: TestGNU assembles about 97,000
// operand combinations (every register pair, every base/index/scale with
// displacements at each encoding boundary, immediates of every width) with
// `as --64` and compares; the decoded text of our bytes from
// golang.org/x/arch must equal objdump's.
//
// # Operands
//
// Registers are small integers (RAX..R15, X0..X15); the operand size is a
// separate argument (S8, S16, S32, S64), so one Reg names rax, eax, ax and
// al. A memory operand is Mem{Base, Index, Scale, Disp}; Base may be NoReg
// (absolute) or RIP, and LabelMem addresses a label RIP-relatively (a
// constant placed after the code, or an address for Lea). Families of
// instructions share one method and one small table: AluRR(ADD, ...),
// UnopR(NEG, ...), ShiftRI(SAR, ...), SseRR(MULSD, ...), BitRR(POPCNT, ...).
//
// # Errors
//
// Encoding errors (an SSE register where a general one belongs, RSP as an
// index, an unsupported size, an unknown label) are sticky: the
// instruction is not emitted and Err/Finish report the first problem.
// Nothing panics on bad operands.
//
// # Branches, and the trade-off of emitting backwards
//
// A label bound earlier in emission lies later in the code, so a branch to
// it knows its distance and uses rel8 when it reaches. A branch to a label
// bound later (a loop back edge) gets a rel32 that Bind patches: back
// edges always cost the long form, as in LuaJIT. Targets outside the
// buffer (exit handlers, other traces) use JmpAbs, JccAbs and CallAbs and
// are resolved by Link once the code's address is known.
//
// An exit can be linked to a side trace two ways. JmpLong/JccLong keep a
// rel32 that PatchJmp/PatchJcc and emit.Mem.Patch rewrite in place (one
// page flipped read-write and back: tens of microseconds of mprotect), or
// the exit jumps through a slot in data memory with JmpM, which linking
// overwrites without touching code at all.
//
// # Exits
//
// Under emit's contract a trace leaves with RET and a status in RAX, and
// keeps nothing on the stack. SaveRegs stores a set of registers into a
// save area (GPSlot, XSlot, RegArea give its layout) for the snapshot
// code, LoadRegs reloads them for a side trace, and ExitStub ends the exit
// with mov $status,%eax; ret.
//
// # Lowering: allocated traces to machine code
//
// Lowerer (lower*.go) compiles an irkit trace allocated by regalloc for
// regalloc.AMD64 into code that emit.Enter runs, walking the trace
// backwards as the allocator did; it implements emit/lowertest's Backend,
// and 5,000+ random traces (loops, restarting traces, high register
// pressure, helper calls and call-outs to Go, interrupt exits) run
// bit-identical to irkit's interpreter in its tests. Its conventions:
//
//   - Value words: a TInt register holds the int32 in its low half and
//     every TInt operation uses a 32-bit form; where a whole word is
//     written (SSTORE, helper arguments, an AREF index) it is
//     sign-extended in place. TBool is 0 or 1, TNum lives in XMM registers.
//   - Slots: interpreter slot i and spill slot s are addressed through
//     R11 after mov Slots(%rdi)/Spill(%rdi),%r11, reloaded at each access:
//     the allocator hands out every register but RSP, RDI and R11, so none
//     is free to hold a base. BenchmarkSpillBase puts the reload at 0.3-0.7
//     ns per access in a loop that does nothing but spill: 3.7-5.7 ns an
//     iteration of five accesses, against 2.0-2.5 with the base in a
//     register and 2.5-3.6 with the spill area right after the State block
//     (addressed from RDI, which would need that layout in emit's contract).
//   - Fused loads (regalloc.AMD64 sets FuseLoads): an ISNUM, UNBOXN, EQ or
//     NE of a value word just loaded (regalloc.Target.FusedLoad) reads the
//     word in memory, from the load's address register or its slot:
//     cmpl $hi,4+mem; jae (a number is a word below hi<<32 under the
//     default box layout, numLimit), movsd mem,%xmm, cmp %reg,mem; an
//     integer comparison of a TInt, i64 or ptr field just loaded compares
//     it in memory (cmpl $imm,ofs(%reg), cmp %reg,ofs(%reg)). The
//     load itself then emits nothing unless something else reads the
//     value. Slot accesses share one base load while nothing in between
//     clobbers R11 (slotsBase, keepsBase): no moves, and only code known
//     to leave R11 alone (leavesR11: float arithmetic and compares on
//     registers, integer adds and compares into registers, FTOIX), so a
//     trace entry that loads, computes and loads again fetches the base
//     once (mandelbrot's inner loop entry: 6 base loads -> 1).
//   - Fused addresses (regalloc.AMD64 sets FuseAddrs): a load, store or
//     fused check through an AREF or FREF (regalloc.Target.FusedAddr)
//     addresses memory as base+8*index+disp itself, and the address emits
//     nothing unless something else reads it: movsd (%r13,%rax,8),%xmm14
//     and cmpl $hi,4(%r13,%rax,8) instead of lea (%r13,%rax,8),%rcx
//     first; an FLOAD of a hash node's key, cmp %rax,0x48(%rbp); a field
//     store through an FREF, mov %x,ofs(%obj). A TInt index is
//     sign-extended into R11 just before the access (addrMem, indexExt);
//     an index BCAST from another 64-bit word is read from that word's
//     register. An integer comparison with an FLOAD just loaded reads the
//     field (regalloc.Target.FusedLoad2): a bounds check is cmp
//     8(%rdx),%r8. Across the benchmark programs' traces this removed
//     20-85% of the leas (matmul 25 -> 5, queens 1255 -> 236). An i64
//     index x+k (a frame record below the top, n*4-4) is index x with
//     displacement 8*k, in the AREF's own lea too, and the ADD emits
//     nothing: lea -0x20(%rbx,%r8,8),%r9.
//   - Stores of integer constants in int32 range are immediate (Imm2 on
//     FSTORE, ASTORE, XSTORE): movl $7,8(%r9), movq $-1,(%rax); a frame
//     record push stored five constant fields from registers loaded at
//     the trace's entry.
//   - Constants: a float constant is one movsd k(%rip),%xmm from a pool
//     at the block's start, instead of a movabs to R11 and a movq.
//     Loading each constant right before its first use instead of at the
//     entry (so that fib's leaf calls, which leave its function trace at
//     the second guard, skip the rest) was tried and dropped: 2.5%
//     fewer instructions, but fib 38 ran 1.26 s instead of 1.13 s (user
//     time, medians of 5 interleaved runs). An ADD or SUB into a register other than its
//     operand's is one lea, and so is a shift left by 1-3 (lea3); a shift
//     by an immediate may have its operand and result in RCX (ImmFree).
//     A SEXT of a TInt field just loaded is movslq ofs(obj), d.
//   - Exits offer direct links: a stub that only stores registers into
//     their own State.Regs words reports its start (emit.ExitSite.Direct,
//     with the registers it saves), where a link stub may take over
//     before anything is stored (AssembleLink with emit.Link.Direct).
//   - Exits: each guard branches to a stub of its own exit record that
//     stores the registers its snapshot needs into State.Regs (in one
//     canonical layout per snapshot, so emit.Trace.Locs(exit) is all a
//     restorer needs), loads the exit number into EAX and jumps (jmp
//     rel32) to a common "mov %eax,Exit(%rdi); ret". TestLowerStubSize: on
//     random traces the stubs average 26-32 bytes and take 23 KB where one
//     shared save-everything handler would take 53 KB (54 against 66 KB
//     under high register pressure). A guard whose snapshot Lowerer.Force
//     names (stress mode) computes its value as usual and is followed by
//     a jmp to its stub.
//   - Loops: the back edge is cmpl $0,Interrupt(%rdi); jne exit; then
//     Go's preemption check (mov 8(%rsp),%r11; cmpq $-1314,(%r11); je
//     exit: see emit.StackPreempt); the Tail moves; jmp loop. With no
//     Tail moves the check's own branch closes the loop (cmpq; jne loop;
//     jmp exit), and when the body has no call and a general register
//     that nothing in it names or destroys (freeLoopReg), the guard
//     word's address is loaded into it once before LOOP and the back
//     edge is cmpl; jne; cmpq $-1314,(%reg); jne loop: two instructions
//     fewer per iteration than before (TestLowerBackEdge). The interrupt exit leaves through the trace's last
//     snapshot, whose locations at the back edge the allocation records,
//     or emit.LoopSim finds by simulating its moves. The counting loop of the
//     tests runs at 0.37 ns an iteration, check included
//     (BenchmarkLoopIteration). A trace without LOOP that restarts writes
//     its loop snapshot into the slots, checks Interrupt and jumps back.
//   - Calls: helpers are called through mov $addr,%r11; call *%r11 with
//     TInt arguments sign-extended. Integer POW and float MOD (math.Mod,
//     bit for bit, with x87 fprem) are machine-code helpers of the
//     Lowerer; float POW has one only if Lowerer.FPow is set.
//   - Call-outs (lower_call.go): generated code never calls Go, so with
//     Lowerer.Callouts set, float POW without FPow and a helper without
//     Helper.Addr (only a Go Fn) become call-outs: the trace stores RBP
//     and R12-R15, the registers regalloc.AMD64 keeps values in across a
//     call, into State.Regs, the argument registers into State.Args, and
//     returns emit.StatusCall|n with a plain ret, as an exit does (nothing
//     is pushed between instructions, so RSP is the entry's). Go runs
//     emit.Trace.Callouts[n].Call (math.Pow, math.Mod or the Fn, on the
//     arguments normalized for their types: the interpreter's own code,
//     so bit for bit its result), stores State.Ret and enters the code at
//     the call-out's Resume address, where the trace reloads those five
//     registers and takes the result from State.Ret; emit.Trace.Run (or a
//     VM's loop over emit.Trace.Serve) does all that. A round trip costs
//     about 9-10 ns more than a direct call to machine code
//     (BenchmarkCallout: 10.6-11.8 ns against 1.5-1.9 ns an iteration of
//     a loop around one call), so hot helpers deserve an Addr. With
//     call-outs off, such a trace is refused (ErrRefused) and stays
//     interpreted. TestLowerCallouts and TestLowerCalloutLoop compare
//     call-outs with 17 values live across them, and inside a compiled
//     loop, with the interpreter; TestLowerCalloutDifferential runs
//     random traces whose every helper is Go-only.
//   - Linking: Linker implements guard.Patcher by retargeting the stubs'
//     jmp rel32 at the side trace, which starts with the exit's values in
//     State.Regs and the spill area.
//   - Preemption: a stop-the-world marks the goroutine for preemption,
//     the back edge sees it and the loop leaves through its interrupt
//     exit, so a GC during a compiled loop takes about as long as one
//     with nothing running (TestLowerGCWhileLooping), where without the
//     check it waits for the whole loop. No timer is needed: a Go timer
//     could not fire while the world is being stopped anyway.
//
// Compile time (BenchmarkCompile*, BenchmarkLower*: 300-600-instruction
// random traces, CPU time on the loaded development machine): allocation
// plus lowering 110-190 (straight) and 170-270 (loop) ns per IR
// instruction, the lowering alone 45-85, with no allocation; the code is
// 10-14 bytes per IR instruction. Installing (two mprotect calls) is
// extra.
//
// # Example
//
// Sum 1..n, with n in the word RDI points to, written last instruction
// first (see Example for the runnable version and its disassembly):
//
//	a := amd64.New(nil)
//	loop, done := a.NewLabel(), a.NewLabel()
//	a.Ret()                                   // done: ret
//	a.Bind(done)
//	a.Jcc(amd64.NE, loop)                     //   jne loop   (rel32, patched by Bind)
//	a.UnopR(amd64.DEC, amd64.S64, amd64.RCX)  //   dec %rcx
//	a.AddRR(amd64.RAX, amd64.RCX)             //   add %rcx,%rax
//	a.Bind(loop)                              // loop:
//	a.Jcc(amd64.LE, done)                     //   jle done   (rel8: done is known)
//	a.TestRR(amd64.S64, amd64.RCX, amd64.RCX) //   test %rcx,%rcx
//	a.MovRI(amd64.RAX, 0)                     //   xor %eax,%eax
//	a.Load(amd64.S64, false, amd64.RCX, amd64.M(amd64.RDI, 0)) // mov (%rdi),%rcx
//	err := a.Finish()
//	blk, err := mem.Load(a.Buf.Bytes())
//	sum := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(&n)))
//
// Disasm and Dump print code in GNU, Go or Intel syntax.
package amd64
