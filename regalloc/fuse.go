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
// word is still the one loaded), and the load returned as load. An
// integer comparison guard (EQ, NE, LT, ...) of type TInt, TI64 or TPtr
// fuses the same way with an FLOAD or XLOAD of its own type: x86's cmp
// mem, reg|imm compares a record's field in place. So does the SEXT to
// i64 of a TInt FLOAD: movslq ofs(obj), d.
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
	return fusedLoad(tr, r, tr.Ins(r))
}

// fusedLoad is FusedLoad of instruction r, ins, on a target with
// FuseLoads.
func fusedLoad(tr *irkit.Trace, r irkit.Ref, ins irkit.Ins) (load irkit.Ref, ok bool) {
	cmp := false
	switch ins.Op {
	case irkit.SEXT:
		// movslq ofs(obj), d: a TInt field sign-extended as it is loaded.
		x := ins.Op1
		if !x.IsIns() || x >= r || r-x > fuseReach || ins.T.Base() != irkit.TI64 {
			return irkit.NoRef, false
		}
		if li := tr.Ins(x); li.Op != irkit.FLOAD || li.T.Base() != irkit.TInt || !quiet(tr, x, r) {
			return irkit.NoRef, false
		}
		return x, true
	case irkit.ISNUM, irkit.UNBOXN:
	case irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT:
		if ins.Op2 == ins.Op1 {
			return irkit.NoRef, false
		}
		cmp = true
	default:
		return irkit.NoRef, false
	}
	x := ins.Op1
	if !x.IsIns() || x >= r || r-x > fuseReach {
		return irkit.NoRef, false
	}
	li := tr.Ins(x)
	switch li.Op {
	case irkit.SLOAD, irkit.FLOAD, irkit.ALOAD, irkit.XLOAD:
	default:
		return irkit.NoRef, false
	}
	switch li.T.Base() {
	case irkit.TVal:
		if li.Op == irkit.XLOAD || cmp && ins.Op != irkit.EQ && ins.Op != irkit.NE {
			return irkit.NoRef, false
		}
	case irkit.TInt, irkit.TI64, irkit.TPtr:
		// An integer field compared as it is: cmp mem, reg|imm. Not when
		// the second operand is a field FusedLoad2 reads in memory
		// instead (cmp mem, reg with the first in a register): x86
		// reads one operand in memory, and fusing the first would load
		// the second into a register.
		if !cmp || li.Op != irkit.FLOAD && li.Op != irkit.XLOAD || ins.T.Base() != li.T.Base() {
			return irkit.NoRef, false
		}
		if _, ok := fusedLoad2(tr, r, ins); ok {
			return irkit.NoRef, false
		}
	default:
		return irkit.NoRef, false
	}
	if !quiet(tr, x, r) {
		return irkit.NoRef, false
	}
	return x, true
}

// quiet reports whether no instruction strictly between x and r stores,
// calls or has another side effect (LOOP included), so that memory x
// loaded is still the same at r.
func quiet(tr *irkit.Trace, x, r irkit.Ref) bool {
	for p := x + 1; p < r; p++ {
		if op := tr.Ins(p).Op; op.Has(irkit.FStore) || op.Has(irkit.FCall) || op.Has(irkit.FSide) {
			return false
		}
	}
	return true
}

// FusedLoad2 reports whether instruction r, an integer comparison guard
// on a target with FuseLoads, reads its second operand's memory word
// itself: x86's cmp mem, reg. The operand must be an FLOAD of the
// comparison's type loaded at most fuseReach instructions before r, with
// no store, call, LOOP or other side effect in between, and r's first
// operand must not be fused (FusedLoad). The allocation then gives r the
// FLOAD's object in place of the second operand, and the FLOAD gets no
// register when nothing else reads it: a bounds check compares the index
// with the array's length in memory.
func (t *Target) FusedLoad2(tr *irkit.Trace, r irkit.Ref) (load irkit.Ref, ok bool) {
	if !t.FuseLoads || !r.IsIns() {
		return irkit.NoRef, false
	}
	ins := tr.Ins(r)
	if _, ok := fusedLoad(tr, r, ins); ok {
		return irkit.NoRef, false
	}
	return fusedLoad2(tr, r, ins)
}

