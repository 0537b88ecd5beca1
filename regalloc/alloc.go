package regalloc

import (
	"errors"
	"fmt"

	"github.com/jitkit/jitkit/irkit"
)

// Errors reported by Alloc.
var (
	ErrBadTrace = errors.New("regalloc: malformed trace")
	ErrNoReg    = errors.New("regalloc: no register satisfies the constraints")
	ErrTooMany  = errors.New("regalloc: too many call arguments for the target's argument registers")
)

// Per-value flags.
const (
	fWeak      uint8 = 1 << iota // the register is held only for exits, no real use yet
	fLoopLive                    // defined before LOOP and needed inside the loop
	fPhiLeft                     // the left operand of a PHI
	fSlotLoop                    // its slot is read inside the loop body
	fCrossCall                   // live across a helper call
	fUsed                        // an instruction that emits code reads it
)

// operand is one value operand of the instruction being allocated.
type operand struct {
	ref   irkit.Ref
	allow RegSet
	field int8 // 0: ins.Op1, 1: ins.Op2, -1: call argument
	fixed bool
	reg   Reg
}

// phi is a loop-carried value: at the back edge, left takes right's value.
type phi struct {
	left, right irkit.Ref
	src         Loc // where right is at the end of the loop body
}

// Allocator allocates registers for traces. Its memory is reused from one
// trace to the next, so a warm Allocator does not allocate.
type Allocator struct {
	t   *Target
	tr  *irkit.Trace
	res *Result

	nk, first irkit.Ref
	n         int  // instructions
	valid     bool // the pre-pass has validated every operand
	loopPos   int  // position of LOOP, -1 without a loop
	backSnap  int  // the loop snapshot the back edge exits through, -1
	walk      int  // position being allocated

	// Per value, indexed by ref - nk.
	reg      []Reg
	slot     []int32
	hint     []Reg
	flags    []uint8
	chain    []int32 // newest exit entry of the current weak segment, -1
	listed   []int32 // the exit record (1-based) that last listed value i
	useStart []int32 // uses of value i are usePos[useStart[i]:useStart[i+1]], ascending
	usePos   []int32
	useCur   []int32 // number of uses of value i still ahead of the walk
	defCalls []int32 // calls before the definition

	// Per register.
	val   [MaxRegs]irkit.Ref
	free  RegSet
	fresh RegSet // registers filled at the current instruction: never evicted there

	nslots   int
	park     int
	bodyFree []int32
	preFree  []int32

	phis     []phi
	loopVals []irkit.Ref
	exitVals []irkit.Ref // defined before the loop, read only by exits in it
	endLoc   []Loc       // parallel to loopVals

	ops           [irkit.MaxArgs]operand
	nops          int
	opc           []operand // operands of every instruction, from the pre-pass
	opOff         []int32   // instruction p's are opc[opOff[p]:opOff[p+1]]
	snapOf        []int32   // the snapshot a guard exits through, -1
	cur           []operand // the operands of the instruction being allocated
	before, after []Move
	first2        [2]Move
	built         []Move // moves in reverse execution order
	entry, pm     []Move
	locNext       []int32
	snapRefs      []irkit.Ref
}

// NewAllocator returns an allocator for target t.
func NewAllocator(t *Target) *Allocator { return &Allocator{t: t} }

// Alloc allocates registers for tr on t into a new Result.
func Alloc(t *Target, tr *irkit.Trace) (*Result, error) {
	res := &Result{}
	err := NewAllocator(t).Alloc(tr, res)
	return res, err
}

func (a *Allocator) idx(r irkit.Ref) int { return int(r - a.nk) }
func (a *Allocator) pos(r irkit.Ref) int { return int(r) - int(a.first) }

// inBody reports whether the walk is inside the loop body.
func (a *Allocator) inBody() bool { return a.loopPos >= 0 && a.walk > a.loopPos }

// outside reports whether value r is defined before the loop body while
// the walk is inside it (an invariant or a PHI's left operand).
func (a *Allocator) outside(r irkit.Ref) bool {
	return a.inBody() && (r.IsConst() || a.pos(r) < a.loopPos)
}

