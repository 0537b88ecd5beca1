package irkit

// Why CSE by opcode chains: every instruction links to the previous one of
// the same opcode (Ins.Prev), so looking for an identical instruction means
// walking one short list, newest first, with no hash table. The walk stops
// at the newer of the two operands, because an instruction can only follow
// its operands; in recorded code operands are mostly recent, so the walk
// is a handful of compares. Loads are only matched after the last
// instruction that may write memory (a store or a call with side
// effects); everything with side effects is never matched at all.

// cse returns an existing instruction identical to (op, ty, a, c), or
// NoRef.
func (b *Builder) cse(op Op, ty Type, a, c Ref) Ref {
	t := b.T
	info := &opInfo[op]
	limit := Bias
	if info.Mode1 == ModeRef && a > limit {
		limit = a
	}
	if info.Mode2 == ModeRef && c > limit {
		limit = c
	}
	if info.Flags&FLoad != 0 && b.lastStore > limit {
		limit = b.lastStore
	}
	for r := t.chain[op]; r > limit; {
		ins := &t.ir[r-t.lo]
		if ins.Op1 == a && ins.Op2 == c && ins.T == ty {
			return r
		}
		r = ins.Prev
	}
	return NoRef
}

// forward returns the value the newest store wrote, if the load (op, ty,
// a, c) reads exactly what that store wrote: the same kind of memory, the
// same address reference and the same type. Nothing between the store and
// the load can have written memory (the store is the newest instruction
// that may), so no alias analysis is needed. It returns NoRef otherwise.
func (b *Builder) forward(op Op, ty Type, a, c Ref) Ref {
	s := b.lastStore
	if s == NoRef {
		return NoRef
	}
	t := b.T
	st := &t.ir[s-t.lo]
	if st.T.Base() != ty.Base() {
		return NoRef
	}
	switch {
	case op == SLOAD && st.Op == SSTORE && st.Op1 == a,
		op == ALOAD && st.Op == ASTORE && st.Op1 == a,
		op == XLOAD && st.Op == XSTORE && st.Op1 == a:
		return st.Op2
	case op == FLOAD && st.Op == FSTORE:
		if fr := &t.ir[st.Op1-t.lo]; fr.Op == FREF && fr.Op1 == a && fr.Op2 == c {
			return st.Op2
		}
	}
	return NoRef
}
