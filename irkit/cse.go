package irkit

// Why CSE by opcode chains: every instruction links to the previous one of
// the same opcode (Ins.Prev), so looking for an identical instruction means
// walking one short list, newest first, with no hash table. The walk stops
// at the newer of the two operands, because an instruction can only follow
// its operands; in recorded code operands are mostly recent, so the walk
// is a handful of compares. Loads are only matched after the last
// instruction that may write what they read; everything with side effects
// is never matched at all.
//
// Why fields may be declared apart too (Builder.FieldsDisjoint): a
// language whose FLOAD/FSTORE only ever address the fields of its own
// objects at their fixed offsets knows that a store to one field (a hash
// node's value) cannot change another (the table's node pointer): then
// only an FSTORE of the same offset kills an FLOAD, and a field read
// after a store to another field is found by CSE, as LuaJIT's field
// references are told apart by field. Objects of different kinds may have
// different fields at one offset (a closure's upvalue array and a hash
// node's value): with FieldsTyped too, fields at one offset are told apart
// by the class of their type, so a store of a number into a node's value
// keeps the pointer loaded from a closure at the same offset. Fields are not slots, either, so a
// slot read after a field store is found too: a loop that stores to
// table fields keeps its invariant slot loads out of the loop.
//
// Why slots and memory may be declared apart (Builder.SlotsDisjoint):
// interpreter slots are addressed by number (SLOAD/SSTORE #slot), and no
// opcode yields the slot base as a value (BASE has none), so irkit itself
// never makes an address into the slot area, and two slot numbers are
// two different words. But a language can: the slots are its stack, and
// a recorder may put the stack's address in a KPtr or load it from its
// state (demo-lang does, for open upvalues, which it reads and writes
// with ALOAD/ASTORE). So the rule is the language's to promise. With
// SlotsDisjoint an SSTORE kills only the SLOADs of its own slot, FSTORE,
// ASTORE and XSTORE kill no SLOAD, and an SSTORE kills no memory load;
// a slot read after an array store is then found by CSE, and hoisted out
// of a loop that stores to memory. Without it every store kills every
// load. A helper called with CALLS may write anything, slots included,
// and kills every load either way.

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
	if info.Flags&FLoad != 0 {
		if s := b.killerOf(op, ty, a, c, limit); s > limit {
			limit = s
		}
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

// killerOf returns the newest instruction that may have written what the
// load (op, ty, a, c) reads, or an instruction no newer than floor when it
// is older than that (the caller looks no further back than floor anyway).
func (b *Builder) killerOf(op Op, ty Type, a, c, floor Ref) Ref {
	if !b.FieldsDisjoint {
		return b.killer(op, a)
	}
	switch op {
	case ALOAD, XLOAD:
		// Any store but a field store; an SSTORE too unless slots are
		// apart from memory. With typed fields and arrays, an ASTORE
		// kills only the ALOADs of its own type class.
		if !b.SlotsDisjoint {
			return b.lastNotField
		}
		if op != ALOAD || !b.FieldsTyped {
			return b.lastOther
		}
		t := b.T
		for r := t.chain[ASTORE]; r > max(b.lastRaw, floor); {
			st := &t.ir[r-t.lo]
			if fieldClass(t.Ins(st.Op2).T) == fieldClass(ty) {
				return r
			}
			r = st.Prev
		}
		return b.lastRaw
	case SLOAD:
		// An SSTORE of this slot, or a store that is no field store.
		if b.SlotsDisjoint {
			return b.slotStore(a)
		}
		return max(b.slotStore(a), b.lastOther)
	case FLOAD:
	default:
		return b.killer(op, a)
	}
	// Only an FSTORE to the same offset (of the same type class, if
	// fields are typed), an XSTORE or a CALLS: no ASTORE, which writes
	// arrays only.
	t := b.T
	stop := max(b.lastRaw, floor)
	for r := t.chain[FSTORE]; r > stop; {
		st := &t.ir[r-t.lo]
		if fr := &t.ir[st.Op1-t.lo]; !st.Op1.IsIns() || fr.Op != FREF ||
			fr.Op2 == c && (!b.FieldsTyped || fieldClass(t.Ins(st.Op2).T) == fieldClass(ty)) {
			return r
		}
		r = st.Prev
	}
	return b.lastRaw
}

// fieldClass groups the types a field may be read and written as under
// FieldsTyped: a number and a value word are one class (a language with
// NaN-boxed values stores numbers into value fields), every other type is
// its own.
func fieldClass(ty Type) Type {
	if ty = ty.Base(); ty == TNum {
		return TVal
	}
	return ty
}

// killer returns the newest instruction that may have written what the
// load op (of slot a, for an SLOAD) reads.
func (b *Builder) killer(op Op, a Ref) Ref {
	switch {
	case !b.SlotsDisjoint:
		return b.lastStore
	case op == SLOAD:
		return b.slotStore(a)
	}
	return b.lastMem
}

// slotStore returns the newest instruction that may have written slot
// #slot: the newest SSTORE of that slot after the newest CALLS, else that
// CALLS (NoRef if neither). The walk goes down the SSTORE chain only as
// far as the call, and a trace stores few slots.
func (b *Builder) slotStore(slot Ref) Ref {
	t := b.T
	for r := t.chain[SSTORE]; r > b.lastCall; {
		ins := &t.ir[r-t.lo]
		if ins.Op1 == slot {
			return r
		}
		r = ins.Prev
	}
	return b.lastCall
}

// forward returns the value the newest store wrote, if the load (op, ty,
// a, c) reads exactly what that store wrote: the same kind of memory, the
// same address reference and the same type. Nothing between the store and
// the load can have written what the load reads (the store is the newest
// instruction that may, see killer), so no alias analysis is needed. It returns NoRef otherwise.
func (b *Builder) forward(op Op, ty Type, a, c Ref) Ref {
	s := b.killerOf(op, ty, a, c, NoRef)
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