// Alloc allocates registers for tr into res, reusing res's memory. Bad
// input (an operand that is not an earlier value, a guard without a
// snapshot, a misplaced PHI, more call arguments than registers) is
// reported as an error, never a panic.
func (a *Allocator) Alloc(tr *irkit.Trace, res *Result) error {
	a.tr, a.res = tr, res
	a.nk, a.first = tr.KLow(), irkit.First
	a.n = tr.Len()
	nv := int(tr.Next() - a.nk)
	a.reg = grow(a.reg, nv)
	a.slot = grow(a.slot, nv)
	a.hint = grow(a.hint, nv)
	a.flags = grow(a.flags, nv)
	a.chain = grow(a.chain, nv)
	a.listed = grow(a.listed, nv)
	a.useCur = grow(a.useCur, nv)
	a.defCalls = grow(a.defCalls, nv)
	a.useStart = grow(a.useStart, nv+1)
	for i := 0; i < nv; i++ {
		a.reg[i], a.slot[i], a.hint[i], a.flags[i], a.chain[i] = NoReg, -1, NoReg, 0, -1
		a.useCur[i], a.defCalls[i], a.listed[i] = 0, 0, 0
	}
	a.val = [MaxRegs]irkit.Ref{}
	a.free = a.t.Alloc[GPR] | a.t.Alloc[FPR]
	a.nslots, a.park = 0, -1
	a.bodyFree, a.preFree = a.bodyFree[:0], a.preFree[:0]
	a.phis, a.loopVals, a.endLoc = a.phis[:0], a.loopVals[:0], a.endLoc[:0]
	a.exitVals = a.exitVals[:0]
	a.built, a.entry, a.pm, a.locNext = a.built[:0], a.entry[:0], a.pm[:0], a.locNext[:0]
	a.loopPos, a.backSnap = -1, -1
	if tr.Loop != irkit.NoRef {
		a.loopPos = a.pos(tr.Loop)
	}

	res.Target, res.First = a.t, a.first
	res.Ins = grow(res.Ins, a.n)
	res.Moves, res.Top, res.Exits, res.Locs = res.Moves[:0], res.Top[:0], res.Exits[:0], res.Locs[:0]
	res.Entry, res.Tail, res.Stats = Span{}, Span{}, Stats{}

	a.valid = false
	if err := a.prepass(); err != nil {
		return err
	}
	a.walk = a.n
	if a.loopPos >= 0 {
		if err := a.loopEnd(); err != nil {
			return err
		}
		a.backExit()
	} else if err := a.endExit(); err != nil {
		return err
	}
	for p := a.n - 1; p >= 0; p-- {
		a.walk = p
		if err := a.ins(a.first + irkit.Ref(p)); err != nil {
			return err
		}
	}
	return a.finish()
}

// grow returns s resized to n, reusing its memory.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// -- Pre-pass: uses, calls, validation --------------------------------------

