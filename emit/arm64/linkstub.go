package arm64

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jitkit/jitkit/emit"
)

// -- Link stubs --------------------------------------------------------------
//
// AssembleLink writes the code of an emit.Link: in program order
//
//	ldr  x16, [sp, #GuardSlot]; ldr x16, [x16]     Go wants the goroutine
//	cmn  x16, #1314; b.eq slow
//	ldr  w16, [x0, #Interrupt]; cbnz w16, slow     the VM wants control
//	[ldr x16, [x0, #Key]; mov x17, #key; cmp x16, x17; b.ne slow]   Key
//	ldr  x17, [x0, #Slots]; ldr x1, [x0, #Spill]   (x1 only if a move needs it)
//	per move: ldr x16, [x0, #Regs+8*i] | ldr x16, [x1, #8*s] | mov x16, #k
//	          str x16, [x17, #8*slot]
//	   IntToNum: ldr w16, ...; scvtf d31, w16; str d31, [x17, #8*slot]
//	          (a constant is converted when assembling: mov x16, #bits)
//	[str xzr, [x0, #Key]]                           DropKey
//	mov  w16, #token; str w16, [x0, #Trace]
//	mov  x16, #target; br x16
//	slow: mov x16, #slow; br x16
//
// NoCheck leaves out the first three lines.
//
// An offset beyond the 12-bit scaled field (slot or spill slot from 4096
// on) is split: add x2, base, #hi (lsl 12) and the access at [x2, #lo].
//
// Registers. X0 (the state) is kept; SP and X30 (Enter's return address)
// are not touched. Everything else that the stub writes (x1, x2, x16, x17,
// d31) is dead: the exit stub that jumped here has saved what the snapshot
// needs in State.Regs and the spill area. Unlike amd64, no register holds
// the exit number when the stub runs: an arm64 exit site is the br x16 of
// the exit's tail (lower_exit.go), and the exit number is set after it, by
// the handler the jump slot holds until the exit is linked (mov x16, #n;
// b common). So the slow path simply jumps to that handler (Slow, found
// with BTarget), which sets the exit number and leaves as if the exit were
// not linked. Targets are reached through x16, so the stub may live
// anywhere relative to the traces.

// Limits of AssembleLink's moves.
const (
	linkMaxSlot  = 1<<21 - 1 // 8*slot must stay below 2^24 (two add immediates)
	linkMaxSpill = 1<<20 - 1
)

// AssembleLink emits the link stub of l into a (after a.Reset, usually);
// install it with a.Install. The stub's entry is the first byte of the
// code.
func AssembleLink(a *Asm, l *emit.Link) error {
	if l.Target == 0 || l.Slow == 0 {
		return fmt.Errorf("arm64: AssembleLink: no target or slow path")
	}
	spill := false
	for _, m := range l.Moves {
		if m.Slot < 0 || m.Slot > linkMaxSlot {
			return fmt.Errorf("arm64: AssembleLink: slot %d out of range", m.Slot)
		}
		switch m.From {
		case emit.FromReg:
			if m.Val >= 64 {
				return fmt.Errorf("arm64: AssembleLink: register index %d out of range", m.Val)
			}
		case emit.FromSpill:
			if m.Val > linkMaxSpill {
				return fmt.Errorf("arm64: AssembleLink: spill slot %d out of range", m.Val)
			}
			spill = true
		case emit.FromConst:
		default:
			return fmt.Errorf("arm64: AssembleLink: bad source %d", m.From)
		}
	}
	const (
		val   = X16 // the value moved, then the jump addresses
		slots = X17 // State.Slots
		spl   = X1  // State.Spill
		tmp   = X2  // base + high part of a large offset
	)
	fv := D(31)

	// Emission is backwards: the slow path first.
	slow := a.NewLabel()
	a.Br(val)
	a.MovImm(val, uint64(l.Slow))
	a.Bind(slow)
	a.Br(val)
	a.MovImm(val, uint64(l.Target))
	if l.Token == 0 {
		a.Str(Size32, WZR, Off(StateReg, emit.StateTrace))
	} else {
		a.Str(Size32, val.As32(), Off(StateReg, emit.StateTrace))
		a.MovImm(val.As32(), uint64(l.Token))
	}
	if l.DropKey {
		a.Str(Size64, XZR, Off(StateReg, emit.StateKey))
	}
	if l.SlotsDelta != 0 {
		if l.SlotsDelta > 1<<20 || l.SlotsDelta < -(1<<20) {
			return fmt.Errorf("arm64: AssembleLink: slots delta %d out of range", l.SlotsDelta)
		}
		// slots += 8*delta, in two add/sub immediates (each 12 bits,
		// shifted or not).
		d := 8 * int64(l.SlotsDelta)
		a.Str(Size64, slots, Off(StateReg, emit.StateSlots))
		lo := d % 4096
		if hi := d - lo; hi != 0 {
			a.AddImm(slots, slots, hi)
		}
		if lo != 0 {
			a.AddImm(slots, slots, lo)
		}
	}
	for i := len(l.Moves) - 1; i >= 0; i-- {
		m := l.Moves[i]
		// The store.
		base, off := linkAddr(Size64, slots, tmp, 8*int64(m.Slot))
		conv := m.IntToNum && m.From != emit.FromConst
		k := m.Val
		if m.From == emit.FromConst && m.IntToNum {
			k = math.Float64bits(float64(int32(uint32(k))))
		}
		switch {
		case conv:
			a.FStr(fv, Off(base, off))
		case m.From == emit.FromConst && k == 0:
			a.Str(Size64, XZR, Off(base, off))
		default:
			a.Str(Size64, val, Off(base, off))
		}
		if base == tmp {
			a.AddImm(tmp, slots, 8*int64(m.Slot)-int64(off))
		}
		if conv {
			a.Scvtf(fv, val.As32())
		}
		// The load: the low half is enough for a conversion.
		size, dst := Size64, val
		if conv {
			size, dst = Size32, val.As32()
		}
		switch m.From {
		case emit.FromReg:
			a.Ldr(size, false, dst, Off(StateReg, emit.StateRegs+8*int32(m.Val)))
		case emit.FromSpill:
			b, o := linkAddr(size, spl, tmp, 8*int64(m.Val))
			a.Ldr(size, false, dst, Off(b, o))
			if b == tmp {
				a.AddImm(tmp, spl, 8*int64(m.Val)-int64(o))
			}
		case emit.FromConst:
			if k != 0 {
				a.MovImm(val, k)
			}
		}
	}
	if spill {
		a.Ldr(Size64, false, spl, Off(StateReg, emit.StateSpill))
	}
	if len(l.Moves) > 0 || l.SlotsDelta != 0 {
		a.Ldr(Size64, false, slots, Off(StateReg, emit.StateSlots))
	}
	if l.Key != 0 {
		a.BCond(NE, slow)
		a.Cmp(val, slots)
		a.MovImm(slots, l.Key)
		a.Ldr(Size64, false, val, Off(StateReg, emit.StateKey))
	}
	if l.NoCheck {
		return a.Finish()
	}
	a.Cbnz(val.As32(), slow)
	a.Ldr(Size32, false, val.As32(), Off(StateReg, emit.StateInterrupt))
	a.BCond(EQ, slow)
	a.CmnImm(val, int64(^emit.StackPreempt)+1) // cmn #1314: x16 == -1314
	a.Ldr(Size64, false, val, Off(val, 0))
	a.Ldr(Size64, false, val, Off(SP, emit.GuardSlotARM64))
	return a.Finish()
}

