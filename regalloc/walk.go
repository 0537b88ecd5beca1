package regalloc

import "github.com/jitkit/jitkit/irkit"

// -- One instruction, backwards -------------------------------------------

// ins allocates instruction r. The walk state on entry says where every
// value the rest of the trace needs is expected just after r (and after
// r's After moves); on exit it says where they must be just before r's
// Before moves. In order: the result is given its register (where its
// first user wants it) and its slot store; registers r destroys are
// cleared, evicting what they held; exit values of a guard are placed;
// fixed operands, then the others, get registers; a temporary last.
func (a *Allocator) ins(r irkit.Ref) error {
	ins := a.tr.Ins(r)
	p := a.pos(r)
	out := &a.res.Ins[p]
	*out = InsRegs{Dest: NoReg, Op1: NoReg, Op2: NoReg, Tmp: NoReg}
	a.before, a.after = a.before[:0], a.after[:0]
	a.fresh = 0
	switch ins.Op {
	case irkit.NOP, irkit.CARG, irkit.PHI:
		a.flush(out)
		return nil
	case irkit.LOOP:
		a.loopTop()
		a.flush(out)
		return nil
	}
	c := a.cons(ins)
	ops := a.opc[a.opOff[p]:a.opOff[p+1]]
	a.cur = ops
	var protect, fixedSet RegSet
	for k := range ops {
		u := ops[k].ref
		a.useCur[a.idx(u)]--
		if rr := a.reg[a.idx(u)]; rr != NoReg {
			protect = protect.With(rr)
		}
		if ops[k].fixed {
			fixedSet |= ops[k].allow
		}
	}

	// The result. A dead load or address emits no code and so reads no
	// operand: its operands get no register here.
	dest := NoReg
	hasVal := ins.Op.HasValue() && ins.T.Base() != irkit.TVoid
	if hasVal && a.deadLoad(r, ins) {
		ops = ops[:0]
		a.cur = ops
	} else if hasVal {
		cls := ClassOf(ins.T)
		allow := c.Dest
		if c.ImmFree && c.Imm2 && a.immOK(ins.Op2) {
			allow = 0 // an immediate op2 frees the result
		}
		if c.Call {
			allow = Set(a.t.Ret[cls])
		}
		if allow == 0 {
			allow = a.t.Alloc[cls]
		}
		vi := a.idx(r)
		cur := a.reg[vi]
		if cur != NoReg {
			a.release(cur)
		}
		if cur != NoReg && allow.Has(cur) {
			dest = cur
		} else {
			hint := a.hint[vi]
			if cur != NoReg {
				hint = NoReg
			}
			d, err := a.pick(allow, hint, r, protect|fixedSet)
			if err != nil {
				return err
			}
			dest = d
		}
		// The result's store and copy run first after the instruction,
		// before any reload into its register (evictions above).
		var first []Move
		if s := a.slot[vi]; s >= 0 {
			first = append(a.first2[:0], Move{Dst: SlotLoc(int(s)), Src: RegLoc(dest), Ref: r})
		}
		if cur != NoReg && cur != dest {
			first = append(first, Move{Dst: RegLoc(cur), Src: RegLoc(dest), Ref: r})
		}
		if len(first) > 0 {
			a.after = append(a.after, first...)
			copy(a.after[len(first):], a.after[:len(a.after)-len(first)])
			copy(a.after, first)
		}
		out.Dest = dest
	}

	// Registers the instruction destroys.
	clob := c.Clobber
	if c.Call {
		clob |= a.t.CallerSaved
	}
	if dest != NoReg {
		clob = clob.With(dest)
	}
	for s := clob &^ a.free; s != 0; {
		rr := s.Low()
		s = s.Without(rr)
		if a.val[rr] != irkit.NoRef {
			a.evict(rr)
		}
	}

	// Exit values of a guard get registers that survive the instruction.
	guard := ins.T.IsGuard()
	if guard {
		a.exitPrep(int(a.snapOf[p]), clob|fixedSet, 0)
	}

	// Fixed operands: clear their registers, then fill them.
	var blocked RegSet
	for k := range ops {
		if !ops[k].fixed {
			continue
		}
		rr := ops[k].allow.Low()
		if w := a.val[rr]; w != irkit.NoRef && w != ops[k].ref {
			a.evict(rr)
		}
	}
	for k := range ops {
		if !ops[k].fixed {
			continue
		}
		rr := ops[k].allow.Low()
		u := ops[k].ref
		if cur := a.reg[a.idx(u)]; cur == NoReg {
			a.occupy(u, rr)
		} else if cur != rr {
			a.before = append(a.before, Move{Dst: RegLoc(rr), Src: RegLoc(cur), Ref: u})
		}
		a.strong(u)
		ops[k].reg = rr
		blocked = blocked.With(rr)
	}

	// The other operands.
	for k := range ops {
		if ops[k].fixed {
			continue
		}
		if err := a.operand(ops, k, dest, &blocked, protect|fixedSet); err != nil {
			return err
		}
	}
	for k := range ops {
		switch ops[k].field {
		case 0:
			out.Op1 = ops[k].reg
		case 1:
			out.Op2 = ops[k].reg
		}
		a.flags[a.idx(ops[k].ref)] |= fUsed
	}

	// A temporary: free across the instruction, distinct from everything.
	if c.Tmp {
		avoid := blocked
		if dest != NoReg {
			avoid = avoid.With(dest)
		}
		t, err := a.pick(a.t.Alloc[c.TmpClass]&^avoid, NoReg, irkit.NoRef, protect|fixedSet)
		if err != nil {
			return err
		}
		out.Tmp = t
	}

	if guard {
		a.exitRecord(r, int(a.snapOf[p]), dest)
	}
	// The result's slot is free for values whose lives end before this
	// instruction; not for those reloaded just after it.
	if dest != NoReg {
		a.releaseSlot(r)
	}
	a.flush(out)
	return nil
}

