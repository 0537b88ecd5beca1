package amd64

import (
	"encoding/binary"
	"fmt"

	"github.com/jitkit/jitkit/emit"
)

// -- Link stubs -------------------------------------------------------------------
//
// AssembleLink writes the code of an emit.Link: in program order
//
//	mov 8(%rsp),%r11; cmpq $-1314,(%r11); je slow      Go wants the goroutine
//	cmpl $0,Interrupt(%rdi); jne slow                  the VM wants control
//	[movabs $key,%r11; cmp %r11,Key(%rdi); jne slow]   Key
//	mov Slots(%rdi),%rdx; mov Spill(%rdi),%rcx
//	per move: mov Regs+8*i(%rdi) | 8*s(%rcx) | $k, %r11
//	          [cvtsi2sd %r11d,%xmm15; movq %xmm15,%r11]   IntToNum
//	          mov %r11,8*slot(%rdx)
//	[addq $8*delta,Slots(%rdi)]                       SlotsDelta
//	[movq $0,Key(%rdi)]                                DropKey
//	movl $token,Trace(%rdi); movabs $target,%r11; jmp *%r11
//	slow: movabs $slow,%r11; jmp *%r11
//
// Every register but RDI (the state), RSP and EAX (the exit number, which
// the slow path hands to the exit's own handler) is free: the exit stub
// that jumped here has saved what the snapshot needs. Targets are reached
// through R11, so the stub may live anywhere relative to the traces.

// AssembleLink emits the link stub of l into a (after a.Reset, usually);
// install it with a.Install. The stub's entry is the first byte of the
// code.
func AssembleLink(a *Asm, l *emit.Link) error {
	if l.Target == 0 || l.Slow == 0 {
		return fmt.Errorf("amd64: AssembleLink: no target or slow path")
	}
	slow := a.NewLabel()
	// Emission is backwards: the slow path first.
	a.JmpR(R11)
	a.MovRI(R11, int64(l.Slow))
	a.Bind(slow)
	a.JmpR(R11)
	a.MovRI(R11, int64(l.Target))
	a.StoreI(S32, M(RDI, emit.StateTrace), int32(l.Token))
	if l.DropKey {
		a.StoreI(S64, M(RDI, emit.StateKey), 0)
	}
	if l.SlotsDelta != 0 {
		if l.SlotsDelta > 1<<20 || l.SlotsDelta < -(1<<20) {
			return fmt.Errorf("amd64: AssembleLink: slots delta %d out of range", l.SlotsDelta)
		}
		a.AluMI(ADD, S64, M(RDI, emit.StateSlots), 8*l.SlotsDelta)
	}
	for i := len(l.Moves) - 1; i >= 0; i-- {
		m := l.Moves[i]
		if m.Slot < 0 || int64(m.Slot)*8 > 1<<30 {
			return fmt.Errorf("amd64: AssembleLink: slot %d out of range", m.Slot)
		}
		a.Store(S64, M(RDX, 8*m.Slot), R11)
		if m.IntToNum {
			a.MovXG(S64, R11, X15)
			a.Cvtsi2sd(S32, X15, R11)
			a.SseRR(XORPS, X15, X15)
		}
		switch m.From {
		case emit.FromReg:
			if m.Val >= 64 {
				return fmt.Errorf("amd64: AssembleLink: register index %d out of range", m.Val)
			}
			a.Load(S64, false, R11, M(RDI, emit.StateRegs+8*int32(m.Val)))
		case emit.FromSpill:
			if m.Val >= 1<<20 {
				return fmt.Errorf("amd64: AssembleLink: spill slot %d out of range", m.Val)
			}
			a.Load(S64, false, R11, M(RCX, 8*int32(m.Val)))
		case emit.FromConst:
			a.MovRI(R11, int64(m.Val))
		default:
			return fmt.Errorf("amd64: AssembleLink: bad source %d", m.From)
		}
	}
	a.Load(S64, false, RCX, M(RDI, emit.StateSpill))
	a.Load(S64, false, RDX, M(RDI, emit.StateSlots))
	if l.Key != 0 {
		a.Jcc(NE, slow)
		a.AluMR(CMP, S64, M(RDI, emit.StateKey), R11)
		a.MovRI(R11, int64(l.Key))
	}
	a.Jcc(NE, slow)
	a.AluMI(CMP, S32, M(RDI, emit.StateInterrupt), 0)
	a.Jcc(E, slow)
	a.AluMI(CMP, S64, M(R11, 0), -1314) // emit.StackPreempt, sign-extended
	a.Load(S64, false, R11, M(RSP, emit.GuardSlotAMD64))
	return a.Err()
}

// JmpTarget decodes the jmp rel32 at address at in code (the bytes of
// memory starting at base): the handler a not yet linked exit site jumps
// to, which a link stub keeps as its slow path.
func JmpTarget(code []byte, base, at uintptr) (uintptr, error) {
	i := int(at - base)
	if at < base || i+JmpLongSize > len(code) || code[i] != 0xE9 {
		return 0, fmt.Errorf("amd64: JmpTarget: no jmp rel32 at %#x", at)
	}
	d := int32(binary.LittleEndian.Uint32(code[i+1:]))
	return at + JmpLongSize + uintptr(int64(d)), nil
}
