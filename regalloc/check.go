package regalloc

// Why a checker: an allocator bug shows up as a wrong value far from its
// cause, often only on one path through one exit. Check proves an
// allocation correct instead, the way Cranelift's regalloc2 checker does:
// it executes the allocated trace symbolically, tracking for every
// register and spill slot the set of IR values it holds, through every
// move, instruction, clobber and the back edge, and verifies that every
// use reads a location holding the value it needs. It shares no code or
// state with the allocator: it reads only the trace, the Target's
// constraint table and the Result.
//
// A loop is checked at its fixed point. The state at LOOP is the meet
// (per location, the intersection) of the state on entry and the state
// the back edge delivers; the body is re-run until that state stops
// changing, and then checked once more with every check on; the back
// edge's exit (the record at Trace.Next(), the loop snapshot) is checked
// in that last pass after the body, before the Tail moves. Across the
// back edge a location keeps the values that do not change from one
// iteration to the next (constants and values from before the loop that
// no PHI redefines), and a location holding a PHI's right operand now
// holds its left operand.

import (
	"fmt"

	"github.com/jitkit/jitkit/irkit"
)

// Check verifies that res is a correct allocation of tr on res.Target and
// returns the first violation found, or nil.
func Check(tr *irkit.Trace, res *Result) error {
	c := &checker{tr: tr, res: res, t: res.Target}
	return c.run()
}

type checker struct {
	tr    *irkit.Trace
	res   *Result
	t     *Target
	st    [][]irkit.Ref // per location: registers 0..63, then slots
	check bool
	err   error
	phis  []irkit.Ins
}

func (c *checker) fail(format string, args ...any) {
	if c.check && c.err == nil {
		c.err = fmt.Errorf("regalloc check: "+format, args...)
	}
}

func (c *checker) newState() [][]irkit.Ref {
	return make([][]irkit.Ref, MaxRegs+c.res.NSlots)
}

func (c *checker) index(l Loc) (int, bool) {
	switch {
	case l.IsReg():
		r := l.Reg()
		ok := r < MaxRegs && (c.t.Regs[GPR] | c.t.Regs[FPR]).Has(r) && r != c.t.State
		return int(r), ok
	case l.IsSlot():
		return MaxRegs + l.Slot(), l.Slot() < c.res.NSlots
	}
	return 0, false
}

func has(set []irkit.Ref, r irkit.Ref) bool {
	for _, x := range set {
		if x == r {
			return true
		}
	}
	return false
}

func (c *checker) holds(l Loc, r irkit.Ref) bool {
	i, ok := c.index(l)
	return ok && has(c.st[i], r)
}

func (c *checker) move(m Move) {
	di, ok := c.index(m.Dst)
	if !ok || m.Dst.IsSlot() && !m.Src.IsReg() {
		c.fail("bad move %s", m.Format(c.t))
		return
	}
	var src []irkit.Ref
	if m.Src.IsConst() {
		src = []irkit.Ref{m.Src.Const()}
		if k := m.Src.Const(); !k.IsConst() || !c.tr.Valid(k) {
			c.fail("remat of a non-constant: %s", m.Format(c.t))
		}
	} else {
		si, ok := c.index(m.Src)
		if !ok {
			c.fail("bad move source %s", m.Format(c.t))
			return
		}
		src = c.st[si]
	}
	if !has(src, m.Ref) {
		c.fail("move %s: source does not hold the value", m.Format(c.t))
	}
	c.st[di] = append([]irkit.Ref(nil), src...)
}

func (c *checker) moves(s []Move) {
	for _, m := range s {
		c.move(m)
	}
}

