package emit

import (
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- Where a loop's values are at its back edge ------------------------------------
//
// The interrupt exit of a LOOP trace leaves at the end of the body through
// the trace's last snapshot (the loop snapshot in terms of the body's
// values). An allocation that records an exit at the back edge (an entry
// of Result.Exits at Trace.Next()) says where those values are; for one
// that records locations at guards only, a lowering finds them with
// LoopSim. It replays the moves and register writes of the pre-loop part
// and of two iterations of the body over a model of the registers and
// spill slots, labelling each location with the value it holds and the
// iteration that wrote it. A value computed in the body counts only where
// the second iteration wrote it; an invariant wherever it still is. Two
// iterations reach the fixed point: the back edge and the body write the
// same locations every time. Nothing here depends on the architecture but
// the registers a lowering clobbers beyond the allocation's constraints
// (LoopSim.Scratch).

// SimLoc is what LoopSim knows of one location: the value it holds (NoRef:
// none known) and the iteration that wrote it (0 before the loop).
type SimLoc struct {
	Ref irkit.Ref
	Gen int32
}

// LoopSim simulates a loop trace's allocation to find where values are at
// the back edge. Its memory is reused from trace to trace.
type LoopSim struct {
	// Scratch are the registers the lowering's code for any instruction
	// may clobber besides those of its regalloc constraints.
	Scratch regalloc.RegSet
	// Regs and Slots hold the model after Run; EntryRegs and EntrySlots
	// the model at the loop entry (after the pre-loop part).
	Regs, EntryRegs   [regalloc.MaxRegs]SimLoc
	Slots, EntrySlots []SimLoc

	tr   *irkit.Trace
	res  *regalloc.Result
	locs []regalloc.RefLoc
}

// Run simulates tr (which must have a LOOP), allocated as res: the entry
// moves and the pre-loop part, then two iterations of the body with the
// back edge between them.
func (s *LoopSim) Run(tr *irkit.Trace, res *regalloc.Result) {
	s.tr, s.res = tr, res
	s.Regs = [regalloc.MaxRegs]SimLoc{}
	if cap(s.Slots) < res.NSlots {
		s.Slots = make([]SimLoc, res.NSlots)
	}
	s.Slots = s.Slots[:res.NSlots]
	clear(s.Slots)
	s.moves(res.SpanMoves(res.Entry), 0)
	for r := irkit.First; r < tr.Loop; r++ {
		s.ins(r, 0)
	}
	s.EntryRegs = s.Regs
	s.EntrySlots = append(s.EntrySlots[:0], s.Slots...)
	for gen := int32(1); gen <= 2; gen++ {
		for r := tr.Loop + 1; r < tr.Next(); r++ {
			s.ins(r, gen)
		}
		if gen == 1 {
			s.tail()
		}
	}
}

// Locs returns, after Run, where each value of snapshot si is at the back
// edge: in an allocatable register, else in a spill slot, else (for a
// loop invariant, when park is not nil) where park puts it. If a value is
// nowhere, ok is false and missing names it.
func (s *LoopSim) Locs(si int, park func(ref irkit.Ref) regalloc.Loc) (locs []regalloc.RefLoc, missing irkit.Ref, ok bool) {
	tr, res := s.tr, s.res
	alloc := res.Target.Alloc[regalloc.GPR] | res.Target.Alloc[regalloc.FPR]
	s.locs = s.locs[:0]
	for _, e := range tr.Entries(si) {
		ref := e.Ref()
		if !ref.IsIns() || s.has(ref) {
			continue
		}
		inv := ref < tr.Loop && !s.phiLeft(ref)
		holds := func(l SimLoc) bool { return l.Ref == ref && (inv || l.Gen == 2) }
		loc := regalloc.LocNone
		for x := regalloc.Reg(0); x < regalloc.MaxRegs; x++ {
			if alloc.Has(x) && holds(s.Regs[x]) {
				loc = regalloc.RegLoc(x)
				break
			}
		}
		for n := 0; loc == regalloc.LocNone && n < len(s.Slots); n++ {
			if holds(s.Slots[n]) {
				loc = regalloc.SlotLoc(n)
			}
		}
		if loc == regalloc.LocNone && inv && park != nil {
			loc = park(ref)
		}
		if loc == regalloc.LocNone {
			return nil, ref, false
		}
		s.locs = append(s.locs, regalloc.RefLoc{Ref: ref, Loc: loc})
	}
	return s.locs, irkit.NoRef, true
}

func (s *LoopSim) has(ref irkit.Ref) bool {
	for _, rl := range s.locs {
		if rl.Ref == ref {
			return true
		}
	}
	return false
}

// tail runs the back edge: a move of a PHI's right value delivers the
// value the next iteration names by the PHI's left reference; the
// registers of Result.Top hold their values again.
func (s *LoopSim) tail() {
	tr, res := s.tr, s.res
	for _, m := range res.SpanMoves(res.Tail) {
		v := SimLoc{Ref: m.Ref, Gen: 2}
		for r := tr.Loop + 1; r < tr.Next(); r++ {
			if ins := tr.Ins(r); ins.Op == irkit.PHI && ins.Op2 == m.Ref {
				v.Ref = ins.Op1
				break
			}
		}
		s.set(m.Dst, v)
	}
	for _, rl := range res.Top {
		if rl.Loc.IsReg() {
			s.Regs[rl.Loc.Reg()] = SimLoc{Ref: rl.Ref, Gen: 2}
		}
	}
}

// phiLeft reports whether ref is a PHI's left operand: a pre-loop value
// the back edge replaces.
func (s *LoopSim) phiLeft(ref irkit.Ref) bool {
	tr := s.tr
	for r := tr.Next() - 1; r > tr.Loop; r-- {
		ins := tr.Ins(r)
		if ins.Op != irkit.PHI {
			break
		}
		if ins.Op1 == ref {
			return true
		}
	}
	return false
}

func (s *LoopSim) set(d regalloc.Loc, v SimLoc) {
	switch {
	case d.IsReg():
		s.Regs[d.Reg()] = v
	case d.IsSlot() && d.Slot() < len(s.Slots):
		s.Slots[d.Slot()] = v
	}
}

func (s *LoopSim) moves(ms []regalloc.Move, gen int32) {
	for _, m := range ms {
		s.set(m.Dst, SimLoc{Ref: m.Ref, Gen: gen})
	}
}

func (s *LoopSim) ins(r irkit.Ref, gen int32) {
	res, t := s.res, s.res.Target
	ir := res.At(r)
	s.moves(res.BeforeMoves(r), gen)
	ins := s.tr.Ins(r)
	if ins.Op < irkit.NumOps {
		c := &t.Cons[ins.Op][regalloc.ClassOf(ins.T)]
		clob := c.Clobber | s.Scratch
		if c.Call || ins.Op == irkit.CALLN || ins.Op == irkit.CALLS {
			clob |= t.CallerSaved
		}
		if ir.Tmp != regalloc.NoReg {
			clob = clob.With(ir.Tmp)
		}
		for set := clob; set != 0; {
			x := set.Low()
			set = set.Without(x)
			s.Regs[x] = SimLoc{}
		}
	}
	if ir.Dest != regalloc.NoReg {
		s.Regs[ir.Dest] = SimLoc{Ref: r, Gen: gen}
	}
	s.moves(res.AfterMoves(r), gen)
}