// deadLoad reports whether r is a load, an address (AREF, FREF) or a
// BCAST whose value nothing needs: no instruction that emits code reads
// it (fUsed: its fused checks and unboxes read memory, its fused users
// address memory through its operands or a BCAST's operand, and a dead
// instruction reads nothing), and no exit or loop edge has placed it in a
// register or a slot. It gets no register, its operands get none for it,
// and the lowering emits nothing for it.
func (a *Allocator) deadLoad(r irkit.Ref, ins irkit.Ins) bool {
	vi := a.idx(r)
	// An i64 ADD too: a fused index's displacement (fusedIndex) may
	// leave it unread.
	addr := ins.Op == irkit.AREF || ins.Op == irkit.FREF || ins.Op == irkit.BCAST ||
		ins.Op == irkit.ADD && ins.T == irkit.TI64
	return (ins.Op.Has(irkit.FLoad) || addr) && !ins.T.IsGuard() && !ins.Op.Has(irkit.FSide) &&
		a.reg[vi] == NoReg && a.slot[vi] < 0 && a.flags[vi]&(fPhiLeft|fLoopLive|fUsed) == 0
}

// operand gives non-fixed operand k a register.
func (a *Allocator) operand(ops []operand, k int, dest Reg, blocked *RegSet, protect RegSet) error {
	op := &ops[k]
	u := op.ref
	// The same value as an earlier operand shares its register.
	for j := 0; j < k; j++ {
		if ops[j].ref == u && ops[j].reg != NoReg && op.allow.Has(ops[j].reg) {
			op.reg = ops[j].reg
			return nil
		}
	}
	avoid := *blocked
	if op.field != 0 && dest != NoReg {
		// Only the first operand may share the result's register (x86
		// two-address form: mov dest, op1; op dest, op2).
		avoid = avoid.With(dest)
	}
	allow := op.allow &^ avoid
	cur := a.reg[a.idx(u)]
	switch {
	case cur != NoReg && allow.Has(cur):
		op.reg = cur
	case cur != NoReg:
		rr, err := a.pick(allow, NoReg, irkit.NoRef, protect|*blocked)
		if err != nil {
			return err
		}
		a.before = append(a.before, Move{Dst: RegLoc(rr), Src: RegLoc(cur), Ref: u})
		op.reg = rr
	default:
		// A PHI's left operand wants the register the back edge delivers
		// it in (saving a move per iteration); otherwise the first operand
		// wants the result's register (saving x86's two-address move).
		hint := a.hint[a.idx(u)]
		phiHint := a.flags[a.idx(u)]&fPhiLeft != 0 && (a.free & allow).Has(hint)
		if !phiHint && op.field == 0 && dest != NoReg && allow.Has(dest) {
			hint = dest
		}
		rr, err := a.pick(allow, hint, u, protect|*blocked)
		if err != nil {
			return err
		}
		a.occupy(u, rr)
		op.reg = rr
	}
	a.strong(u)
	*blocked = blocked.With(op.reg)
	return nil
}