// operands fills a.ops with the value operands of instruction r and the
// registers each may be in; a.nops is their number.
func (a *Allocator) operands(r irkit.Ref, ins irkit.Ins, c *Cons) error {
	a.nops = 0
	info := ins.Op.Info()
	if ins.Op == irkit.CALLN || ins.Op == irkit.CALLS {
		var refs [irkit.MaxArgs]irkit.Ref
		n, ok := a.args(r, ins.Op1, refs[:])
		if !ok {
			return a.bad(r, "bad call arguments")
		}
		var used [NumClasses]int
		for i := 0; i < n; i++ {
			cls := ClassOf(a.tr.Ins(refs[i]).T)
			if used[cls] >= len(a.t.Args[cls]) {
				return fmt.Errorf("%w at %04d", ErrTooMany, int(r-irkit.Bias))
			}
			a.ops[i] = operand{ref: refs[i], allow: Set(a.t.Args[cls][used[cls]]), field: -1, fixed: true}
			used[cls]++
		}
		a.nops = n
		return nil
	}
	var used [NumClasses]int
	// Target.Operands: a fused check reads its load's address, a fused
	// address its base and index, in place of the operand's value.
	op1, op2 := a.t.Operands(a.tr, r)
	// Only a check fused with an SLOAD reads no register in place of an
	// operand there is (its slot's word).
	slotFused := op1 == irkit.NoRef && ins.Op1 != irkit.NoRef
	for f := 0; f < 2; f++ {
		mode, ref, allow := info.Mode1, op1, c.Op1
		if f == 0 && c.ImmFree && c.Imm2 && op2 == ins.Op2 && a.immOK(op2) {
			allow = 0 // an immediate op2 frees op1
		}
		if f == 1 {
			mode, ref, allow = info.Mode2, op2, c.Op2
			if mode != irkit.ModeRef && ref != irkit.NoRef {
				// The index of a fused address, in the place of a
				// literal or absent second operand: any register.
				mode, allow = irkit.ModeRef, 0
			}
		}
		if mode != irkit.ModeRef || f == 0 && slotFused {
			continue // a fused SLOAD's slot needs no register
		}
		if !a.valid && !a.valueRef(ref, r) {
			return a.bad(r, "operand is not an earlier value")
		}
		if f == 1 && c.Imm2 && ref == ins.Op2 && a.immOK(ref) {
			continue
		}
		cls := ClassOf(a.tr.Ins(ref).T)
		if c.Call {
			if used[cls] >= len(a.t.Args[cls]) {
				return fmt.Errorf("%w at %04d", ErrTooMany, int(r-irkit.Bias))
			}
			allow = Set(a.t.Args[cls][used[cls]])
			used[cls]++
		}
		if allow == 0 {
			allow = a.t.Alloc[cls]
		}
		allow &= a.t.Alloc[cls]
		if allow == 0 {
			return fmt.Errorf("%w: operand of %04d", ErrNoReg, int(r-irkit.Bias))
		}
		a.ops[a.nops] = operand{ref: ref, allow: allow, field: int8(f), fixed: allow.Len() == 1}
		a.nops++
	}
	return nil
}

// immOK reports whether constant ref fits an immediate operand.
func (a *Allocator) immOK(ref irkit.Ref) bool {
	if !ref.IsConst() || ClassOf(a.tr.Ins(ref).T) != GPR {
		return false
	}
	w, ok := a.tr.KWord(ref)
	v := int64(w)
	return ok && v >= a.t.ImmMin && v <= a.t.ImmMax
}

// valueRef reports whether ref is a constant or an instruction before r
// that produces a value.
func (a *Allocator) valueRef(ref, r irkit.Ref) bool {
	if ref.IsConst() {
		return ref >= a.nk
	}
	if ref <= irkit.Bias || ref >= r {
		return false
	}
	ins := a.tr.Ins(ref)
	return ins.Op.HasValue() && ins.T.Base() != irkit.TVoid
}

// args flattens the CARG tree of a call into refs.
func (a *Allocator) args(r, arg irkit.Ref, refs []irkit.Ref) (int, bool) {
	if arg == irkit.Bias {
		return 0, true
	}
	var stack [irkit.MaxArgs]irkit.Ref
	n := 0
	for {
		if arg <= irkit.Bias && !arg.IsConst() || arg >= r {
			return 0, false
		}
		ins := a.tr.Ins(arg)
		if ins.Op != irkit.CARG {
			break
		}
		if n == irkit.MaxArgs-1 {
			return 0, false
		}
		stack[n] = ins.Op2
		n++
		arg = ins.Op1
	}
	refs[0] = arg
	for i := 0; i < n; i++ {
		refs[i+1] = stack[n-1-i]
	}
	for i := 0; i <= n && !a.valid; i++ {
		if !a.valueRef(refs[i], r) {
			return 0, false
		}
	}
	return n + 1, true
}

func (a *Allocator) bad(r irkit.Ref, msg string) error {
	return fmt.Errorf("%w: %04d: %s", ErrBadTrace, int(r)-int(irkit.Bias), msg)
}

// cons returns the constraints of ins (calls share one entry).
func (a *Allocator) cons(ins irkit.Ins) *Cons { return a.t.cons(ins) }

