package emit

import "github.com/jitkit/jitkit/regalloc"

// -- A compiled trace, as every architecture describes it ----------------------

// NoExit is the exit number of a trace that ran off its end without a
// snapshot to restore (its status word is StatusExit | NoExit).
const NoExit = ^uint32(0)

// Trace is a trace compiled to machine code by a lowering (emit/amd64,
// emit/arm64), described without reference to the architecture.
//
// Exits are numbered by snapshot, as guard.Tracker counts them. Several
// guards may exit through one snapshot, each with its values in other
// registers; their exit code moves the values into one canonical set of
// locations per snapshot, so a restorer needs only the exit number:
// Locs(n) says where each value of snapshot n is after exit n was taken
// (a register: its word in State.Regs; a spill slot: the spill area; a
// constant: the IR). A TInt value's word holds the int32 in its low half;
// restorers apply irkit.Norm with the value's type, as for slots.
type Trace struct {
	Block Block   // the code
	Entry uintptr // where Enter starts the trace
	// NSpill is the number of 8-byte spill slots State.Spill must point to.
	NSpill int
	// Sites are the patchable branches of the exits, sorted by exit; a
	// side trace is linked by retargeting all branches of its exit.
	Sites []ExitSite
	// ExitSpan[n] indexes ExitLocs for exit n (empty if no code exits
	// through snapshot n).
	ExitSpan []regalloc.Span
	ExitLocs []regalloc.RefLoc
	// CodeSize and StubSize are the bytes of the trace body and of its
	// exit stubs.
	CodeSize, StubSize int
	// Callouts lists the trace's call-outs to Go, indexed by the number in
	// a StatusCall status word (empty if it makes none); Run serves
	// them.
	Callouts []Callout
}

// ExitSite is one patchable branch of an exit: the address of the
// branch instruction that, once linked, jumps to a side trace.
type ExitSite struct {
	Exit uint32
	Addr uintptr
	// Direct, if nonzero, is the first byte of the exit code that ends in
	// the branch at Addr, code that does nothing but store the registers
	// Saves lists (State.Regs indices) into their own State.Regs words,
	// put the exit number in a register and branch: every value of the
	// exit's snapshot is then in its canonical location (Locs(Exit))
	// already. A direct link (Link.Direct) overwrites the start of that
	// code with a jump to its stub, which reads the values from the
	// registers themselves and, on its slow path, does what the
	// overwritten code did. Zero where the exit code first moves values
	// into their canonical locations (a guard whose values are elsewhere
	// than its snapshot's canonical record's), and on targets that do not
	// offer it (arm64).
	Direct uintptr
	Saves  []uint8
}

// Locs returns where the values of exit n's snapshot are after the exit.
func (t *Trace) Locs(n int) []regalloc.RefLoc {
	if n < 0 || n >= len(t.ExitSpan) {
		return nil
	}
	s := t.ExitSpan[n]
	return t.ExitLocs[s.Off : s.Off+s.N]
}

// SitesOf returns the patchable branches of exit n.
func (t *Trace) SitesOf(n int) []ExitSite {
	var out []ExitSite
	for _, s := range t.Sites {
		if int(s.Exit) == n {
			out = append(out, s)
		}
	}
	return out
}

// Read returns the word at location l after an exit: a register's word
// from st.Regs (general register n at Regs[n], floating-point register n
// at Regs[32+n], in the numbering of target), a spill slot's from spill.
// ok is false for a constant or an absent location.
func Read(st *State, spill []uint64, target *regalloc.Target, l regalloc.Loc) (w uint64, ok bool) {
	switch {
	case l.IsReg():
		r := l.Reg()
		if target.ClassOfReg(r) == regalloc.FPR {
			n := int(r) - int(target.Regs[regalloc.FPR].Low())
			return st.Regs[32+n], n >= 0 && n < 32
		}
		return st.Regs[r], r < 32
	case l.IsSlot():
		if l.Slot() < len(spill) {
			return spill[l.Slot()], true
		}
	}
	return 0, false
}