// flush moves the instruction's Before and After moves to the build list,
// which holds all moves in reverse execution order.
func (a *Allocator) flush(out *InsRegs) {
	for i := len(a.after) - 1; i >= 0; i-- {
		a.built = append(a.built, a.after[i])
	}
	for i := len(a.before) - 1; i >= 0; i-- {
		a.built = append(a.built, a.before[i])
	}
	out.Before, out.After = uint8(len(a.before)), uint8(len(a.after))
	out.Off = uint32(len(a.built)) // the block's end, turned into its start by finish
}

// -- Exits ------------------------------------------------------------------

// exitPrep gives the values guard r's snapshot needs a register if one is
// free outside avoid, keeping reserve registers of the class free for the
// operands. Such a register is weak: it is given up without a reload
// when it is needed (the exits then read the value's slot). Values from
// before the loop are not placed while inside the loop: a register taken
// there would have to be refilled at every back edge.
func (a *Allocator) exitPrep(si int, avoid RegSet, reserve int) {
	if si < 0 {
		return
	}
	for _, e := range a.tr.Entries(si) {
		u := e.Ref()
		if u.IsConst() || a.reg[a.idx(u)] != NoReg {
			continue
		}
		// An operand of the guard needs a register anyway; taking it now,
		// away from the result register, keeps it readable at the exit.
		isOp := false
		for k := range a.cur {
			isOp = isOp || a.cur[k].ref == u
		}
		// Invariants are placed at the loop's end or read from their
		// slots; a PHI's left operand may take a spare register (the back
		// edge then copies into it rather than storing to its slot).
		if !isOp && a.outside(u) && a.flags[a.idx(u)]&fPhiLeft == 0 {
			continue
		}
		cls := ClassOf(a.tr.Ins(u).T)
		f := a.free & a.t.Alloc[cls] &^ avoid
		if f == 0 && a.walk < a.n {
			// A constant is cheaper to rematerialize later than a
			// value is to store for the exit. (Not at the end of the
			// trace: there is no instruction to rematerialize after.)
			if k := a.constReg(a.t.Alloc[cls] &^ avoid &^ a.fresh); k != NoReg {
				a.evict(k)
				f = RegSet(0).With(k)
			}
		}
		if f.Len() <= reserve && !(isOp && f != 0) {
			continue
		}
		rr := f.Low()
		if h := a.hint[a.idx(u)]; f.Has(h) {
			rr = h
		}
		a.occupy(u, rr)
		if !isOp {
			// Weak and new: the operands may still take it back (the exit
			// then reads the slot), so it is not protected as fresh.
			a.flags[a.idx(u)] |= fWeak
			a.fresh = a.fresh.Without(rr)
		}
		a.chain[a.idx(u)] = -1
	}
}

// constReg returns a register of set holding a constant that is not an
// operand of the instruction being allocated, or NoReg.
func (a *Allocator) constReg(set RegSet) Reg {
	for s := set; s != 0; {
		r := s.Low()
		s = s.Without(r)
		w := a.val[r]
		if w == irkit.NoRef || !w.IsConst() {
			continue
		}
		isOp := false
		for k := range a.cur {
			isOp = isOp || a.cur[k].ref == w
		}
		if !isOp {
			return r
		}
	}
	return NoReg
}

// exitRecord records where snapshot si's values are when guard r exits.
// A value whose register is the guard's result register (an operand that
// dies there) is read from its slot: the exit happens after the write.
// A value two interpreter slots hold is listed once.
func (a *Allocator) exitRecord(r irkit.Ref, si int, dest Reg) {
	res := a.res
	e := Exit{Ref: r, Snap: int32(si), Off: uint32(len(res.Locs))}
	stamp := int32(len(res.Exits) + 1)
	for _, en := range a.tr.Entries(si) {
		u := en.Ref()
		if u.IsConst() {
			continue
		}
		i := a.idx(u)
		if a.listed[i] == stamp {
			continue
		}
		a.listed[i] = stamp
		var l Loc
		next := int32(-1)
		if rr := a.reg[i]; rr != NoReg && rr != dest {
			l = RegLoc(rr)
			if a.flags[i]&fWeak != 0 {
				next = a.chain[i]
				a.chain[i] = int32(len(res.Locs))
			}
		} else {
			l = SlotLoc(int(a.ensureSlot(u)))
			if a.outside(u) {
				a.flags[i] |= fSlotLoop
			}
		}
		res.Locs = append(res.Locs, RefLoc{Ref: u, Loc: l})
		a.locNext = append(a.locNext, next)
	}
	e.N = uint32(len(res.Locs)) - e.Off
	res.Exits = append(res.Exits, e)
}