// prepass validates the trace and builds the use lists: every use
// position of every value in ascending order, so the backward walk knows
// each value's next use (the previous one in program order) in O(1).
func (a *Allocator) prepass() error {
	tr := a.tr
	nv := len(a.reg)
	for i := range a.useStart {
		a.useStart[i] = 0
	}
	// Pass 1: count uses (a.useStart[i+1] counts value i).
	if tr.Loop != irkit.NoRef && (!tr.Loop.IsIns() || tr.Loop >= tr.Next() || tr.Ins(tr.Loop).Op != irkit.LOOP) {
		return a.bad(tr.Loop, "Trace.Loop is not a LOOP instruction")
	}
	ncalls := int32(0)
	sawPhi := false
	a.opc = a.opc[:0]
	a.opOff = grow(a.opOff, a.n+1)
	a.snapOf = grow(a.snapOf, a.n)
	for p := 0; p < a.n; p++ {
		r := a.first + irkit.Ref(p)
		ins := tr.Ins(r)
		a.opOff[p] = int32(len(a.opc))
		a.snapOf[p] = -1
		if sawPhi && ins.Op != irkit.PHI && ins.Op != irkit.NOP {
			return a.bad(r, "instruction after a PHI")
		}
		switch ins.Op {
		case irkit.NOP, irkit.CARG:
			continue
		case irkit.LOOP:
			if p != a.loopPos {
				return a.bad(r, "second LOOP")
			}
			continue
		case irkit.BASE:
			return a.bad(r, "BASE inside the trace")
		case irkit.PHI:
			if a.loopPos < 0 || p < a.loopPos {
				return a.bad(r, "PHI outside a loop")
			}
			if !a.valueRef(ins.Op1, tr.Loop) || ins.Op1.IsConst() || !a.valueRef(ins.Op2, r) ||
				ClassOf(tr.Ins(ins.Op1).T) != ClassOf(tr.Ins(ins.Op2).T) {
				return a.bad(r, "bad PHI operands")
			}
			a.useStart[a.idx(ins.Op2)+1]++
			a.flags[a.idx(ins.Op1)] |= fPhiLeft
			a.phis = append(a.phis, phi{left: ins.Op1, right: ins.Op2})
			sawPhi = true
			continue
		}
		if ins.Op >= irkit.NumOps || ins.Op.IsConst() {
			return a.bad(r, "bad opcode")
		}
		if err := a.operands(r, ins, a.cons(ins)); err != nil {
			return err
		}
		for k := 0; k < a.nops; k++ {
			a.useStart[a.idx(a.ops[k].ref)+1]++
		}
		a.opc = append(a.opc, a.ops[:a.nops]...)
		if ins.T.IsGuard() {
			si, ok := tr.GuardSnap(r)
			if !ok {
				return a.bad(r, "guard without snapshot")
			}
			a.snapOf[p] = int32(si)
		}
		a.defCalls[a.idx(r)] = ncalls
		if a.cons(ins).Call {
			ncalls++
		}
	}
	a.opOff[a.n] = int32(len(a.opc))
	for i := 0; i < nv; i++ {
		a.useStart[i+1] += a.useStart[i]
	}
	a.valid = true
	a.usePos = grow(a.usePos, int(a.useStart[nv]))
	// Pass 2: fill positions; note values live across calls.
	ncalls = 0
	bodyCalls := false
	for p := 0; p < a.n; p++ {
		r := a.first + irkit.Ref(p)
		ins := tr.Ins(r)
		switch ins.Op {
		case irkit.NOP, irkit.CARG, irkit.LOOP:
			continue
		case irkit.PHI:
			a.addUse(ins.Op2, int32(a.n))
			continue
		}
		for _, op := range a.opc[a.opOff[p]:a.opOff[p+1]] {
			u := op.ref
			a.addUse(u, int32(p))
			if !u.IsConst() && ncalls > a.defCalls[a.idx(u)] {
				a.flags[a.idx(u)] |= fCrossCall
			}
		}
		if a.cons(ins).Call {
			ncalls++
			if a.loopPos >= 0 && p > a.loopPos {
				bodyCalls = true
			}
		}
		if err := a.checkSnap(r, p); err != nil {
			return err
		}
	}
	for i := 0; i < nv; i++ {
		a.useCur[i] = a.useStart[i+1] - a.useStart[i]
	}
	if a.loopPos >= 0 {
		if err := a.checkBackSnap(); err != nil {
			return err
		}
		return a.loopValues(bodyCalls)
	}
	return nil
}

