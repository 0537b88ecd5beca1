package amd64

import (
	"encoding/binary"
	"fmt"
	"sort"

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
//	          (constants last, one mov $k,%r11 per distinct k)
//	[addq $8*delta,Slots(%rdi)]                       SlotsDelta
//	[movq $0,Key(%rdi)]                                DropKey
//	movl $token,Trace(%rdi); movabs $target,%r11; jmp *%r11
//	slow: movabs $slow,%r11; jmp *%r11
//
// NoCheck leaves out the first two lines. Near replaces each movabs and
// jmp *%r11 pair with a jmp rel32 (Install then fails if the stub is
// more than 2 GiB away from Target or Slow).
//
// Every register but RDI (the state), RSP and EAX (the exit number, which
// the slow path hands to the exit's own handler) is free: the exit stub
// that jumped here has saved what the snapshot needs. Targets are reached
// through R11, so the stub may live anywhere relative to the traces.
//
// A direct link (emit.Link.Direct) is reached instead of the exit stub,
// whose first bytes its jump overwrote: every register still holds the
// trace's values. Its checks touch only R11 (the scratch, never a value's
// home); right after them it stores each register move's register
// straight into its slot
//
//	mov Slots(%rdi),%r11
//	per register move: mov %reg,8*slot(%r11) | movsd %xmm,8*slot(%r11)
//
// then, X15 being free, each IntToNum register move's int32 (cvtsi2sd
// %reg32,%xmm15; movsd %xmm15,8*slot(%r11)), and goes on as above (the
// spill base only if a move reads a spill slot, the slots' base in RDX
// only if a move is left to store through it). Its slow path first does
// the exit stub's work: per Saves index, mov %reg,Regs+8*i(%rdi); then
// mov $Exit,%eax.

// AssembleLink emits the link stub of l into a (after a.Reset, usually);
// install it with a.Install. The stub's entry is the first byte of the
// code.
func AssembleLink(a *Asm, l *emit.Link) error {
	if l.Target == 0 || l.Slow == 0 {
		return fmt.Errorf("amd64: AssembleLink: no target or slow path")
	}
	slow := a.NewLabel()
	// Emission is backwards: the slow path first.
	if l.Near {
		a.JmpAbs(l.Slow)
	} else {
		a.JmpR(R11)
		a.MovRI(R11, int64(l.Slow))
	}
	if l.Direct {
		// What the exit code this stub's jump overwrote would have done.
		a.MovRI(RAX, int64(l.Exit))
		for i := len(l.Saves) - 1; i >= 0; i-- {
			r, ok := directReg(uint64(l.Saves[i]))
			if !ok {
				return fmt.Errorf("amd64: AssembleLink: register index %d cannot hold a value at an exit", l.Saves[i])
			}
			if r.IsX() {
				a.StoreSD(M(RDI, emit.StateRegs+8*int32(l.Saves[i])), r)
			} else {
				a.Store(S64, M(RDI, emit.StateRegs+8*int32(l.Saves[i])), r)
			}
		}
	}
	a.Bind(slow)
	if l.Near {
		a.JmpAbs(l.Target)
	} else {
		a.JmpR(R11)
		a.MovRI(R11, int64(l.Target))
	}
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
	// Constants last, grouped by value: one mov $k,%r11 per distinct word
	// (the moves write distinct slots, so their order is free).
	var ks []emit.LinkMove
	for _, m := range l.Moves {
		if m.From == emit.FromConst && !m.IntToNum {
			ks = append(ks, m)
		}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].Val < ks[j].Val })
	for i := len(ks) - 1; i >= 0; i-- {
		m := ks[i]
		if m.Slot < 0 || int64(m.Slot)*8 > 1<<30 {
			return fmt.Errorf("amd64: AssembleLink: slot %d out of range", m.Slot)
		}
		a.Store(S64, M(RDX, 8*m.Slot), R11)
		if i == 0 || ks[i-1].Val != m.Val {
			a.MovRI(R11, int64(m.Val))
		}
	}
	for i := len(l.Moves) - 1; i >= 0; i-- {
		m := l.Moves[i]
		if m.Slot < 0 || int64(m.Slot)*8 > 1<<30 {
			return fmt.Errorf("amd64: AssembleLink: slot %d out of range", m.Slot)
		}
		if m.From == emit.FromConst && !m.IntToNum {
			continue // above
		}
		if l.Direct && m.From == emit.FromReg {
			if r, _ := directReg(m.Val); !m.IntToNum || !r.IsX() {
				continue // stored from its register before RCX and RDX were loaded
			}
			// An int32 in an XMM register: its word is in the slot
			// already; convert it there.
			a.Store(S64, M(RDX, 8*m.Slot), R11)
			a.MovXG(S64, R11, X15)
			a.Cvtsi2sd(S32, X15, R11)
			a.SseRR(XORPS, X15, X15)
			a.Load(S32, false, R11, M(RDX, 8*m.Slot))
			continue
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
	spill := !l.Direct
	slots := false // a move stores through RDX
	for _, m := range l.Moves {
		spill = spill || m.From == emit.FromSpill
		if r, _ := directReg(m.Val); !l.Direct || m.From != emit.FromReg || m.IntToNum && r.IsX() {
			slots = true
		}
	}
	if spill {
		a.Load(S64, false, RCX, M(RDI, emit.StateSpill))
	}
	if slots {
		a.Load(S64, false, RDX, M(RDI, emit.StateSlots))
	}
	if l.Direct {
		if err := directMoves(a, l.Moves); err != nil {
			return err
		}
	}
	if l.Key != 0 {
		a.Jcc(NE, slow)
		a.AluMR(CMP, S64, M(RDI, emit.StateKey), R11)
		a.MovRI(R11, int64(l.Key))
	}
	if l.NoCheck {
		return a.Err()
	}
	a.Jcc(NE, slow)
	a.AluMI(CMP, S32, M(RDI, emit.StateInterrupt), 0)
	a.Jcc(E, slow)
	a.AluMI(CMP, S64, M(R11, 0), -1314) // emit.StackPreempt, sign-extended
	a.Load(S64, false, R11, M(RSP, emit.GuardSlotAMD64))
	return a.Err()
}

// directMoves emits the register moves of a direct link, which run first,
// while the registers hold the exit's values: with the slots' base in R11,
// every plain move's register into its slot (X15 among them), then every
// int32 of a general register converted in X15 (once per register) into
// its slot. An int32 in an XMM register is stored as it is and converted
// in place later. Emission is backwards.
func directMoves(a *Asm, moves []emit.LinkMove) error {
	type op struct {
		r    Reg
		slot int32
		conv bool // cvtsi2sd r32 into X15 before the store
	}
	var plain, ints []op
	last := Reg(0xff)
	for _, m := range moves {
		if m.From != emit.FromReg {
			continue
		}
		if m.Slot < 0 || int64(m.Slot)*8 > 1<<30 {
			return fmt.Errorf("amd64: AssembleLink: slot %d out of range", m.Slot)
		}
		r, ok := directReg(m.Val)
		if !ok {
			return fmt.Errorf("amd64: AssembleLink: register index %d cannot hold a value at an exit", m.Val)
		}
		if m.IntToNum && !r.IsX() {
			ints = append(ints, op{r: r, slot: m.Slot, conv: r != last})
			last = r
			continue
		}
		plain = append(plain, op{r: r, slot: m.Slot})
	}
	for i := len(ints) - 1; i >= 0; i-- {
		o := ints[i]
		a.StoreSD(M(R11, 8*o.slot), X15)
		if o.conv {
			a.Cvtsi2sd(S32, X15, o.r)
			a.SseRR(XORPS, X15, X15)
		}
	}
	for i := len(plain) - 1; i >= 0; i-- {
		o := plain[i]
		if o.r.IsX() {
			a.StoreSD(M(R11, 8*o.slot), o.r)
		} else {
			a.Store(S64, M(R11, 8*o.slot), o.r)
		}
	}
	if len(plain)+len(ints) > 0 {
		a.Load(S64, false, R11, M(RDI, emit.StateSlots))
	}
	return nil
}

// directReg is the register of State.Regs index v (general register n at
// n, XMM n at 32+n) in a direct link: false for the registers that hold
// no value at an exit (RSP, RDI the state, R11 the scratch).
func directReg(v uint64) (Reg, bool) {
	switch {
	case v < 16:
		r := RAX + Reg(v)
		return r, r != RSP && r != RDI && r != R11
	case v >= 32 && v < 48:
		return X0 + Reg(v-32), true
	}
	return 0, false
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
