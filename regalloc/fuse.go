package regalloc

import "github.com/jitkit/jitkit/irkit"

// fuseReach is how many instructions a fused check or unbox may sit after
// its load: far enough for a recorder's load, check, unbox sequence with
// a snapshot or an address computation between, near enough that the
// address operand's life is not stretched across a trace.
const fuseReach = 8

// FusedLoad reports whether instruction r of tr, an ISNUM or UNBOXN, or
// an EQ or NE guard, reads its (first) operand's memory word itself
// instead of the operand's register, on a target with FuseLoads. The
// operand must be a TVal loaded
// by an SLOAD, FLOAD or ALOAD at most fuseReach instructions before r,
// with no store, call, LOOP or other side effect in between (so the
// word is still the one loaded), and the load returned as load.
//
// The allocation then gives r the load's address operand in place of the
// value (Op1 is the register of an FLOAD's or ALOAD's Op1; an SLOAD's
// slot needs none), and the load itself gets no register when nothing
// else reads the value: x86 checks a value's type with one compare of
// its upper half in memory and unboxes a number with one load into an
// XMM register, where the unfused form loads the word, copies it, shifts,
// compares and moves it across register files; a table key's guard
// compares the node's key in memory.
func (t *Target) FusedLoad(tr *irkit.Trace, r irkit.Ref) (load irkit.Ref, ok bool) {
	if !t.FuseLoads || !r.IsIns() {
		return irkit.NoRef, false
	}
	ins := tr.Ins(r)
	switch ins.Op {
	case irkit.ISNUM, irkit.UNBOXN:
	case irkit.EQ, irkit.NE:
		if ins.Op2 == ins.Op1 {
			return irkit.NoRef, false
		}
	default:
		return irkit.NoRef, false
	}
	x := ins.Op1
	if !x.IsIns() || x >= r || r-x > fuseReach {
		return irkit.NoRef, false
	}
	li := tr.Ins(x)
	switch li.Op {
	case irkit.SLOAD, irkit.FLOAD, irkit.ALOAD:
	default:
		return irkit.NoRef, false
	}
	if li.T.Base() != irkit.TVal {
		return irkit.NoRef, false
	}
	for p := x + 1; p < r; p++ {
		if op := tr.Ins(p).Op; op.Has(irkit.FStore) || op.Has(irkit.FCall) || op.Has(irkit.FSide) {
			return irkit.NoRef, false
		}
	}
	return x, true
}

// fusedAddr returns the operand that fused instruction r reads in place
// of its value operand: the address of an FLOAD or ALOAD, or NoRef for an
// SLOAD.
func fusedAddr(tr *irkit.Trace, load irkit.Ref) irkit.Ref {
	if li := tr.Ins(load); li.Op != irkit.SLOAD {
		return li.Op1
	}
	return irkit.NoRef
}

// Operands returns the value operands instruction r reads from its
// allocation, as tr.Operands does, except that a fused check or unbox
// reads its load's address operand instead of the loaded value (NoRef for
// an SLOAD's slot). Tools that chart an allocation's live ranges use it.
func (t *Target) Operands(tr *irkit.Trace, r irkit.Ref) (a, c irkit.Ref) {
	a, c = tr.Operands(r)
	if load, ok := t.FusedLoad(tr, r); ok {
		a = fusedAddr(tr, load)
	}
	return a, c
}
