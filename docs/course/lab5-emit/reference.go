//go:build !student

package lab5

import "github.com/jitkit/jitkit/emit/amd64"

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
func (reference) Emit(a *amd64.Asm) {
	loop, done, bad := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Ret()
	a.MovRI(amd64.RAX, 1)
	a.Bind(bad)
	a.Ret()
	a.MovRI(amd64.RAX, 0)
	a.Bind(done)
	a.Jmp(loop) // a back edge: loop is bound later in emission, so rel32 + fixup
	a.Store(amd64.S64, amd64.MI(amd64.RSI, amd64.R8, 8, 0), amd64.RAX)
	a.AluRI(amd64.AND, amd64.S64, amd64.RAX, 255)
	a.AluRI(amd64.ADD, amd64.S64, amd64.RAX, 1)
	a.Load(amd64.S64, false, amd64.RAX, amd64.MI(amd64.RSI, amd64.R8, 8, 0))
	a.Store(amd64.S64, amd64.MI(amd64.RSI, amd64.RCX, 8, 0), amd64.RAX)
	a.AluRI(amd64.AND, amd64.S64, amd64.RAX, 255)
	a.AluRI(amd64.SUB, amd64.S64, amd64.RAX, 1)
	a.Jcc(amd64.E, done) // forward: done is already bound, so the short form
	a.TestRR(amd64.S64, amd64.RAX, amd64.RAX)
	a.Load(amd64.S64, false, amd64.RAX, amd64.MI(amd64.RSI, amd64.RCX, 8, 0))
	a.Bind(loop)
	a.Jcc(amd64.AE, bad)
	a.AluRR(amd64.CMP, amd64.S64, amd64.R8, amd64.RDX)
	a.Jcc(amd64.AE, bad)
	a.AluRR(amd64.CMP, amd64.S64, amd64.RCX, amd64.RDX)
	a.Lea(amd64.S64, amd64.R8, amd64.M(amd64.RCX, 1))
	a.Load(amd64.S64, false, amd64.RDX, amd64.M(amd64.RDI, 16))
	a.Load(amd64.S64, false, amd64.RCX, amd64.M(amd64.RDI, 8))
	a.Load(amd64.S64, false, amd64.RSI, amd64.M(amd64.RDI, 0))
}
