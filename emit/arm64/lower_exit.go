package arm64

// -- Exits ---------------------------------------------------------------------
//
// Every guard, the end of a trace that does not loop, and the interrupt
// check at a loop's back edge are exit sources. Each gets a small stub that
// puts the values of its snapshot where the compiled trace says they are
// (emit.Trace.Locs): several guards may exit through one snapshot with
// their values in different registers, so the locations of the first
// source of a snapshot are canonical and every other source's stub moves
// its values there. A register location means "the word in State.Regs" (a
// stub stores the register there), a spill slot means the spill area; so
// the canonical source's stub only stores registers, and the others move
// values into those cells and slots (slot-to-slot cycles are broken through
// State.Args, unused at an exit).
//
// Linking: each linkable snapshot ends in a shared tail that jumps through
// a slot of a per-trace jump table in ordinary (data) memory:
//
//	tail_n:    ldr  x16, lit_n        ; &jump[n]
//	           ldr  x16, [x16]
//	           br   x16               ; the exit's patchable site
//	handler_n: mov  x16, #n           ; jump[n] holds handler_n until linked
//	           b    common
//	lit_n:     .quad &jump[n]
//	common:    str  w16, [x0, #Exit]
//	           mov  x0, x16           ; the status word
//	           ret
//
// Linking exit n to a side trace is one atomic store of the side trace's
// entry into jump[n]: no code is rewritten, no page changes protection and
// no instruction cache needs flushing (the trade-off: an exit costs two
// loads and an indirect branch, which is nothing next to restoring a
// snapshot). The interrupt exit returns emit.StatusInterrupt | n directly.
//
// Why per-exit stubs that store only what their snapshot needs, and not
// one handler saving every register: most snapshots need a handful of
// registers (4 bytes a store; values in spill slots cost nothing), while a
// save-everything handler costs 24 general and 32 float stores on every
// exit. Consecutive guards with the same snapshot and locations share one
// stub. Measured on lowertest's random traces (TestLowerAssemble): 30 to
// 35 bytes of exit code per guard, tails and handler included, 45 to 50
// under high register pressure.