// linkAddr returns the base register and offset of an access of size s
// (Size32 or Size64) at base+off, with off a multiple of 8 in [0, 2^24):
// base itself when the offset fits the instruction, else tmp, which the
// caller sets to base + (off &^ 4095).
func linkAddr(s Size, base, tmp Reg, off int64) (Reg, int32) {
	if MemOK(s, off) {
		return base, int32(off)
	}
	return tmp, int32(off & 4095)
}

// Words of an exit's linkable tail (see lower_exit.go).
const (
	tailBrX16   = 0xd61f0200 // br x16: the site
	tailLdrX16  = 0xf9400210 // ldr x16, [x16]
	tailLitX16  = 0x58000010 // ldr x16, literal (mask litMask)
	litMask     = 0xff00001f
	movzX16     = 0xd2800010 // movz x16, #imm (mask moveMask)
	movnX16     = 0x92800010 // movn x16, #imm (mask moveMask)
	moveMask    = 0xff80001f
	orrImmX16   = 0xb20003f0 // orr x16, xzr, #imm (mask orrImmMask)
	orrImmMask  = 0xff8003ff
	bImm26      = 0x14000000 // b imm26 (mask bImm26Mask)
	bImm26Mask  = 0xfc000000
	bImm26Field = 0x03ffffff
)

// BTarget decodes the exit site at address at in code (the bytes of
// memory starting at base) and returns where the exit goes when it is not
// linked: the handler that a link stub keeps as its slow path. A site is
// either
//
//   - a b imm26 (a site that Linker.PatchExit rewrote): its target; or
//   - the br x16 of an exit's linkable tail (ldr x16, lit; ldr x16, [x16];
//     br x16): the exit's handler, which the lowering places right after
//     the br (mov x16, #n; b common) and which the jump slot holds until
//     the exit is linked. The answer does not depend on the slot, so it is
//     the handler even when the exit is linked already.
func BTarget(code []byte, base, at uintptr) (uintptr, error) {
	i := int(at - base)
	if at < base || at&3 != 0 || i+4 > len(code) {
		return 0, fmt.Errorf("arm64: BTarget: %#x is not a word of the code", at)
	}
	word := func(j int) uint32 { return binary.LittleEndian.Uint32(code[j:]) }
	w := word(i)
	switch {
	case w&bImm26Mask == bImm26:
		off := int64(int32(w&bImm26Field<<6)>>6) * 4
		return at + uintptr(off), nil
	case w == tailBrX16 && i >= 8 && i+8 <= len(code) &&
		word(i-4) == tailLdrX16 && word(i-8)&litMask == tailLitX16:
		h := word(i + 4)
		if h&moveMask == movzX16 || h&moveMask == movnX16 || h&orrImmMask == orrImmX16 {
			return at + 4, nil
		}
	}
	return 0, fmt.Errorf("arm64: BTarget: no exit site at %#x (%s)", at, DisasmWord(w))
}
