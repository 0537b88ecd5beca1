package regalloc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jitkit/jitkit/irkit"
)

// -- Locations --------------------------------------------------------------

// Loc is where a value is at one point: a register, a spill slot, or a
// constant (rematerialized wherever it is needed). Packed in 32 bits:
//
//	31    24 23             0
//	+-------+----------------+
//	| kind  | reg, slot or K |
//	+-------+----------------+
type Loc uint32

// Location kinds.
const (
	LocNone  Loc = 0
	locReg   Loc = 1 << 24
	locSlot  Loc = 2 << 24
	locConst Loc = 3 << 24
	locKind  Loc = 0xff << 24
)

// RegLoc is register r as a location.
func RegLoc(r Reg) Loc { return locReg | Loc(r) }

// SlotLoc is spill slot s as a location.
func SlotLoc(s int) Loc { return locSlot | Loc(s) }

// ConstLoc is constant k as a location.
func ConstLoc(k irkit.Ref) Loc { return locConst | Loc(k) }

// IsReg reports whether l is a register.
func (l Loc) IsReg() bool { return l&locKind == locReg }

// IsSlot reports whether l is a spill slot.
func (l Loc) IsSlot() bool { return l&locKind == locSlot }

// IsConst reports whether l is a constant.
func (l Loc) IsConst() bool { return l&locKind == locConst }

// Reg is the register of a register location.
func (l Loc) Reg() Reg { return Reg(l) }

// Slot is the index of a slot location: the slot lives at byte offset
// 8*Slot in the spill area the state pointer addresses.
func (l Loc) Slot() int { return int(l &^ locKind) }

// Const is the constant of a constant location.
func (l Loc) Const() irkit.Ref { return irkit.Ref(l &^ locKind) }

// Format renders l with t's register names: "rax", "[3]", "K0x7ffe", "-".
func (l Loc) Format(t *Target) string {
	switch l & locKind {
	case locReg:
		return t.RegName(l.Reg())
	case locSlot:
		return fmt.Sprintf("[%d]", l.Slot())
	case locConst:
		return fmt.Sprintf("K%04d", int(irkit.Bias-l.Const()))
	}
	return "-"
}

// -- Moves ------------------------------------------------------------------

// MoveKind classifies a Move by its source and destination.
type MoveKind uint8

// Move kinds.
const (
	Copy  MoveKind = iota // register ← register (a bit copy if the classes differ)
	Load                  // register ← slot: a reload
	Store                 // slot ← register: a spill
	Remat                 // register ← constant: a rematerialization
)

var moveKindNames = [...]string{"copy", "load", "store", "remat"}

// String names the kind.
func (k MoveKind) String() string { return moveKindNames[k] }

// Move is one data move the lowering emits between instructions. Ref is
// the value moved; its IR type gives the width. Dst is a register or a
// slot; Src a register, a slot or a constant, and only these pairs occur:
// register←register, register←slot, slot←register, register←constant.
type Move struct {
	Dst, Src Loc
	Ref      irkit.Ref
}

// Kind classifies m.
func (m Move) Kind() MoveKind {
	switch {
	case m.Src.IsConst():
		return Remat
	case m.Src.IsSlot():
		return Load
	case m.Dst.IsSlot():
		return Store
	}
	return Copy
}

// Format renders m as "load rax <- [2] (0007)".
func (m Move) Format(t *Target) string {
	return fmt.Sprintf("%s %s <- %s (%04d)", m.Kind(), m.Dst.Format(t), m.Src.Format(t), int(m.Ref)-int(irkit.Bias))
}

// -- The result -------------------------------------------------------------

// InsRegs is the allocation of one instruction.
//
// Dest is the register the instruction writes its result to (NoReg if it
// has none). Op1 and Op2 are the registers of operands ins.Op1 and ins.Op2
// as the instruction reads them (NoReg for a literal, an absent operand,
// or a constant left as an immediate). Helper calls read their arguments
// from the Target's argument registers and have Op1 = Op2 = NoReg. Tmp is
// a temporary the lowering may destroy, when the opcode's Cons asks for one.
//
// Moves[Off : Off+Before] execute, in order, just before the instruction;
// Moves[Off+Before : Off+Before+After] execute, in order, just after it.
// A lowering that walks backwards therefore emits, for each instruction,
// the After moves last to first, then the instruction, then the Before
// moves last to first.
type InsRegs struct {
	Dest, Op1, Op2, Tmp Reg
	Before, After       uint8
	Off                 uint32
}

// Exit records where the values of a snapshot are when a guard leaves the
// trace, or at the trace's end (Ref is then Trace.Next()): where a
// straight trace runs off its end, where a restarting trace writes its
// last snapshot, and, in a loop trace, at the back edge, after the last
// instruction's After moves and before the Tail moves, where the
// interrupt check leaves through the loop snapshot (Snap is then
// len(Trace.Snaps)-1). Locs[Off : Off+N] lists each instruction the
// snapshot refers to, once, with its location at the exit; constants are
// not listed (they are their own location). A register location is valid
// after the guard's Before moves and the instruction itself, so it never
// names the guard's own Dest.
type Exit struct {
	Ref    irkit.Ref
	Snap   int32
	Off, N uint32
}

// RefLoc pairs a value with a location.
type RefLoc struct {
	Ref irkit.Ref
	Loc Loc
}

// Span is a range of Moves (or of Locs).
type Span struct{ Off, N uint32 }

// Stats counts the moves of an allocation (each move once, wherever it
// is), and separately those inside a loop body or at its back edge, which
// run on every iteration.
type Stats struct {
	Spills  int // slot ← register stores
	Reloads int // register ← slot loads
	Remats  int // constant rematerializations
	Copies  int // register ← register copies

	LoopSpills, LoopReloads, LoopRemats, LoopCopies int
}