// endExit places and records the values of the last snapshot for a trace
// that leaves (or restarts) when it runs off its end.
func (a *Allocator) endExit() error {
	end := a.tr.Next()
	si := a.tr.SnapOf(end)
	if si < 0 {
		return nil
	}
	for _, e := range a.tr.Entries(si) {
		if u := e.Ref(); !u.IsConst() && !a.valueRef(u, end) {
			return a.bad(end, "end snapshot refers to a valueless instruction")
		}
	}
	a.cur = a.cur[:0]
	a.exitPrep(si, 0, 0)
	a.before, a.after = a.before[:0], a.after[:0]
	a.exitRecord(end, si, NoReg)
	return nil
}

// backExit places and records the values of the loop snapshot (the
// trace's last) at the back edge of a loop trace, where the lowering's
// interrupt check leaves the trace: after the body's last instruction and
// its After moves, before the Tail moves. It is the loop's end record
// (Exits at Trace.Next()), allocated like a guard at the end of the body,
// so a value the body writes to a slot after its last guard and does not
// carry into the next iteration still has a location there.
func (a *Allocator) backExit() {
	if a.backSnap < 0 {
		return
	}
	a.cur = a.cur[:0]
	a.exitPrep(a.backSnap, 0, backReserve)
	a.exitRecord(a.tr.Next(), a.backSnap, NoReg)
}

// -- Finishing --------------------------------------------------------------

// finish rematerializes the constants still in registers at the start,
// puts the moves in execution order and fills in the result.
func (a *Allocator) finish() error {
	res := a.res
	for r := Reg(0); r < MaxRegs; r++ {
		w := a.val[r]
		if w == irkit.NoRef {
			continue
		}
		if !w.IsConst() {
			return a.bad(w, "value used before it is defined")
		}
		a.entry = append(a.entry, Move{Dst: RegLoc(r), Src: ConstLoc(w), Ref: w})
	}
	for i := len(a.entry) - 1; i >= 0; i-- {
		a.built = append(a.built, a.entry[i])
	}
	L := uint32(len(a.built))
	res.Moves = grow(res.Moves, int(L))
	for i, m := range a.built {
		res.Moves[int(L)-1-i] = m
	}
	for i := range res.Ins {
		ir := &res.Ins[i]
		ir.Off = L - ir.Off
	}
	res.Entry = Span{0, uint32(len(a.entry))}
	res.Tail = Span{Off: L, N: uint32(len(a.pm))}
	res.Moves = append(res.Moves, a.pm...)
	for i, j := 0, len(res.Exits)-1; i < j; i, j = i+1, j-1 {
		res.Exits[i], res.Exits[j] = res.Exits[j], res.Exits[i]
	}
	top := res.Top
	for i := 1; i < len(top); i++ {
		for j := i; j > 0 && top[j].Ref < top[j-1].Ref; j-- {
			top[j], top[j-1] = top[j-1], top[j]
		}
	}
	res.NSlots = a.nslots
	loopFrom := len(res.Moves)
	if a.loopPos >= 0 {
		ir := &res.Ins[a.loopPos]
		loopFrom = int(ir.Off) + int(ir.Before) + int(ir.After)
	}
	st := &res.Stats
	for i, m := range res.Moves {
		in := i >= loopFrom
		switch m.Kind() {
		case Store:
			st.Spills++
			st.LoopSpills += b2i(in)
		case Load:
			st.Reloads++
			st.LoopReloads += b2i(in)
		case Remat:
			st.Remats++
			st.LoopRemats += b2i(in)
		default:
			st.Copies++
			st.LoopCopies += b2i(in)
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
