//go:build !student

package lab5

import (
	. "github.com/jitkit/jitkit/emit/amd64"
)

type reference struct{}

func newImpl() Emitter { return reference{} }

// Emit writes the loop, last instruction first. In program order:
//
//	mov (%rdi),%rsi; mov 8(%rdi),%rcx; mov 16(%rdi),%rdx   tape, p, len
//	lea 1(%rcx),%r8                                         p+1
//	cmp %rdx,%rcx; jae bad; cmp %rdx,%r8; jae bad           bounds, unsigned
//	loop: mov (%rsi,%rcx,8),%rax; test %rax,%rax; je done
//	      sub $1,%rax; and $255,%rax; mov %rax,(%rsi,%rcx,8)
//	      mov (%rsi,%r8,8),%rax; add $1,%rax; and $255,%rax; mov %rax,(%rsi,%r8,8)
//	      jmp loop
//	done: xor %eax,%eax; ret
//	bad:  mov $1,%eax; ret
func (reference) Emit(a *Asm) {
	loop, done, bad := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Ret()
	a.MovRI(RAX, 1)
	a.Bind(bad)
	a.Ret()
	a.MovRI(RAX, 0)
	a.Bind(done)
	a.Jmp(loop) // a back edge: loop is bound later in emission, so rel32 + fixup
	a.Store(S64, MI(RSI, R8, 8, 0), RAX)
	a.AluRI(AND, S64, RAX, 255)
	a.AluRI(ADD, S64, RAX, 1)
	a.Load(S64, false, RAX, MI(RSI, R8, 8, 0))
	a.Store(S64, MI(RSI, RCX, 8, 0), RAX)
	a.AluRI(AND, S64, RAX, 255)
	a.AluRI(SUB, S64, RAX, 1)
	a.Jcc(E, done) // forward: done is already bound, so the short form
	a.TestRR(S64, RAX, RAX)
	a.Load(S64, false, RAX, MI(RSI, RCX, 8, 0))
	a.Bind(loop)
	a.Jcc(AE, bad)
	a.AluRR(CMP, S64, R8, RDX)
	a.Jcc(AE, bad)
	a.AluRR(CMP, S64, RCX, RDX)
	a.Lea(S64, R8, M(RCX, 1))
	a.Load(S64, false, RDX, M(RDI, 16))
	a.Load(S64, false, RCX, M(RDI, 8))
	a.Load(S64, false, RSI, M(RDI, 0))
}