// checkBackSnap validates the loop snapshot (the trace's last), through
// which the interrupt check at the back edge exits, and marks the values
// from before the loop it refers to as live in the loop: the back edge
// reads them like a guard at the end of the body.
func (a *Allocator) checkBackSnap() error {
	a.backSnap = len(a.tr.Snaps) - 1
	if a.backSnap < 0 {
		return nil
	}
	end := a.tr.Next()
	for _, e := range a.tr.Entries(a.backSnap) {
		u := e.Ref()
		if u.IsConst() {
			continue
		}
		if !a.valueRef(u, end) {
			return a.bad(end, "loop snapshot refers to a valueless instruction")
		}
		if a.pos(u) < a.loopPos {
			a.flags[a.idx(u)] |= fLoopLive
		}
	}
	return nil
}

func (a *Allocator) addUse(u irkit.Ref, p int32) {
	i := a.idx(u)
	a.usePos[int(a.useStart[i])+int(a.useCur[i])] = p
	a.useCur[i]++
}

// checkSnap validates the snapshot of guard r and marks loop-live values
// that are referenced only by exits inside the loop.
func (a *Allocator) checkSnap(r irkit.Ref, p int) error {
	si := int(a.snapOf[p])
	if si < 0 {
		return nil
	}
	for _, e := range a.tr.Entries(si) {
		ref := e.Ref()
		if ref.IsConst() {
			continue
		}
		if !a.valueRef(ref, r) {
			return a.bad(r, "snapshot refers to a later or valueless instruction")
		}
		if a.loopPos >= 0 && a.pos(r) > a.loopPos && a.pos(ref) < a.loopPos {
			a.flags[a.idx(ref)] |= fLoopLive
		}
	}
	return nil
}

// -- Registers and slots ----------------------------------------------------

// occupy puts value u in register r (going backward: u is in r from here
// back to where it is defined, loaded or evicted).
func (a *Allocator) occupy(u irkit.Ref, r Reg) {
	a.val[r] = u
	a.reg[a.idx(u)] = r
	a.free = a.free.Without(r)
	a.fresh = a.fresh.With(r)
}

// release frees register r.
func (a *Allocator) release(r Reg) {
	u := a.val[r]
	a.reg[a.idx(u)] = NoReg
	a.val[r] = irkit.NoRef
	a.free = a.free.With(r)
}

// strong marks that u has a real use from its current register.
func (a *Allocator) strong(u irkit.Ref) {
	i := a.idx(u)
	a.flags[i] &^= fWeak
	a.chain[i] = -1
}

// ensureSlot gives value u a spill slot if it has none. Slots freed by a
// definition inside the loop body are reused only by body values; values
// live around the back edge get slots of their own.
func (a *Allocator) ensureSlot(u irkit.Ref) int32 { return a.slotFor(u, false) }

// slotFor is ensureSlot; fresh asks for a slot never used before, for a
// value whose slot must hold it up to exits later than this point.
func (a *Allocator) slotFor(u irkit.Ref, fresh bool) int32 {
	i := a.idx(u)
	if s := a.slot[i]; s >= 0 {
		return s
	}
	var s int32
	switch {
	case fresh:
		s = int32(a.nslots)
		a.nslots++
	case a.loopPos >= 0 && a.pos(u) > a.loopPos && len(a.bodyFree) > 0:
		s = a.bodyFree[len(a.bodyFree)-1]
		a.bodyFree = a.bodyFree[:len(a.bodyFree)-1]
	case !a.inBody() && a.walk < a.n && len(a.preFree) > 0 && (a.loopPos < 0 || a.walk < a.loopPos):
		s = a.preFree[len(a.preFree)-1]
		a.preFree = a.preFree[:len(a.preFree)-1]
	default:
		s = int32(a.nslots)
		a.nslots++
	}
	a.slot[i] = s
	return s
}