func (c *checker) run() error {
	tr, res := c.tr, c.res
	if len(res.Ins) != tr.Len() || res.First != irkit.First {
		return fmt.Errorf("regalloc check: result covers %d instructions, trace has %d", len(res.Ins), tr.Len())
	}
	for i := range res.Ins {
		ir := &res.Ins[i]
		if int(ir.Off)+int(ir.Before)+int(ir.After) > len(res.Moves) {
			return fmt.Errorf("regalloc check: moves of %04d out of range", i+1)
		}
	}
	if uint64(res.Entry.Off)+uint64(res.Entry.N) > uint64(len(res.Moves)) || uint64(res.Tail.Off)+uint64(res.Tail.N) > uint64(len(res.Moves)) {
		return fmt.Errorf("regalloc check: entry or tail out of range")
	}
	for _, e := range res.Exits {
		if uint64(e.Off)+uint64(e.N) > uint64(len(res.Locs)) {
			return fmt.Errorf("regalloc check: exit %04d: locations out of range", int(e.Ref)-int(irkit.Bias))
		}
	}
	if res.Target == nil || res.NSlots < 0 || res.NSlots > 1<<20 {
		return fmt.Errorf("regalloc check: no target or bad slot count")
	}
	c.st = c.newState()
	c.check = true
	c.moves(res.SpanMoves(res.Entry))
	end := tr.Next()
	loop := tr.Loop
	if loop == irkit.NoRef {
		if res.Tail.N != 0 {
			c.fail("%d tail moves on a trace without LOOP", res.Tail.N)
		}
		c.span(irkit.First, end)
		if si := tr.SnapOf(end); si >= 0 {
			c.exit(end, si)
		}
		return c.err
	}
	if !loop.IsIns() || loop >= end || tr.Ins(loop).Op != irkit.LOOP {
		return fmt.Errorf("regalloc check: Trace.Loop is not a LOOP instruction")
	}
	for r := loop + 1; r < end; r++ {
		if ins := tr.Ins(r); ins.Op == irkit.PHI {
			c.phis = append(c.phis, ins)
		}
	}
	c.span(irkit.First, loop+1)
	entry := c.st
	top := clone(entry)
	c.check = false
	for iter := 0; ; iter++ {
		if iter > 64 {
			return fmt.Errorf("regalloc check: loop state does not converge")
		}
		c.st = clone(top)
		c.span(loop+1, end)
		c.moves(res.SpanMoves(res.Tail))
		next := meet(entry, c.backEdge(c.st))
		if equal(next, top) {
			break
		}
		top = next
	}
	c.check = true
	for _, rl := range res.Top {
		if i, ok := c.index(rl.Loc); !ok || !rl.Loc.IsReg() || !has(top[i], rl.Ref) {
			c.fail("Top says %04d is in %s at LOOP, it is not", int(rl.Ref-irkit.Bias), rl.Loc.Format(c.t))
		}
	}
	c.st = clone(top)
	c.span(loop+1, end)
	// The back edge's interrupt check exits here, through the loop
	// snapshot, before the Tail moves.
	if si := len(tr.Snaps) - 1; si >= 0 {
		c.exit(end, si)
	}
	c.moves(res.SpanMoves(res.Tail))
	return c.err
}

// backEdge maps the state at the end of the body to the start of the next
// iteration.
func (c *checker) backEdge(st [][]irkit.Ref) [][]irkit.Ref {
	out := make([][]irkit.Ref, len(st))
	for i, set := range st {
		var n []irkit.Ref
		for _, x := range set {
			if c.persists(x) && !has(n, x) {
				n = append(n, x)
			}
		}
		for _, p := range c.phis {
			if has(set, p.Op2) && !has(n, p.Op1) {
				n = append(n, p.Op1)
			}
		}
		out[i] = n
	}
	return out
}

func (c *checker) persists(x irkit.Ref) bool {
	if x.IsConst() {
		return true
	}
	if x >= c.tr.Loop {
		return false
	}
	for _, p := range c.phis {
		if p.Op1 == x {
			return false
		}
	}
	return true
}

func clone(st [][]irkit.Ref) [][]irkit.Ref {
	out := make([][]irkit.Ref, len(st))
	for i, s := range st {
		out[i] = append([]irkit.Ref(nil), s...)
	}
	return out
}

func meet(a, b [][]irkit.Ref) [][]irkit.Ref {
	out := make([][]irkit.Ref, len(a))
	for i := range a {
		for _, x := range a[i] {
			if has(b[i], x) {
				out[i] = append(out[i], x)
			}
		}
	}
	return out
}

func equal(a, b [][]irkit.Ref) bool {
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for _, x := range a[i] {
			if !has(b[i], x) {
				return false
			}
		}
	}
	return true
}

