package jit

import (
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- Register allocation, kept for the -jdump=html page ------------------------
//
// regalloc.Result says, per instruction, which register an instruction
// writes and which moves run around it; it has no live intervals (the
// allocator walks backwards without building them). The page wants one
// bar per value: from its definition to its last use, split where the
// value moves between registers and its spill slot. liveRanges derives
// that from the result by replaying its moves forwards over a model
// register file.

// Allocation is the register allocation of one machine-code trace, kept
// when the backend was asked to (-jdump=html).
type Allocation struct {
	// Listing is regalloc's annotated listing of the trace: each
	// instruction with its registers, moves and exit locations.
	Listing string
	// Ranges has one live range per IR instruction that got a location,
	// in instruction order.
	Ranges []LiveRange
	// NIns is the number of IR instructions; a range ending at NIns
	// lives to the trace's end (the back edge of a loop).
	NIns int
	// NSpill is the number of 8-byte spill slots the trace uses.
	NSpill int
	// Stats counts the allocation's moves.
	Stats regalloc.Stats
	// ExitSites are the addresses of the exits' patchable branches, the
	// last instruction of each exit's stub.
	ExitSites []ExitSite
	// ExitLocs gives, per snapshot, where each value it restores is
	// when the code exits through it ("rax", "[2]"); nil for a snapshot
	// no code exits through.
	ExitLocs []map[irkit.Ref]string
}

// ExitSite is the address of one branch that leaves the trace through
// snapshot Snap.
type ExitSite struct {
	Addr uint64
	Snap int
}

// LiveRange is where one IR value lives. Positions are instruction
// indexes: instruction irkit.First+i is position i.
type LiveRange struct {
	Ref  irkit.Ref
	Def  int       // its definition
	End  int       // its last use (NIns: live at the trace's end)
	Segs []LiveSeg // its locations over [Def, End], in order
}

// LiveSeg is one stretch of a live range spent in one location.
type LiveSeg struct {
	From, To int    // positions, inclusive
	Loc      string // register name, or "[n]" for spill slot n
	Slot     bool   // Loc is a spill slot
}

// AllocReporter is implemented by machine-code traces that kept their
// register allocation (the native backend does when -jdump=html is on).
type AllocReporter interface {
	// Allocation returns the trace's allocation, nil if it was not kept.
	Allocation() *Allocation
}

// newAllocation builds the Allocation of trace t allocated as res.
func newAllocation(t *irkit.Trace, res *regalloc.Result) *Allocation {
	return &Allocation{Listing: res.Format(t), Ranges: liveRanges(t, res), NIns: t.Len(),
		NSpill: res.NSlots, Stats: res.Stats}
}

// liveRanges computes each value's live range and the locations it
// occupies over it, replaying res's moves forwards.
func liveRanges(t *irkit.Trace, res *regalloc.Result) []LiveRange {
	n := t.Len()
	if n == 0 || len(res.Ins) != n {
		return nil
	}
	tg := res.Target
	pos := func(r irkit.Ref) int { return int(r - irkit.First) }
	valid := func(r irkit.Ref) bool { return r.IsIns() && r >= irkit.First && r < t.Next() }
	last := make([]int, n)
	has := make([]bool, n) // the value got a location
	for i := range last {
		last[i] = -1
	}
	use := func(r irkit.Ref, at int) {
		if valid(r) && at > last[pos(r)] {
			last[pos(r)] = at
		}
	}
	loopPos := -1
	if t.Loop != irkit.NoRef {
		loopPos = pos(t.Loop)
	}
	for i := 0; i < n; i++ {
		r := irkit.First + irkit.Ref(i)
		ins := t.Ins(r)
		if ins.Op == irkit.NOP {
			continue
		}
		if res.Ins[i].Dest != regalloc.NoReg {
			has[i] = true
		}
		a, c := res.Target.Operands(t, r)
		if ins.Op == irkit.PHI {
			use(a, n)
			use(c, n)
			continue
		}
		use(a, i)
		use(c, i)
	}
	for _, e := range res.Exits {
		at := pos(e.Ref)
		if e.Ref >= t.Next() {
			at = n
		}
		for _, rl := range res.Locs[e.Off : e.Off+e.N] {
			use(rl.Ref, at)
		}
	}
	for _, rl := range res.Top {
		use(rl.Ref, n)
	}
	for _, m := range res.Moves {
		if valid(m.Ref) {
			has[pos(m.Ref)] = true
		}
	}
	for _, m := range res.SpanMoves(res.Tail) {
		use(m.Ref, n)
	}
	if loopPos >= 0 {
		// A value from before the loop that the body reads is needed
		// on every iteration: it lives to the back edge.
		for i := 0; i < loopPos; i++ {
			if last[i] > loopPos {
				last[i] = n
			}
		}
	}

	// Replay the moves over a model register file and spill area.
	var regs [regalloc.MaxRegs]irkit.Ref
	slots := map[int]irkit.Ref{}
	apply := func(ms []regalloc.Move) {
		for _, m := range ms {
			switch {
			case m.Dst.IsReg():
				regs[m.Dst.Reg()] = m.Ref
			case m.Dst.IsSlot():
				slots[m.Dst.Slot()] = m.Ref
			}
		}
	}
	where := func(v irkit.Ref) (string, bool) {
		for r := range regs {
			if regs[r] == v {
				return tg.RegName(regalloc.Reg(r)), false
			}
		}
		for s, x := range slots {
			if x == v {
				return regalloc.SlotLoc(s).Format(tg), true
			}
		}
		return "", false
	}
	out := make([]LiveRange, 0, n/2)
	idx := make([]int, n) // value -> index in out, -1
	for i := range idx {
		idx[i] = -1
		if has[i] && last[i] >= i {
			idx[i] = len(out)
			out = append(out, LiveRange{Ref: irkit.First + irkit.Ref(i), Def: i, End: last[i]})
		}
	}
	note := func(v, at int, loc string, slot bool) {
		lr := &out[idx[v]]
		if k := len(lr.Segs) - 1; k >= 0 && lr.Segs[k].Loc == loc && lr.Segs[k].To == at-1 {
			lr.Segs[k].To = at
			return
		}
		lr.Segs = append(lr.Segs, LiveSeg{From: at, To: at, Loc: loc, Slot: slot})
	}
	// At position i: the Before moves, then every value live across i
	// (Def < i <= End) is noted where it is, then the instruction writes
	// its Dest, then the After moves. Position n is the trace's end.
	apply(res.SpanMoves(res.Entry))
	for i := 0; i <= n; i++ {
		if i < n {
			apply(res.BeforeMoves(irkit.First + irkit.Ref(i)))
		}
		for _, lr := range out {
			if lr.Def < i && i <= lr.End {
				if loc, slot := where(lr.Ref); loc != "" {
					note(pos(lr.Ref), i, loc, slot)
				}
			}
		}
		if i == n {
			break
		}
		r := irkit.First + irkit.Ref(i)
		ins := t.Ins(r)
		if ins.Op.Info().Flags&irkit.FCall != 0 || callLowered(tg, ins) {
			for reg := range regs {
				if tg.CallerSaved.Has(regalloc.Reg(reg)) {
					regs[reg] = irkit.NoRef
				}
			}
		}
		if d := res.Ins[i].Dest; d != regalloc.NoReg {
			regs[d] = r
			if idx[i] >= 0 {
				note(i, i, tg.RegName(d), false)
			}
		}
		apply(res.AfterMoves(r))
	}
	return out
}

// callLowered reports whether the target lowers ins as a helper call.
func callLowered(tg *regalloc.Target, ins irkit.Ins) bool {
	for _, c := range tg.Cons[ins.Op] {
		if c.Call {
			return true
		}
	}
	return false
}
