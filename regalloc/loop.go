package regalloc

// Why the loop is allocated from its back edge: irkit puts the loop body
// after LOOP and the PHIs after the body (PHI a b: at the back edge, a
// takes b's value). Walking backwards, the allocator meets the PHIs
// first. It gives each PHI's right operand a register at the end of the
// body and hints that register to the left operand, so in the common case
// (i' = i + 1) the left operand's last use in the body picks the same
// register and the back edge needs no move at all. Values defined before
// the loop and used inside it (invariants) are given registers at the end
// too while registers are plentiful, so they stay put around the loop.
//
// When the walk reaches LOOP, the state it carries says where the top of
// the body expects every value. The back edge must deliver exactly that:
// each PHI's left register (and its slot, if the body reads the slot)
// receives the right operand from where it was at the end; each
// invariant held in a register at the top receives itself, if it is not
// already there. These moves happen at once, so they are sequenced as a
// parallel move (parmove.go) into Result.Tail. The walk then goes on into
// the part before the loop from the same state, so entering the loop
// needs no moves: the first iteration finds everything where later ones do.

import (
	"github.com/jitkit/jitkit/irkit"
)

// endReserve is how many registers of a class the allocation at the end
// of the loop leaves free for the body when it places invariants.
const endReserve = 2

// backReserve is how many registers of a class the back edge's exit
// leaves free for the body when it gives the loop snapshot's values
// registers at the end of the body. They are weak (given up for a store
// after the definition when the body needs them), so none need be held
// back: on the loops of TestBackEdgeRecord, reserving endReserve instead
// costs about 1% more stores in the body.
const backReserve = 0

// loopValues lists the values defined before the loop (constants
// included) that the loop body uses; PHI left operands are handled as
// PHIs.
func (a *Allocator) loopValues(bodyCalls bool) error {
	for i := range a.phis {
		for j := 0; j < i; j++ {
			if a.phis[j].left == a.phis[i].left {
				return a.bad(a.tr.Loop, "two PHIs for one value")
			}
		}
	}
	for ref := a.nk; ref < a.tr.Loop; ref++ {
		if ref == irkit.Bias {
			continue
		}
		i := a.idx(ref)
		s, e := a.useStart[i], a.useStart[i+1]
		inLoop := e > s && int(a.usePos[e-1]) > a.loopPos
		if inLoop && !ref.IsConst() {
			a.flags[i] |= fLoopLive
		}
		if bodyCalls && a.flags[i]&fLoopLive != 0 {
			a.flags[i] |= fCrossCall
		}
		if inLoop && a.flags[i]&fPhiLeft == 0 {
			a.loopVals = append(a.loopVals, ref)
		} else if !inLoop && a.flags[i]&(fLoopLive|fPhiLeft) == fLoopLive {
			a.exitVals = append(a.exitVals, ref)
		}
	}
	a.endLoc = grow(a.endLoc, len(a.loopVals))
	return nil
}

// loopEnd sets up the state at the end of the loop body.
func (a *Allocator) loopEnd() error {
	for k := range a.phis {
		ph := &a.phis[k]
		ri := a.idx(ph.right)
		a.useCur[ri]--
		switch {
		case ph.right.IsConst():
			ph.src = ConstLoc(ph.right)
		case a.reg[ri] != NoReg:
			ph.src = RegLoc(a.reg[ri])
		default:
			if rr := a.endReg(ph.right, 0); rr != NoReg {
				a.occupy(ph.right, rr)
				ph.src = RegLoc(rr)
			} else {
				ph.src = SlotLoc(int(a.ensureSlot(ph.right)))
			}
		}
		if li := a.idx(ph.left); ph.src.IsReg() && a.hint[li] == NoReg {
			a.hint[li] = ph.src.Reg()
		}
	}
	// Values only the body's exits read stay in a register around the
	// loop if one is spare; the register is weak, so needing it costs a
	// store before the loop, never a reload inside it.
	for _, w := range a.exitVals {
		if rr := a.endReg(w, endReserve); rr != NoReg {
			a.occupy(w, rr)
			a.flags[a.idx(w)] |= fWeak
			a.chain[a.idx(w)] = -1
		}
	}
	for pass := 0; pass < 2; pass++ {
		for j, w := range a.loopVals {
			if w.IsConst() != (pass == 1) {
				continue
			}
			a.endLoc[j] = LocNone
			if rr := a.reg[a.idx(w)]; rr != NoReg {
				a.endLoc[j] = RegLoc(rr)
				continue
			}
			reserve := endReserve
			if pass == 1 {
				reserve = 2 * endReserve
			}
			if rr := a.endReg(w, reserve); rr != NoReg {
				a.occupy(w, rr)
				a.endLoc[j] = RegLoc(rr)
			}
		}
	}
	return nil
}

// endReg returns a free register for u at the end of the loop, leaving
// reserve registers of its class free, or NoReg.
func (a *Allocator) endReg(u irkit.Ref, reserve int) Reg {
	cls := ClassOf(a.tr.Ins(u).T)
	f := a.free & a.t.Alloc[cls]
	if f.Len() <= reserve {
		return NoReg
	}
	if !u.IsConst() && a.flags[a.idx(u)]&fCrossCall != 0 {
		if g := f &^ a.t.CallerSaved; g != 0 {
			return g.High()
		}
	}
	return f.High()
}

// loopTop builds the back-edge parallel move when the walk reaches LOOP
// and records which registers hold which values there.
func (a *Allocator) loopTop() {
	pm := a.before[:0] // LOOP has no moves of its own; borrow the buffer
	for _, ph := range a.phis {
		li := a.idx(ph.left)
		if rr := a.reg[li]; rr != NoReg {
			pm = append(pm, Move{Dst: RegLoc(rr), Src: ph.src, Ref: ph.right})
		}
		if s := a.slot[li]; s >= 0 && a.flags[li]&fSlotLoop != 0 {
			pm = append(pm, Move{Dst: SlotLoc(int(s)), Src: ph.src, Ref: ph.right})
		}
	}
	for j, w := range a.loopVals {
		rr := a.reg[a.idx(w)]
		if rr == NoReg {
			continue
		}
		src := a.endLoc[j]
		if src == LocNone {
			if w.IsConst() {
				src = ConstLoc(w)
			} else {
				src = SlotLoc(int(a.ensureSlot(w)))
			}
		}
		if src != RegLoc(rr) {
			pm = append(pm, Move{Dst: RegLoc(rr), Src: src, Ref: w})
		}
	}
	a.pm = resolve(pm, a.pm[:0], a.t.Scratch, &a.park, &a.nslots)
	a.before = pm[:0]
	// The back edge delivers every value held at the top in its register,
	// so from here on none of them is weak: the entry must deliver them
	// there too (the exits in the body were recorded with the register).
	for r := Reg(0); r < MaxRegs; r++ {
		if w := a.val[r]; w != irkit.NoRef {
			a.res.Top = append(a.res.Top, RefLoc{Ref: w, Loc: RegLoc(r)})
			if !w.IsConst() {
				a.strong(w)
			}
		}
	}
}