import (
	"sync/atomic"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// exitSrc is one place that exits.
type exitSrc struct {
	ref   irkit.Ref // the guard, or Trace.Next() for the end
	snap  int32     // snapshot, -1 for none
	intr  bool      // the interrupt exit
	locs  []regalloc.RefLoc
	label Label
	dup   bool // shares the stub of the exit before it (same snapshot, same locations)
}

// xmove is one move of an exit stub, in program order. A location is a
// register, a spill slot, or (cell >= 0) a word of the State block.
type xmove struct {
	dst, src   regalloc.Loc
	dcel, scel int32 // State offsets when dst/src is a cell (else -1)
}

// planExits collects the exit sources, picks canonical locations per
// snapshot and fills code's exit tables.
func (l *Lowerer) planExits() error {
	tr, res := l.tr, l.res
	l.exits = l.exits[:0]
	for _, e := range res.Exits {
		l.exits = append(l.exits, exitSrc{ref: e.Ref, snap: e.Snap, locs: res.Locs[e.Off : e.Off+e.N]})
	}
	l.exitIdx = len(l.exits) - 1
	l.intExit = -1
	l.parks = l.parks[:0]
	switch {
	case tr.Loop != irkit.NoRef:
		// The interrupt check sits at the end of the body, before the
		// back edge's moves: the trace leaves through its last snapshot
		// (the loop snapshot in terms of the body's values), with the
		// values wherever the body left them. An allocator that records
		// the back edge's exit (Exits at Trace.Next()) says where; for
		// one that does not, simulate finds out.
		if n := len(l.exits); n > 0 && l.exits[n-1].ref == tr.Next() {
			l.exits[n-1].intr = true
			l.intExit = int32(n - 1)
			break
		}
		si := int32(len(tr.Snaps) - 1)
		if si < 0 {
			return lowerErr("loop trace without snapshots")
		}
		locs, err := l.simulate(int(si))
		if err != nil {
			return err
		}
		l.intExit = int32(len(l.exits))
		l.exits = append(l.exits, exitSrc{ref: tr.Next(), snap: si, intr: true, locs: locs})
	case tr.Looping:
		for i := range l.exits {
			if l.exits[i].ref == tr.Next() {
				e := l.exits[i]
				e.intr = true
				l.intExit = int32(len(l.exits))
				l.exits = append(l.exits, e)
				break
			}
		}
	}
	ns := len(tr.Snaps)
	l.tails = growLabels(l.tails, ns)
	l.handlers = growLabels(l.handlers, ns)
	l.sites = growLabels(l.sites, ns)
	l.lits = growLabels(l.lits, ns)
	l.canon = emit.CanonExits(l.canon, ns, res)
	for i := range l.exits {
		e := &l.exits[i]
		if i > 0 && sameExit(&l.exits[i-1], e) {
			e.label, e.dup = l.exits[i-1].label, true
			continue
		}
		e.label = l.a.NewLabel()
		if e.snap < 0 || int(e.snap) >= ns {
			e.snap = -1
			continue
		}
		if l.canon[e.snap] < 0 {
			l.canon[e.snap] = int32(i) // the interrupt exit, after res.Exits
		}
		if !e.intr && l.tails[e.snap] == 0 {
			l.tails[e.snap] = l.a.NewLabel()
			l.handlers[e.snap] = l.a.NewLabel()
			l.sites[e.snap] = l.a.NewLabel()
		}
	}
	return nil
}

// sameExit reports whether two exit sources can share one stub: guards
// (or the end) through the same snapshot with their values in the same
// places, as consecutive guards with nothing in between often are.
func sameExit(x, y *exitSrc) bool {
	return !x.intr && !y.intr && emit.SameExit(x.snap, x.locs, y.snap, y.locs)
}

// simulate finds where the values of snapshot si (the trace's last: the
// loop snapshot in terms of the body's values) are at the end of the loop
// body, where the interrupt check exits, for an allocation that records
// locations only at guards (emit.LoopSim); an invariant kept nowhere there
// is parked.
func (l *Lowerer) simulate(si int) ([]regalloc.RefLoc, error) {
	res := l.res
	l.sim.Scratch = regalloc.RegSet(0).With(res.Target.Scratch).With(res.Target.Scratch + 1)
	l.sim.Run(l.tr, res)
	l.parks = l.parks[:0]
	alloc := res.Target.Alloc[regalloc.GPR] | res.Target.Alloc[regalloc.FPR]
	locs, missing, ok := l.sim.Locs(si, func(ref irkit.Ref) regalloc.Loc { return l.park(ref, alloc) })
	if !ok {
		return nil, lowerErr("interrupt exit: value %04d of the loop snapshot is not kept at the back edge", int(missing-irkit.Bias))
	}
	l.locBuf = append(l.locBuf[:0], locs...)
	return l.locBuf, nil
}

// parkCells are the State.Regs words of registers the allocator never
// hands out: no exit stores a register there, so they can hold a value for
// the interrupt exit for the whole loop.
var parkCells = [...]regalloc.Reg{16, 17, 18, 28, 29, 30, 31}

func isPark(r regalloc.Reg) bool {
	for _, p := range parkCells {
		if p == r {
			return true
		}
	}
	return false
}

// park handles an invariant of the loop snapshot that the allocation does
// not keep to the back edge (nothing in the body needs it, so its register
// was reused): the peeled part stores it, once, into a parking cell of
// State.Regs as the loop is entered, and the interrupt exit reads it there.
func (l *Lowerer) park(ref irkit.Ref, alloc regalloc.RegSet) regalloc.Loc {
	if len(l.parks) >= len(parkCells) {
		return regalloc.LocNone
	}
	src := regalloc.LocNone
	for x := regalloc.Reg(0); x < regalloc.MaxRegs; x++ {
		if alloc.Has(x) && l.sim.EntryRegs[x].Ref == ref {
			src = regalloc.RegLoc(x)
			break
		}
	}
	for s := 0; src == regalloc.LocNone && s < len(l.sim.EntrySlots); s++ {
		if l.sim.EntrySlots[s].Ref == ref {
			src = regalloc.SlotLoc(s)
		}
	}
	if src == regalloc.LocNone {
		return regalloc.LocNone
	}
	cell := parkCells[len(l.parks)]
	l.parks = append(l.parks, parking{src: src, cell: cell})
	return regalloc.RegLoc(cell)
}

type parking struct {
	src  regalloc.Loc
	cell regalloc.Reg
}

// parkStores emits the parking stores (at the loop entry).
func (l *Lowerer) parkStores() {
	for _, p := range l.parks {
		l.xmove(xmove{src: p.src, dcel: regCell(p.cell), scel: -1})
	}
}

// emitExits emits the common handler, the linkable tails and the stubs;
// being emitted first, they end up after the body.
func (l *Lowerer) emitExits() {
	a := l.a
	l.common = a.NewLabel()
	a.Ret()
	a.Mov(X0, X16)
	a.Str(Size32, W16, Off(StateReg, emit.StateExit))
	a.Bind(l.common)
	for n := len(l.tails) - 1; n >= 0; n-- {
		if l.tails[n] == 0 {
			continue
		}
		lit := a.NewLabel()
		l.lits[n] = lit
		a.Data8(0) // &jump[n], written by install
		a.Bind(lit)
		a.B(l.common)
		a.MovImm(X16, uint64(n))
		a.Bind(l.handlers[n])
		a.Br(X16)
		a.Bind(l.sites[n])
		a.Ldr(Size64, false, X16, Off(X16, 0))
		a.LdrLit(X16, lit)
		a.Bind(l.tails[n])
	}
	for i := len(l.exits) - 1; i >= 0; i-- {
		l.stub(i)
	}
}

// stub emits exit source i's stub.
func (l *Lowerer) stub(i int) {
	a := l.a
	e := &l.exits[i]
	if e.dup {
		return
	}
	// The jump out, emitted first (it runs last).
	switch {
	case e.snap < 0:
		a.B(l.common)
		st := uint64(emit.NoExit)
		if e.intr {
			st |= emit.StatusInterrupt
		}
		a.MovImm(X16, st)
	case e.intr:
		a.B(l.common)
		a.MovImm(X16, emit.StatusInterrupt|uint64(e.snap))
	default:
		a.B(l.tails[e.snap])
	}
	if e.snap >= 0 {
		canon := l.exits[l.canon[e.snap]].locs
		if !l.exitMoves(e.locs, canon) {
			l.fail("exit at %04d: cannot move its values to the snapshot's locations", int(e.ref-irkit.Bias))
		}
	}
	a.Bind(e.label)
}

// exitMoves plans and emits the moves that put the values at locations
// src where canon says, in program order: register cells first (their
// sources are never overwritten), then spill slots in an order that reads
// every slot before it is overwritten.
func (l *Lowerer) exitMoves(src, canon []regalloc.RefLoc) bool {
	l.seq, l.pend = l.seq[:0], l.pend[:0]
	for _, cl := range canon {
		s := findLoc(src, cl.Ref)
		if s == regalloc.LocNone {
			return false
		}
		scel := int32(-1)
		if s.IsReg() && isPark(s.Reg()) {
			scel = regCell(s.Reg()) // a parked value: already in its cell
		}
		switch {
		case cl.Loc.IsReg():
			if cl.Loc != s || scel < 0 {
				l.seq = append(l.seq, xmove{dst: cl.Loc, src: s, dcel: regCell(cl.Loc.Reg()), scel: scel})
			}
		case cl.Loc.IsSlot():
			if s != cl.Loc {
				l.pend = append(l.pend, xmove{dst: cl.Loc, src: s, dcel: -1, scel: scel})
			}
		default:
			return false
		}
	}
	temps := int32(0)
	for len(l.pend) > 0 {
		k := -1
		for i, m := range l.pend {
			if !slotRead(l.pend, i, m.dst) {
				k = i
				break
			}
		}
		if k < 0 {
			// A cycle: park the first move's destination slot in a cell.
			if temps > 8 {
				return false
			}
			cell := emit.StateArgs + 8*temps
			temps++
			d := l.pend[0].dst
			l.seq = append(l.seq, xmove{dcel: cell, src: d, scel: -1})
			for i := range l.pend {
				if l.pend[i].src == d && l.pend[i].scel < 0 {
					l.pend[i].scel = cell
				}
			}
			continue
		}
		l.seq = append(l.seq, l.pend[k])
		l.pend = append(l.pend[:k], l.pend[k+1:]...)
	}
	// Emit backwards.
	for i := len(l.seq) - 1; i >= 0; i-- {
		l.xmove(l.seq[i])
	}
	for _, m := range l.seq {
		if m.src.IsSlot() && m.scel < 0 || m.dst.IsSlot() {
			l.a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
			break
		}
	}
	return true
}

// slotRead reports whether a pending move other than skip reads slot d.
func slotRead(p []xmove, skip int, d regalloc.Loc) bool {
	for i, m := range p {
		if i != skip && m.scel < 0 && m.src == d {
			return true
		}
	}
	return false
}

// xmove emits one exit move (backwards: the store first).
func (l *Lowerer) xmove(m xmove) {
	a := l.a
	// The value goes through a register: its own, or x16.
	var v Reg = X16
	var fv FReg
	useF := false
	if m.scel < 0 && m.src.IsReg() {
		if isFPR(m.src.Reg()) {
			fv, useF = dreg(m.src.Reg()), true
		} else {
			v = xreg(m.src.Reg())
		}
	}
	switch {
	case m.dcel >= 0 && useF:
		a.FStr(fv, Off(StateReg, m.dcel))
	case m.dcel >= 0:
		a.Str(Size64, v, Off(StateReg, m.dcel))
	case useF:
		l.fstoreAt(fv, SpillReg, int64(8*m.dst.Slot()))
	default:
		l.storeAt(Size64, v, SpillReg, int64(8*m.dst.Slot()))
	}
	switch {
	case m.scel >= 0:
		a.Ldr(Size64, false, X16, Off(StateReg, m.scel))
	case m.src.IsSlot():
		l.loadAt(Size64, X16, SpillReg, int64(8*m.src.Slot()))
	}
}

func growLabels(s []Label, n int) []Label {
	s = s[:0]
	for i := 0; i < n; i++ {
		s = append(s, 0)
	}
	return s
}

// -- Compiled code -------------------------------------------------------------

// Code is a trace compiled for arm64: the architecture-independent
// description (emit.Trace: the block, the entry, where every exit leaves
// its values, the patchable sites) plus the jump table its exits branch
// through and the call-outs it makes to Go.
type Code struct {
	emit.Trace // its Callouts are the call-outs, served by its Run
	// jump holds, per snapshot, where its exit goes: the trace's own exit
	// handler, or the entry of a linked side trace. Go heap memory: it
	// does not move, and Code keeps it alive.
	jump    []uintptr
	handler []uintptr
	mem     *emit.Mem
}

// Install puts the code of the last Assemble into executable memory and
// resolves the addresses the code holds: each linkable exit's literal (its
// jump slot) and the slots' first targets (the exit handlers).
func (l *Lowerer) Install() (*Code, error) {
	if !l.ready {
		return nil, lowerErr("Install without a successful Assemble")
	}
	l.ready = false
	a := l.a
	ns := len(l.tails)
	code := &Code{jump: make([]uintptr, ns), handler: make([]uintptr, ns)}
	buf := a.Buf.Bytes()
	n := len(buf)
	blk, err := l.Mem.Alloc(n)
	if err != nil {
		return nil, err
	}
	addr := func(lb Label) uintptr {
		p, _ := a.LabelPos(lb)
		return PosAddr(p, n, blk.Addr)
	}
	for s := 0; s < ns; s++ {
		if l.tails[s] == 0 {
			continue
		}
		code.handler[s] = addr(l.handlers[s])
		code.jump[s] = code.handler[s]
		code.Sites = append(code.Sites, emit.ExitSite{Exit: uint32(s), Addr: addr(l.sites[s])})
		lp, _ := a.LabelPos(l.lits[s])
		put8(buf[n-int(lp):], uint64(uintptr(unsafe.Pointer(&code.jump[s]))))
	}
	code.Callouts = make([]Callout, len(l.callouts))
	for i := range l.callouts {
		code.Callouts[i] = l.callouts[i]
		code.Callouts[i].Resume = addr(l.resumes[i])
	}
	if err := a.Link(buf, blk.Addr); err != nil {
		l.Mem.Free(blk)
		return nil, err
	}
	if err := l.Mem.Write(blk, 0, buf); err != nil {
		l.Mem.Free(blk)
		return nil, err
	}
	code.Block = blk
	code.Entry = blk.Addr
	code.mem = l.Mem
	code.NSpill = l.nspill
	code.CodeSize = n - l.stubSize
	code.StubSize = l.stubSize
	code.SetExitLocs(ns, func(s int) ([]regalloc.RefLoc, bool) {
		if i := l.canon[s]; i >= 0 {
			return l.exits[i].locs, true
		}
		return nil, false
	})
	return code, nil
}

func put8(b []byte, v uint64) {
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
}

// Link makes exit n jump to target (the entry of a side trace compiled for
// the same State) instead of returning to Go. It is one atomic store into
// the exit's jump slot: safe while the trace runs on another goroutine.
func (code *Code) Link(n int, target uintptr) error {
	if n < 0 || n >= len(code.jump) || code.jump[n] == 0 {
		return lowerErr("exit %d of this trace cannot be linked", n)
	}
	if target == 0 || target&3 != 0 {
		return lowerErr("bad link target %#x", target)
	}
	atomic.StoreUintptr(&code.jump[n], target)
	return nil
}

// Unlink makes exit n return to Go again.
func (code *Code) Unlink(n int) error {
	if n < 0 || n >= len(code.jump) || code.jump[n] == 0 {
		return lowerErr("exit %d of this trace cannot be linked", n)
	}
	atomic.StoreUintptr(&code.jump[n], code.handler[n])
	return nil
}

// Free returns the code's memory. The code must not be running or linked
// to from another trace.
func (code *Code) Free() error {
	if code.mem == nil {
		return nil
	}
	err := code.mem.Free(code.Block)
	code.mem = nil
	return err
}

// Linker knows the compiled traces of a guard.Tracker by TraceID and links
// exits to side traces: it implements guard.Patcher. A trace registered
// with AddCode is linked through its jump table (one atomic store, no code
// rewritten, no cache flush); one registered with Add, known only by its
// emit.Trace, by rewriting the br of each of the exit's sites into a b to
// the side trace through Mem.Patch (which flips one page and flushes the
// instruction cache). Either way the exit's stub has already put the
// parent's values where the parent's Locs say, and X0 still holds the
// state, so the side trace reads them as a snapshot restorer would.
type Linker struct {
	Mem    *emit.Mem
	traces []*emit.Trace // index: TraceID-1
	codes  []*Code
}

// Add records the compiled trace with id.
func (k *Linker) Add(id guard.TraceID, t *emit.Trace) error {
	return k.add(id, t, nil)
}

// AddCode records the compiled trace with id, with its jump table.
func (k *Linker) AddCode(id guard.TraceID, c *Code) error {
	if c == nil {
		return lowerErr("Linker.AddCode: nil code")
	}
	return k.add(id, &c.Trace, c)
}

func (k *Linker) add(id guard.TraceID, t *emit.Trace, c *Code) error {
	if id == 0 || t == nil {
		return lowerErr("Linker.Add: bad trace %d", id)
	}
	for len(k.traces) < int(id) {
		k.traces = append(k.traces, nil)
		k.codes = append(k.codes, nil)
	}
	k.traces[id-1], k.codes[id-1] = t, c
	return nil
}

// Trace returns the compiled trace with id, or nil.
func (k *Linker) Trace(id guard.TraceID) *emit.Trace {
	if id == 0 || int(id) > len(k.traces) {
		return nil
	}
	return k.traces[id-1]
}

// PatchExit links exit of trace parent to the entry of trace side.
func (k *Linker) PatchExit(parent guard.TraceID, exit int, side guard.TraceID) error {
	p, s := k.Trace(parent), k.Trace(side)
	if p == nil || s == nil {
		return lowerErr("PatchExit: unknown trace (parent %d, side %d)", parent, side)
	}
	if c := k.codes[parent-1]; c != nil {
		return c.Link(exit, s.Entry)
	}
	if k.Mem == nil {
		return lowerErr("PatchExit: no Mem to patch trace %d", parent)
	}
	n := 0
	for _, st := range p.Sites {
		if int(st.Exit) != exit {
			continue
		}
		b, err := PatchB(st.Addr, s.Entry)
		if err != nil {
			return err
		}
		if err := k.Mem.Patch(st.Addr, b[:]); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return lowerErr("PatchExit: trace %d has no site for exit %d", parent, exit)
	}
	return nil
}

var _ guard.Patcher = (*Linker)(nil)