// fusedLoad2 is FusedLoad2 of instruction r, ins, whose first operand
// is not fused, on a target with FuseLoads.
func fusedLoad2(tr *irkit.Trace, r irkit.Ref, ins irkit.Ins) (load irkit.Ref, ok bool) {
	switch ins.Op {
	case irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT:
	default:
		return irkit.NoRef, false
	}
	switch ins.T.Base() {
	case irkit.TInt, irkit.TI64, irkit.TPtr:
	default:
		return irkit.NoRef, false
	}
	x := ins.Op2
	if !x.IsIns() || x >= r || r-x > fuseReach || x == ins.Op1 {
		return irkit.NoRef, false
	}
	li := tr.Ins(x)
	if li.Op != irkit.FLOAD || li.T.Base() != ins.T.Base() || !quiet(tr, x, r) {
		return irkit.NoRef, false
	}
	return x, true
}

// loadAddr returns the operand that fused instruction r reads in place
// of its value operand: the address of an FLOAD or ALOAD, or NoRef for an
// SLOAD.
func loadAddr(tr *irkit.Trace, load irkit.Ref) irkit.Ref {
	if li := tr.Ins(load); li.Op != irkit.SLOAD {
		return li.Op1
	}
	return irkit.NoRef
}

// memAddr returns the address operand through which instruction r, ins,
// reads or writes memory: Op1 of an ALOAD, XLOAD, ASTORE, XSTORE or
// FSTORE, or the address of the ALOAD a fused check or unbox reads
// (load, from FusedLoad, or NoRef). It returns NoRef for anything else
// (an FLOAD addresses its object and offset directly, an SLOAD its slot).
func memAddr(tr *irkit.Trace, ins irkit.Ins, load irkit.Ref) irkit.Ref {
	switch ins.Op {
	case irkit.ALOAD, irkit.XLOAD, irkit.ASTORE, irkit.XSTORE, irkit.FSTORE, irkit.FLOAD:
		return ins.Op1
	case irkit.ISNUM, irkit.UNBOXN, irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT,
		irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT:
		if load != irkit.NoRef {
			if li := tr.Ins(load); li.Op == irkit.ALOAD || li.Op == irkit.FLOAD {
				return li.Op1
			}
		}
	}
	return irkit.NoRef
}

// maxFusedDisp bounds the displacement of a fused address, with room for
// an FLOAD's 16-bit offset and the +4 of a fused check's upper half.
const maxFusedDisp = 1<<31 - 1<<16 - 16

// FusedAddr reports whether instruction r, on a target with FuseAddrs,
// addresses memory through the AREF or FREF addr itself (an x86 memory
// operand base+8*index+disp) instead of addr's register. r is a load or
// store through addr (ALOAD, XLOAD, ASTORE, XSTORE, FSTORE, or an FLOAD
// of a field of the object at addr, its offset added) or a check or
// unbox fused with such an ALOAD or FLOAD (FusedLoad). addr must be at most
// fuseReach instructions before r with no LOOP in between, so that its
// operands' lives are barely stretched and a loop invariant address is
// not split into two invariants. An FREF obj #ofs or an AREF with a
// constant index becomes base+disp; an AREF with an index in a register
// only for an instruction that reads no other register (ALOAD, XLOAD,
// FLOAD, a fused ISNUM or UNBOXN), which then has the index in Op2's place (read
// through a BCAST from another 64-bit integer word: fusedIndex).
//
// The allocation then gives r the base (and index) in place of addr, and
// an address that nothing else reads gets no register and no code: x86
// loads, stores and compares through (%base,%index,8) where the unfused
// form first computes the address with a lea.
func (t *Target) FusedAddr(tr *irkit.Trace, r irkit.Ref) (addr irkit.Ref, ok bool) {
	if !t.FuseAddrs || !r.IsIns() {
		return irkit.NoRef, false
	}
	ins := tr.Ins(r)
	load := irkit.NoRef
	if t.FuseLoads {
		load, _ = fusedLoad(tr, r, ins)
	}
	return t.fusedAddr(tr, r, ins.Op, memAddr(tr, ins, load))
}

