// Package amd64 encodes x86-64 machine code for jitkit's trace compiler. It
// sits at the very end of the pipeline: the amd64 lowering walks an
// allocated trace backwards and calls one Asm method per machine
// instruction; the bytes land in an emit.Buf, are copied into emit.Mem and
// run through emit.Enter.
//
// # The idea
//
// An instruction is prefixes, REX, opcode, ModRM, SIB, displacement and
// immediate. Asm builds each instruction front to back in a 16-byte array
// on the stack and prepends it to the buffer, so emission runs from the end
// of the code to its start (see package emit for why). Every choice that
// makes code shorter is made here, once: the sign-extended imm8 forms, the
// accumulator forms for RAX, no displacement / disp8 / disp32, the SIB byte
// and zero displacement that RSP/R12 and RBP/R13 bases need, mov r32 vs
// mov r64, imm32 vs movabs (MovRI), shift-by-one, and rel8 branches where
// the target is known and near. The byte-for-byte reference is GNU as:
// the tests assemble thousands of operand combinations with `as --64` and
// compare, then decode our bytes with golang.org/x/arch and compare the
// text with objdump's.
//
// # Operands
//
// Registers are small integers (RAX..R15, X0..X15); the operand size is a
// separate argument (S8, S16, S32, S64), so one Reg names rax, eax, ax and
// al. A memory operand is Mem{Base, Index, Scale, Disp}; Base may be NoReg
// (absolute) or RIP, and LabelMem addresses a label RIP-relatively.
// Instructions that take an operation (AluRR(ADD, ...), SseRR(MULSD, ...),
// ShiftRI(SAR, ...)) read one small table, so the test covers them all.
//
// # Errors
//
// Encoding errors (an SSE register where a general one belongs, RSP as an
// index, an unsupported size) are sticky: the instruction is dropped and
// Err/Finish report the first problem. Nothing panics on bad operands.
//
// # Branches and the trade-off of emitting backwards
//
// A label bound earlier in emission lies later in the code, so a branch to
// it knows its distance and uses rel8 when it reaches. A branch to a label
// bound later (a loop back edge) gets a rel32 that Bind patches: loop back
// edges therefore always cost the long form, which LuaJIT accepts too.
// JmpLong/JccLong always use rel32 so that an exit can be relinked in place
// (PatchJmp, PatchJcc with emit.Mem.Patch). Targets outside the buffer
// (exit handlers, other traces) use JmpAbs/JccAbs/CallAbs and are resolved
// by Link once the code's address is known.
//
// # Example
//
// Sum 1..n, with n in the state word that RDI points to (emit's calling
// contract), written last instruction first:
//
//	a := amd64.New(nil)
//	loop := a.NewLabel()
//	a.Ret()                             //       ret
//	a.Jcc(amd64.NE, loop)               //       jne  loop   (rel32, patched)
//	a.UnopR(amd64.DEC, amd64.S64, amd64.RCX) //  dec  %rcx
//	a.AddRR(amd64.RAX, amd64.RCX)       //       add  %rcx,%rax
//	a.Bind(loop)                        // loop:
//	a.MovRI(amd64.RAX, 0)               //       xor  %eax,%eax
//	a.Load(amd64.S64, false, amd64.RCX, amd64.M(amd64.RDI, 0)) // mov (%rdi),%rcx
//	err := a.Finish()
//	blk, err := mem.Load(a.Buf.Bytes())
//	sum := emit.Enter(blk.Addr, uintptr(unsafe.Pointer(&n)))
//
// Disasm and Dump print the result in GNU, Go or Intel syntax.
package amd64