// span executes instructions [from, to).
func (c *checker) span(from, to irkit.Ref) {
	for r := from; r < to; r++ {
		c.moves(c.res.BeforeMoves(r))
		c.ins(r)
		c.moves(c.res.AfterMoves(r))
	}
}

// callArgs flattens a call's CARG tree.
func (c *checker) callArgs(a irkit.Ref) []irkit.Ref {
	if a == irkit.Bias {
		return nil
	}
	var rev []irkit.Ref
	for {
		ins := c.tr.Ins(a)
		if a.IsConst() || ins.Op != irkit.CARG {
			break
		}
		rev = append(rev, ins.Op2)
		a = ins.Op1
	}
	out := []irkit.Ref{a}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// ins checks and executes one instruction.
func (c *checker) ins(r irkit.Ref) {
	ins := c.tr.Ins(r)
	ir := c.res.At(r)
	t := c.t
	name := fmt.Sprintf("%04d %s", int(r-irkit.Bias), ins.Op)
	switch ins.Op {
	case irkit.NOP, irkit.CARG, irkit.PHI, irkit.LOOP:
		return
	}
	cons := t.Cons[ins.Op][ClassOf(ins.T)]
	if cons.ImmFree && ins.Op2.IsConst() && ir.Op2 == NoReg {
		cons.Dest, cons.Op1 = 0, 0 // an immediate op2 frees the others
	}
	call := cons.Call || ins.Op == irkit.CALLN || ins.Op == irkit.CALLS
	var used [NumClasses]int
	var opRegs []Reg
	use := func(ref irkit.Ref, reg Reg, allow RegSet, field int) {
		cls := ClassOf(c.tr.Ins(ref).T)
		if call {
			if used[cls] >= len(t.Args[cls]) {
				c.fail("%s: too many arguments", name)
				return
			}
			if reg == NoReg {
				reg = t.Args[cls][used[cls]]
			} else if reg != t.Args[cls][used[cls]] {
				c.fail("%s: argument in %s, convention says %s", name, t.RegName(reg), t.RegName(t.Args[cls][used[cls]]))
			}
			used[cls]++
			allow = Set(reg)
		}
		if reg == NoReg {
			w, _ := c.tr.KWord(ref)
			if !(field == 1 && cons.Imm2 && ref.IsConst() && cls == GPR && int64(w) >= t.ImmMin && int64(w) <= t.ImmMax) {
				c.fail("%s: operand %04d has no register", name, int(ref)-int(irkit.Bias))
			}
			return
		}
		if allow == 0 {
			allow = t.Alloc[cls]
		}
		if !(allow & t.Alloc[cls]).Has(reg) {
			c.fail("%s: operand %04d in %s, not allowed", name, int(ref)-int(irkit.Bias), t.RegName(reg))
			return
		}
		if !has(c.st[reg], ref) {
			c.fail("%s: operand %04d expected in %s, which holds %v", name, int(ref)-int(irkit.Bias), t.RegName(reg), c.st[reg])
		}
		if field != 0 {
			opRegs = append(opRegs, reg)
		}
	}
	hasVal := ins.Op.HasValue() && ins.T.Base() != irkit.TVoid
	// A value nothing reads may be left without a register: the lowering
	// then emits nothing for it, so only an instruction with no effect
	// of its own may be dead, and a dead instruction reads no operand.
	dead := hasVal && ir.Dest == NoReg && !call && !ins.T.IsGuard() && !ins.Op.IsGuard() &&
		!ins.Op.Has(irkit.FSide) && !ins.Op.Has(irkit.FStore)
	switch {
	case dead:
		if ir.Op1 != NoReg || ir.Op2 != NoReg || ir.Tmp != NoReg {
			c.fail("%s: registers for a dead instruction", name)
		}
	case ins.Op == irkit.CALLN || ins.Op == irkit.CALLS:
		for _, a := range c.callArgs(ins.Op1) {
			use(a, NoReg, 0, -1)
		}
	default:
		// The operands as Target.Operands fuses them: a fused check's
		// load address, a fused address's base and index.
		info := ins.Op.Info()
		op1, op2 := t.Operands(c.tr, r)
		if info.Mode1 == irkit.ModeRef && op1 != irkit.NoRef {
			use(op1, ir.Op1, cons.Op1, 0)
		} else if ir.Op1 != NoReg {
			c.fail("%s: register for a non-value operand", name)
		}
		switch {
		case info.Mode2 == irkit.ModeRef && op2 == ins.Op2:
			use(op2, ir.Op2, cons.Op2, 1)
		case op2 != irkit.NoRef:
			// a fused address's index, a fused second load's object
			use(op2, ir.Op2, 0, 2)
		case ir.Op2 != NoReg:
			c.fail("%s: register for a non-value operand", name)
		}
	}
	clob := cons.Clobber | RegSet(1)<<t.Scratch
	if call {
		clob |= t.CallerSaved
	}
	if dead {
		hasVal = false
		for i := range c.st {
			c.st[i] = without(c.st[i], r)
		}
	}
	if hasVal {
		cls := ClassOf(ins.T)
		allow := cons.Dest
		if call {
			allow = Set(t.Ret[cls])
		}
		if allow == 0 {
			allow = t.Alloc[cls]
		}
		if !(allow & t.Regs[cls]).Has(ir.Dest) {
			c.fail("%s: result in %s, not allowed", name, t.RegName(ir.Dest))
			return
		}
		if !call {
			for _, o := range opRegs {
				if o == ir.Dest && !(ins.Op2 == ins.Op1) {
					c.fail("%s: second operand shares the result register %s", name, t.RegName(o))
				}
			}
		}
		clob = clob.With(ir.Dest)
	} else if ir.Dest != NoReg {
		c.fail("%s: result register for an instruction without a value", name)
	}
	if ir.Tmp != NoReg && !cons.Tmp {
		c.fail("%s: temporary without a request", name)
	}
	if cons.Tmp {
		if !t.Alloc[cons.TmpClass].Has(ir.Tmp) || ir.Tmp == ir.Dest || ir.Tmp == ir.Op1 || ir.Tmp == ir.Op2 {
			c.fail("%s: bad temporary %s", name, t.RegName(ir.Tmp))
		} else {
			clob = clob.With(ir.Tmp)
		}
	}
	for s := clob; s != 0; {
		rr := s.Low()
		s = s.Without(rr)
		c.st[rr] = nil
	}
	if ins.T.IsGuard() {
		if si, ok := c.tr.GuardSnap(r); ok {
			c.exit(r, si)
		} else {
			c.fail("%s: guard without snapshot", name)
		}
	}
	if hasVal {
		for i := range c.st {
			c.st[i] = without(c.st[i], r)
		}
		c.st[ir.Dest] = []irkit.Ref{r}
	}
}

// without returns set without r (set itself when r is not in it).
func without(set []irkit.Ref, r irkit.Ref) []irkit.Ref {
	if !has(set, r) {
		return set
	}
	n := set[:0:0]
	for _, x := range set {
		if x != r {
			n = append(n, x)
		}
	}
	return n
}

// exit checks the locations recorded for an exit through snapshot si.
func (c *checker) exit(r irkit.Ref, si int) {
	e, ok := c.res.ExitAt(r)
	if !ok {
		c.fail("%04d: no exit record", int(r-irkit.Bias))
		return
	}
	if int(e.Snap) != si {
		c.fail("exit %04d: record names snapshot %d, the trace says %d", int(r-irkit.Bias), e.Snap, si)
	}
	locs := c.res.Locs[e.Off : e.Off+e.N]
	for i, rl := range locs {
		for _, o := range locs[:i] {
			if o.Ref == rl.Ref {
				c.fail("exit %04d: %04d listed twice", int(r-irkit.Bias), int(rl.Ref-irkit.Bias))
			}
		}
	}
	for _, en := range c.tr.Entries(si) {
		u := en.Ref()
		if u.IsConst() {
			continue
		}
		found := false
		for _, rl := range locs {
			if rl.Ref != u {
				continue
			}
			found = true
			if !c.holds(rl.Loc, u) {
				c.fail("exit %04d: %04d recorded in %s, which does not hold it", int(r-irkit.Bias), int(u-irkit.Bias), rl.Loc.Format(c.t))
			}
		}
		if !found {
			c.fail("exit %04d: no location for %04d", int(r-irkit.Bias), int(u-irkit.Bias))
		}
	}
}