// fusedAddr is FusedAddr of instruction r, of opcode op, addressing
// memory through x (memAddr), on a target with FuseAddrs.
func (t *Target) fusedAddr(tr *irkit.Trace, r irkit.Ref, op irkit.Op, x irkit.Ref) (addr irkit.Ref, ok bool) {
	if !x.IsIns() || x >= r || r-x > fuseReach {
		return irkit.NoRef, false
	}
	if tr.Loop != irkit.NoRef && x < tr.Loop && tr.Loop < r {
		return irkit.NoRef, false
	}
	ai := tr.Ins(x)
	switch ai.Op {
	case irkit.FREF:
		if d := int64(int32(ai.Op2)); d < -maxFusedDisp || d > maxFusedDisp {
			return irkit.NoRef, false
		}
		return x, true
	case irkit.AREF:
	default:
		return irkit.NoRef, false
	}
	if _, ok := t.arefDisp(tr, ai); ok {
		return x, true
	}
	if ai.Op2.IsConst() {
		return irkit.NoRef, false // a constant index out of displacement range
	}
	switch op {
	case irkit.ALOAD, irkit.XLOAD, irkit.FLOAD, irkit.ISNUM, irkit.UNBOXN:
		return x, true
	}
	return irkit.NoRef, false
}

// arefDisp returns the displacement 8*k of an AREF whose index is the
// integer constant k (verified traces index with int or i64 only), if it
// fits a fused address.
func (t *Target) arefDisp(tr *irkit.Trace, ai irkit.Ins) (int32, bool) {
	if !ai.Op2.IsConst() {
		return 0, false
	}
	w, ok := tr.KWord(ai.Op2)
	if k := int64(w); !ok || k < -maxFusedDisp/8 || k > maxFusedDisp/8 {
		return 0, false
	}
	return int32(8 * int64(w)), true
}

// FusedMem describes the memory operand of an instruction with a fused
// address (FusedAddr): the base is the allocation's Op1 register, the
// index (if Index) its Op2 register scaled by 8, and Disp the constant
// displacement. IndexInt says the index is a TInt, to be sign-extended
// first.
type FusedMem struct {
	Disp            int32
	Index, IndexInt bool
}

// FusedMemOf returns the memory operand of r's fused address addr.
func (t *Target) FusedMemOf(tr *irkit.Trace, addr irkit.Ref) FusedMem {
	ai := tr.Ins(addr)
	if ai.Op == irkit.FREF {
		return FusedMem{Disp: int32(ai.Op2)}
	}
	if d, ok := t.arefDisp(tr, ai); ok {
		return FusedMem{Disp: d}
	}
	x, d := fusedIndex(tr, ai)
	return FusedMem{Disp: d, Index: true, IndexInt: tr.Ins(x).T.Base() == irkit.TInt}
}

// fusedIndex is the index a fused AREF ai reads: its Op2, or the operand
// of a BCAST between 64-bit integer words there (the same bits, so the
// BCAST needs no register of its own). An i64 index x+k (an ADD of an
// i64 value and a constant) becomes index x and displacement disp = 8*k:
// the address wraps modulo 2^64 either way, so the ADD needs no register
// of its own either (a record below the top, n*4-4, is addressed as
// -32(base,n*4,8)).
func fusedIndex(tr *irkit.Trace, ai irkit.Ins) (x irkit.Ref, disp int32) {
	x = ai.Op2
	if !x.IsIns() {
		return x, 0
	}
	if k, y, ok := indexAdd(tr, x); ok {
		x, disp = y, int32(8*k)
	}
	if bi := tr.Ins(x); bi.Op == irkit.BCAST && bi.T.Is64() && bi.Op1.IsIns() {
		if st := tr.Ins(bi.Op1).T; st.Is64() && ClassOf(st) == GPR && ClassOf(bi.T) == GPR {
			return bi.Op1, disp
		}
	}
	return x, disp
}

