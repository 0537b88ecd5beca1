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
