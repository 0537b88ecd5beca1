package amd64

// -- Exit stubs -------------------------------------------------------------------
//
// Every guard branches to a small stub of its own exit record. The stub
// stores the registers the exit's snapshot needs into State.Regs, puts
// the exit number in EAX and jumps (a patchable jmp rel32) to the common
// handler, which writes State.Exit and returns; the status word is then
// emit.StatusExit | exit. Guards that exit through one snapshot may hold
// its values in different places, so each stub moves them into the
// locations of the snapshot's canonical record (its first guard): a
// restorer needs only the exit number (emit.Trace.Locs). Identical
// adjacent records share one stub.
//
// Why per-exit saves and not one handler that saves every register: a
// stub stores only what its snapshot needs (4-5 bytes a register, values
// in spill slots cost nothing), where saving all 29 allocatable registers
// costs about 150 bytes once plus a mov and jmp per exit; with the
// snapshots of real traces (a handful of registers each) the per-exit
// form is smaller once a trace has more than a few exits, and an exit
// runs only the stores it needs. TestLowerStubSize measures both.

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// stubs emits the common handler and every exit stub, and the interrupt
// exit.
func (l *Lowerer) stubs() {
	tr, res, a := l.tr, l.res, l.a
	l.canon = emit.CanonExits(l.canon, len(tr.Snaps), res)
	if cap(l.locOf) < tr.Len()+1 {
		l.locOf = make([]regalloc.Loc, tr.Len()+1)
	}
	l.locOf = l.locOf[:tr.Len()+1]

	// common: mov %eax,Exit(%rdi); ret
	l.common = a.NewLabel()
	a.Ret()
	a.Store(S32, M(RDI, emit.StateExit), RAX)
	a.Bind(l.common)

	// The interrupt exit.
	l.intr = a.NewLabel()
	switch {
	case tr.Loop != irkit.NoRef:
		si := len(tr.Snaps) - 1
		if si < 0 {
			l.fail("loop trace without snapshots")
			return
		}
		var locs []regalloc.RefLoc
		if i := len(res.Exits) - 1; i >= 0 && res.Exits[i].Ref == tr.Next() && int(res.Exits[i].Snap) == si {
			// The allocation recorded the back edge's exit itself.
			e := res.Exits[i]
			locs = res.Locs[e.Off : e.Off+e.N]
			l.intrLocs = append(l.intrLocs[:0], locs...)
		} else {
			locs = l.simulate(si)
		}
		if l.err != nil {
			return
		}
		l.stub(locs, l.canonLocs(si, locs), uint32(si), true)
		a.Bind(l.intr)
	case tr.Looping:
		if i := len(res.Exits) - 1; i >= 0 && res.Exits[i].Ref == tr.Next() {
			e := res.Exits[i]
			locs := res.Locs[e.Off : e.Off+e.N]
			l.stub(locs, l.canonLocs(int(e.Snap), locs), uint32(e.Snap), true)
		} else {
			l.stub(nil, nil, emit.NoExit, true) // no snapshot to restore
		}
		a.Bind(l.intr)
	}

	// Guard exits. Emission is backwards, so the record emitted last (the
	// end record) comes first in program order, right after the body,
	// which falls into it.
	if cap(l.stubLabel) < len(res.Exits) {
		l.stubLabel = make([]Label, len(res.Exits))
	}
	l.stubLabel = l.stubLabel[:len(res.Exits)]
	for i := 0; i < len(res.Exits) && l.err == nil; i++ {
		e := res.Exits[i]
		l.stubLabel[i] = 0
		if e.Ref == tr.Next() && (tr.Loop != irkit.NoRef || tr.Looping) {
			continue
		}
		if i > 0 && l.stubLabel[i-1] != 0 && emit.SameExit(e.Snap, emit.ExitLocs(res, i), res.Exits[i-1].Snap, emit.ExitLocs(res, i-1)) {
			l.stubLabel[i] = l.stubLabel[i-1]
			continue
		}
		num := uint32(e.Snap)
		if e.Snap < 0 {
			num = emit.NoExit
		}
		l.stubLabel[i] = a.NewLabel()
		l.stub(res.Locs[e.Off:e.Off+e.N], l.canonLocs(int(e.Snap), res.Locs[e.Off:e.Off+e.N]), num, false)
		a.Bind(l.stubLabel[i])
	}
	// The end of a straight trace: its record's stub, or one without
	// values when no snapshot covers the end.
	l.endStub = 0
	if tr.Loop == irkit.NoRef && !tr.Looping {
		if i := len(res.Exits) - 1; i >= 0 && res.Exits[i].Ref == tr.Next() {
			l.endStub = l.stubLabel[i]
		} else {
			l.endStub = a.NewLabel()
			l.stub(nil, nil, emit.NoExit, false)
			a.Bind(l.endStub)
		}
	}
}

// canonLocs returns the canonical locations of snapshot si: those of its
// first exit record, or own if it has none.
func (l *Lowerer) canonLocs(si int, own []regalloc.RefLoc) []regalloc.RefLoc {
	if si < 0 || si >= len(l.canon) || l.canon[si] < 0 {
		return own
	}
	return emit.ExitLocs(l.res, int(l.canon[si]))
}