// releaseSlot returns the slot of v, which is defined here, for reuse by
// values whose lives end before this point.
func (a *Allocator) releaseSlot(v irkit.Ref) {
	s := a.slot[a.idx(v)]
	if s < 0 {
		return
	}
	if a.loopPos >= 0 && a.pos(v) > a.loopPos {
		a.bodyFree = append(a.bodyFree, s)
	} else {
		a.preFree = append(a.preFree, s)
	}
}

// nextUse is the position of the next use of u going backward (the
// previous one in program order), or its definition.
func (a *Allocator) nextUse(u irkit.Ref) int {
	i := a.idx(u)
	if c := a.useCur[i]; c > 0 {
		return int(a.usePos[a.useStart[i]+c-1])
	}
	if u.IsConst() {
		return -1
	}
	return a.pos(u)
}

// evict takes value w out of register r at the current instruction: the
// value is reloaded (or rematerialized) into r just after it, so the code
// that follows still finds it there. A weak value (held only for exits)
// is not reloaded; its exits read its slot instead.
func (a *Allocator) evict(r Reg) {
	w := a.val[r]
	i := a.idx(w)
	a.release(r)
	a.hint[i] = r
	switch {
	case w.IsConst():
		a.after = append(a.after, Move{Dst: RegLoc(r), Src: ConstLoc(w), Ref: w})
	case a.flags[i]&fWeak != 0:
		// The exits of the segment, later than here, read the slot: it
		// must not be one freed by a definition in between.
		s := SlotLoc(int(a.slotFor(w, true)))
		if a.outside(w) {
			a.flags[i] |= fSlotLoop
		}
		for e := a.chain[i]; e >= 0; e = a.locNext[e] {
			a.res.Locs[e].Loc = s
		}
		a.flags[i] &^= fWeak
		a.chain[i] = -1
	default:
		s := a.ensureSlot(w)
		if a.outside(w) {
			a.flags[i] |= fSlotLoop
		}
		a.after = append(a.after, Move{Dst: RegLoc(r), Src: SlotLoc(int(s)), Ref: w})
	}
}

// victim picks the register in set whose value is cheapest to evict:
// constants first (rematerialized, no memory traffic), then values held
// only for exits (no reload), then the value whose next use going
// backward is farthest away (Belady). A value that already has a slot
// costs only the reload, so its distance counts double (on the reference
// traces this trades about 4% of the stores for 1% more reloads).
func (a *Allocator) victim(set RegSet) Reg {
	best, bestScore := NoReg, uint64(0)
	for s := set &^ a.fresh; s != 0; {
		r := s.Low()
		s = s.Without(r)
		w := a.val[r]
		if w == irkit.NoRef {
			continue
		}
		i := a.idx(w)
		var score uint64
		switch {
		case w.IsConst():
			score = 3 << 40
		case a.flags[i]&fWeak != 0:
			score = 2 << 40
		}
		d := uint64(a.walk - a.nextUse(w) + 1)
		if a.slot[i] >= 0 {
			d *= 2 // no new store: as good as twice as far
		}
		score |= d
		if best == NoReg || score > bestScore {
			best, bestScore = r, score
		}
	}
	return best
}

// pick returns a register of allow for value u (NoRef for a temporary):
// its hint if free, else a free one (callee-saved first for values live
// across calls), else one freed by evicting the cheapest value outside
// protect.
func (a *Allocator) pick(allow RegSet, hint Reg, u irkit.Ref, protect RegSet) (Reg, error) {
	if f := allow & a.free; f != 0 {
		if f.Has(hint) {
			return hint, nil
		}
		if u != irkit.NoRef && !u.IsConst() && a.flags[a.idx(u)]&fCrossCall != 0 {
			if g := f &^ a.t.CallerSaved; g != 0 {
				return g.Low(), nil
			}
		}
		return f.Low(), nil
	}
	r := a.victim(allow &^ protect)
	if r == NoReg {
		r = a.victim(allow)
	}
	if r == NoReg {
		return NoReg, fmt.Errorf("%w at %04d", ErrNoReg, a.walk+1)
	}
	a.evict(r)
	return r, nil
}