// indexAdd reports whether x is an ADD of type i64 of an i64 instruction
// y and a constant k whose 8*k fits a fused displacement.
func indexAdd(tr *irkit.Trace, x irkit.Ref) (k int64, y irkit.Ref, ok bool) {
	ins := tr.Ins(x)
	if ins.Op != irkit.ADD || ins.T != irkit.TI64 || !ins.Op1.IsIns() || !ins.Op2.IsConst() ||
		tr.Ins(ins.Op1).T.Base() != irkit.TI64 {
		return 0, irkit.NoRef, false
	}
	w, ok := tr.KWord(ins.Op2)
	if k = int64(w); !ok || k < -maxFusedDisp/8 || k > maxFusedDisp/8 {
		return 0, irkit.NoRef, false
	}
	return k, ins.Op1, true
}

// fusible marks the opcodes that may read an operand through a fused
// load or address: the checks and unboxes of FusedLoad, the comparisons
// of FusedLoad2, the loads and stores of FusedAddr.
var fusible = func() (f [irkit.NumOps]bool) {
	for _, op := range []irkit.Op{irkit.ISNUM, irkit.UNBOXN, irkit.SEXT, irkit.EQ, irkit.NE, irkit.LT, irkit.GE,
		irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT,
		irkit.ALOAD, irkit.XLOAD, irkit.FLOAD, irkit.ASTORE, irkit.XSTORE, irkit.FSTORE} {
		f[op] = true
	}
	return f
}()

// Operands returns the value operands instruction r reads from its
// allocation, as tr.Operands does, except that a fused check or unbox
// reads its load's address operand instead of the loaded value (NoRef for
// an SLOAD's slot), and an instruction with a fused address (FusedAddr)
// reads the address's base as its first operand and, for an index in a
// register, the index as its second; a comparison that reads its second
// operand in memory (FusedLoad2) reads the FLOAD's object instead. The
// allocator, the checker and the
// tools that chart an allocation's live ranges all use it.
func (t *Target) Operands(tr *irkit.Trace, r irkit.Ref) (a, c irkit.Ref) {
	a, c = tr.Operands(r)
	if !t.FuseLoads && !t.FuseAddrs || !r.IsIns() {
		return a, c
	}
	ins := tr.Ins(r)
	if ins.Op == irkit.AREF && t.FuseAddrs && !ins.Op2.IsConst() {
		// An AREF computed into a register folds its index the same way
		// (lea disp(base,index,8)): FusedMemOf of the AREF itself.
		c, _ = fusedIndex(tr, ins)
		return a, c
	}
	if ins.Op >= irkit.NumOps || !fusible[ins.Op] {
		return a, c
	}
	load := irkit.NoRef
	if t.FuseLoads {
		var ok bool
		if load, ok = fusedLoad(tr, r, ins); ok {
			a = loadAddr(tr, load)
		} else if load2, ok := fusedLoad2(tr, r, ins); ok {
			c = tr.Ins(load2).Op1
		}
	}
	if !t.FuseAddrs {
		return a, c
	}
	if addr, ok := t.fusedAddr(tr, r, ins.Op, memAddr(tr, ins, load)); ok {
		ai := tr.Ins(addr)
		a = ai.Op1
		if ai.Op == irkit.AREF && !ai.Op2.IsConst() {
			c, _ = fusedIndex(tr, ai)
		}
	}
	return a, c
}