// stub emits one exit stub: move the values of locs into their canonical
// locations (registers: their State.Regs words), then leave with exit
// number num. Emission is backwards: the code is written last part first.
func (l *Lowerer) stub(locs, canon []regalloc.RefLoc, num uint32, interrupt bool) {
	a := l.a
	for _, c := range canon {
		if c.Ref.IsIns() && int(c.Ref-irkit.First) < len(l.locOf) {
			l.locOf[c.Ref-irkit.First] = c.Loc
		}
	}
	defer func() {
		for _, c := range canon {
			if c.Ref.IsIns() && int(c.Ref-irkit.First) < len(l.locOf) {
				l.locOf[c.Ref-irkit.First] = regalloc.LocNone
			}
		}
	}()
	where := func(rl regalloc.RefLoc) regalloc.Loc {
		if rl.Ref.IsIns() && int(rl.Ref-irkit.First) < len(l.locOf) {
			if c := l.locOf[rl.Ref-irkit.First]; c != regalloc.LocNone {
				return c
			}
		}
		return rl.Loc
	}
	// The tail.
	if interrupt {
		a.Ret()
		a.MovRI(RAX, int64(emit.StatusInterrupt|uint64(num)))
		a.StoreI(S32, M(RDI, emit.StateExit), int32(num))
	} else {
		a.JmpLong(l.common)
		at := len(l.sites)
		l.sites = append(l.sites, site{exit: num, pos: a.Here()})
		a.MovRIKeep(RAX, int64(num))
		// A stub that only stores registers into their own State.Regs
		// words (its values are in their canonical locations) offers a
		// direct link its first bytes (emit.ExitSite.Direct); it is at
		// least the 10 bytes of mov $num,%eax; jmp, room for a jmp rel32.
		direct := true
		var saves []uint8
		for _, rl := range locs {
			if where(rl) != rl.Loc {
				direct = false
				break
			}
			if rl.Loc.IsReg() {
				saves = append(saves, uint8((regCell(rl.Loc.Reg())-emit.StateRegs)/8))
			}
		}
		if direct {
			defer func() {
				l.sites[at].direct = a.Here()
				l.sites[at].saves = saves
			}()
		}
	}
	// Phase 2b (runs last): registers into canonical spill slots.
	for _, rl := range locs {
		c := where(rl)
		if !c.IsSlot() || !rl.Loc.IsReg() {
			continue
		}
		r := xreg(rl.Loc.Reg())
		if r.IsX() {
			a.StoreSD(spillMem(c.Slot()), r)
		} else {
			a.Store(S64, spillMem(c.Slot()), r)
		}
		l.loadSpillBase()
	}
	// Phase 2a: slot to slot, before any slot is written.
	for _, rl := range locs {
		c := where(rl)
		if !c.IsSlot() || !rl.Loc.IsSlot() || c == rl.Loc {
			continue
		}
		for _, o := range locs {
			if o.Loc == c {
				l.fail("exit %d: spill slots of two guards' records overlap", num)
				return
			}
		}
		a.Pop(RAX)
		a.Store(S64, M(RAX, int32(8*c.Slot())), R11)
		a.Load(S64, false, R11, M(RAX, int32(8*rl.Loc.Slot())))
		a.Load(S64, false, RAX, M(RDI, emit.StateSpill))
		a.Push(RAX)
	}
	// Phase 1 (runs first): everything whose canonical place is a register
	// goes to that register's State.Regs word.
	for _, rl := range locs {
		c := where(rl)
		if !c.IsReg() {
			continue
		}
		cell := M(RDI, regCell(c.Reg()))
		switch {
		case rl.Loc.IsReg():
			r := xreg(rl.Loc.Reg())
			if r.IsX() {
				a.StoreSD(cell, r)
			} else {
				a.Store(S64, cell, r)
			}
		case rl.Loc.IsSlot():
			a.Store(S64, cell, R11)
			a.Load(S64, false, R11, spillMem(rl.Loc.Slot()))
			l.loadSpillBase()
		}
	}
}

// exitTable fills the canonical locations of every exit into t.
func (l *Lowerer) exitTable(t *emit.Trace) {
	tr := l.tr
	t.SetExitLocs(len(tr.Snaps), func(si int) ([]regalloc.RefLoc, bool) {
		switch {
		case l.canon[si] >= 0:
			return emit.ExitLocs(l.res, int(l.canon[si])), true
		case tr.Loop != irkit.NoRef && si == len(tr.Snaps)-1:
			return l.intrLocs, true
		}
		return nil, false
	})
}

// simulate finds where the values of snapshot si (the loop snapshot) are
// at the back edge, for an allocation that records no exit there
// (emit.LoopSim).
func (l *Lowerer) simulate(si int) []regalloc.RefLoc {
	l.sim.Scratch = regalloc.RegSet(0).With(l.res.Target.Scratch)
	l.sim.Run(l.tr, l.res)
	locs, missing, ok := l.sim.Locs(si, nil)
	if !ok {
		l.fail("interrupt exit: value %04d of the loop snapshot is not kept at the back edge", missing-irkit.Bias)
		return nil
	}
	l.intrLocs = append(l.intrLocs[:0], locs...)
	return l.intrLocs
}