// Result is the allocation of one trace, as plain data for the lowering,
// the snapshot restorer and the checker. See the package documentation
// for the execution order of the moves.
type Result struct {
	Target *Target
	// First is the Ref of Ins[0]; Ins has one entry per instruction.
	First irkit.Ref
	Ins   []InsRegs
	// Moves holds every move; Ins, Entry and Tail index it.
	Moves []Move
	// Entry moves run once at the start of the trace, before the first
	// instruction's Before moves: they load constants the trace expects
	// in registers from the start.
	Entry Span
	// Tail moves run at the end of a loop trace, after the last
	// instruction, before the jump back to the LOOP instruction: the
	// back-edge parallel move, already sequenced (cycles go through the
	// Target's scratch register). Empty for a trace without LOOP.
	Tail Span
	// Top lists the registers that hold values when control is at the
	// LOOP instruction (both on entry and after the back edge), sorted by
	// Ref. Values not listed are in their slots or are constants.
	Top []RefLoc
	// Exits has one record per guard and one for the end of the trace
	// (Ref = Trace.Next(); in a loop trace, the back edge's interrupt
	// exit through the loop snapshot), sorted by Ref; Locs holds their
	// entries.
	Exits []Exit
	Locs  []RefLoc
	// NSlots is the number of 8-byte spill slots used: the spill area is
	// 8*NSlots bytes.
	NSlots int
	Stats  Stats
}

// At returns the allocation of instruction r.
func (res *Result) At(r irkit.Ref) *InsRegs { return &res.Ins[r-res.First] }

// BeforeMoves returns the moves that run just before instruction r.
func (res *Result) BeforeMoves(r irkit.Ref) []Move {
	ir := &res.Ins[r-res.First]
	return res.Moves[ir.Off : ir.Off+uint32(ir.Before)]
}

// AfterMoves returns the moves that run just after instruction r.
func (res *Result) AfterMoves(r irkit.Ref) []Move {
	ir := &res.Ins[r-res.First]
	s := ir.Off + uint32(ir.Before)
	return res.Moves[s : s+uint32(ir.After)]
}

// SpanMoves returns the moves of a span (Entry or Tail).
func (res *Result) SpanMoves(s Span) []Move { return res.Moves[s.Off : s.Off+s.N] }

// ExitAt returns the exit record of guard r (or of the trace end), and
// false if r has none.
func (res *Result) ExitAt(r irkit.Ref) (*Exit, bool) {
	i := sort.Search(len(res.Exits), func(i int) bool { return res.Exits[i].Ref >= r })
	if i < len(res.Exits) && res.Exits[i].Ref == r {
		return &res.Exits[i], true
	}
	return nil, false
}

// Where returns the location of value ref when guard exits (or at the
// trace end, guard = Trace.Next(): for a loop trace, at the back edge
// before the Tail moves): a register, a spill slot, or the constant
// itself. It returns LocNone if ref is not in that exit's
// snapshot.
func (res *Result) Where(guard, ref irkit.Ref) Loc {
	if ref.IsConst() {
		return ConstLoc(ref)
	}
	e, ok := res.ExitAt(guard)
	if !ok {
		return LocNone
	}
	for _, rl := range res.Locs[e.Off : e.Off+e.N] {
		if rl.Ref == ref {
			return rl.Loc
		}
	}
	return LocNone
}

// Format renders the allocation beside the trace, one instruction a line
// with its moves, for dumps and tests.
func (res *Result) Format(tr *irkit.Trace) string {
	var sb strings.Builder
	t := res.Target
	for _, m := range res.SpanMoves(res.Entry) {
		fmt.Fprintf(&sb, "       %s\n", m.Format(t))
	}
	for i := range res.Ins {
		r := res.First + irkit.Ref(i)
		for _, m := range res.BeforeMoves(r) {
			fmt.Fprintf(&sb, "       %s\n", m.Format(t))
		}
		ir := &res.Ins[i]
		var line strings.Builder
		fmt.Fprintf(&line, "%-40s", tr.InsString(r))
		if ir.Dest != NoReg || ir.Op1 != NoReg || ir.Op2 != NoReg {
			fmt.Fprintf(&line, " ; %s <- %s, %s", t.RegName(ir.Dest), t.RegName(ir.Op1), t.RegName(ir.Op2))
		}
		if ir.Tmp != NoReg {
			fmt.Fprintf(&line, " tmp %s", t.RegName(ir.Tmp))
		}
		res.formatExit(&line, r)
		sb.WriteString(strings.TrimRight(line.String(), " "))
		sb.WriteByte('\n')
		for _, m := range res.AfterMoves(r) {
			fmt.Fprintf(&sb, "       %s\n", m.Format(t))
		}
	}
	if e, ok := res.ExitAt(tr.Next()); ok && e.N > 0 {
		sb.WriteString("   end")
		res.formatExit(&sb, tr.Next())
		sb.WriteByte('\n')
	}
	for _, m := range res.SpanMoves(res.Tail) {
		fmt.Fprintf(&sb, "  tail %s\n", m.Format(t))
	}
	return sb.String()
}

// formatExit appends " exit{ref:loc ...}" for the exit record at r, if
// it has one with values.
func (res *Result) formatExit(sb *strings.Builder, r irkit.Ref) {
	e, ok := res.ExitAt(r)
	if !ok || e.N == 0 {
		return
	}
	sb.WriteString(" exit{")
	for j, rl := range res.Locs[e.Off : e.Off+e.N] {
		if j > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(sb, "%04d:%s", int(rl.Ref-irkit.Bias), rl.Loc.Format(res.Target))
	}
	sb.WriteString("}")
}
