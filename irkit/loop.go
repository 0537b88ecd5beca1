package irkit

// Why peeling with copy-substitution (after LuaJIT's lj_opt_loop.c): in a
// dynamic language almost every instruction of a loop body is a guard or
// depends on one, so classic loop-invariant code motion, which may only
// hoist what provably cannot fault, hoists almost nothing. Instead the
// recorded body is kept as the first, peeled iteration, and emitted a
// second time after a LOOP marker with every operand replaced by its copy
// (substitution). Emitting the copy through Builder.Emit runs fold and CSE
// again: an instruction whose operands did not change is found on its CSE
// chain and becomes the peeled iteration's instruction, i.e. it is
// computed once, before the loop. Guards included: a type check that
// passed in the first iteration is not repeated. What did change is a
// loop-carried value, and a PHI at the end of the trace feeds the new
// value back to the old reference at each back edge.
//
// The link between iterations is the loop snapshot (the trace's last
// snapshot): a slot load in the copy is replaced by the value the loop
// snapshot stores into that slot (through a BCAST when a 64-bit value is
// loaded back as another 64-bit type: slots hold value words, so a
// recorder may keep a number unboxed in the slot map of a NaN-boxing
// language and the loaded value word is the number's bits). Snapshots of the copy are the loop
// snapshot (what earlier iterations left in the slots) overlaid with the
// copied snapshot's own entries.
//
// Worked example, slots 0 (i) and 1 (n):
//
//	0001 int SLOAD #0        0005 ------ LOOP -----
//	0002 int SLOAD #1        (0001 -> 0003, the loop snapshot's slot 0)
//	0003 > int ADDOV 0001 +1 0006 > int ADDOV 0003 +1
//	0004 > int LT 0003 0002  0007 > int LT 0006 0002   (0002 hoisted)
//	SNAP [ 0:0003 ]          0008 int PHI 0003 0006
//
// The PHI says: at the back edge, 0003 takes 0006's value.
//
// Limits: one LOOP per trace; a loop-carried slot must keep its type (or
// change between 64-bit types), else ErrLoopUnstable; a slot written by
// SSTORE must not also be in the loop snapshot (ErrLoopSSTORE). In every
// failure the trace is left as it was and still runs as a plain loop.

import "errors"

// Loop optimization errors: the trace is left unchanged.
var (
	ErrNotLooping   = errors.New("irkit: loop optimization needs a looping trace with a loop snapshot")
	ErrLoopUnstable = errors.New("irkit: loop-carried slot changes type (the loop is not type-stable)")
	ErrLoopSSTORE   = errors.New("irkit: loop optimization: a slot both stored and in the loop snapshot")
)

// LoopOpt peels one iteration of the looping trace b.T and hoists
// loop invariants (see the file comment). On success the trace has a LOOP
// and PHIs and is no longer Looping. If the loop cannot be optimized (not
// type-stable, or the copied body always exits) it returns an error and
// leaves the trace as it was.
func (b *Builder) LoopOpt() error {
	t := b.T
	if b.err != nil {
		return b.err
	}
	if !t.Looping || t.Loop != NoRef || len(t.Snaps) == 0 {
		return ErrNotLooping
	}
	ls := len(t.Snaps) - 1
	loopEnt := t.Entries(ls)
	n := t.nins
	// Type stability and store conflicts, checked before anything changes.
	for r := First; r < n; r++ {
		ins := t.ir[r-t.lo]
		switch ins.Op {
		case SLOAD:
			if e, ok := findEntry(loopEnt, int(ins.Op1)); ok && !slotCompatible(ins.T, t.typeOf(e.Ref())) {
				return ErrLoopUnstable
			}
		case SSTORE:
			if _, ok := findEntry(loopEnt, int(ins.Op1)); ok {
				return ErrLoopSSTORE
			}
		}
	}
	saved := loopState{nins: n, nsnap: len(t.Snaps), nent: len(t.SnapEntries),
		nframe: len(t.SnapFrames), lastStore: b.lastStore, lastMem: b.lastMem, lastCall: b.lastCall, lastOther: b.lastOther, lastNotField: b.lastNotField, lastRaw: b.lastRaw}
	t.substBuf = growRefs(t.substBuf, int(n-First))
	subst := t.substBuf
	loop := b.emitRaw(Ins{Op: LOOP, T: TVoid})
	if loop == NoRef {
		return b.rollback(saved)
	}
	t.Loop = loop
	sub := func(r Ref) Ref {
		if r > Bias && r < n {
			return subst[r-First]
		}
		return r
	}
	si := 0
	for r := First; r < n; r++ {
		for ; si < saved.nsnap && t.Snaps[si].Ref <= r; si++ {
			if !b.copySnap(si, ls, sub) {
				return b.rollback(saved)
			}
		}
		ins := t.ir[r-t.lo]
		if ins.Op == NOP {
			subst[r-First] = NoRef
			continue
		}
		if ins.Op == SLOAD {
			if e, ok := findEntry(t.Entries(ls), int(ins.Op1)); ok && e.Flags()&SnapNoRestore == 0 {
				v := e.Ref()
				if vt := t.typeOf(v); vt != ins.T.Base() {
					// A 64-bit value stored into a slot and loaded back
					// as another 64-bit type keeps its bits.
					v = b.Emit(BCAST, ins.T.Base(), v, NoRef)
					if b.err != nil {
						return b.rollback(saved)
					}
				}
				subst[r-First] = v
				continue
			}
		}
		info := &opInfo[ins.Op]
		a, c := ins.Op1, ins.Op2
		if info.Mode1 == ModeRef {
			a = sub(a)
		}
		if info.Mode2 == ModeRef {
			c = sub(c)
		}
		nr := b.Emit(ins.Op, ins.T.Base(), a, c)
		if b.err != nil {
			return b.rollback(saved)
		}
		subst[r-First] = nr
	}
	for ; si < saved.nsnap; si++ {
		if !b.copySnap(si, ls, sub) {
			return b.rollback(saved)
		}
	}
	// PHIs: every value defined before LOOP that the body (instructions,
	// snapshots, other PHIs) refers to and whose copy differs is carried
	// around the back edge.
	need := t.markBuf[:0]
	need = growBools(need, int(loop-First))
	var addUse func(r Ref)
	work := t.workBuf[:0]
	addUse = func(r Ref) {
		if r > Bias && r < loop && t.ir[r-t.lo].Op == CARG {
			// Argument lists carry no value: their arguments are the uses.
			ins := t.ir[r-t.lo]
			addUse(ins.Op1)
			addUse(ins.Op2)
			return
		}
		if r > Bias && r < loop && !need[r-First] && r < n && subst[r-First] != r && subst[r-First] != NoRef {
			need[r-First] = true
			work = append(work, r)
		}
	}
	for r := loop + 1; r < t.nins; r++ {
		ins := t.ir[r-t.lo]
		info := &opInfo[ins.Op]
		if info.Mode1 == ModeRef {
			addUse(ins.Op1)
		}
		if info.Mode2 == ModeRef {
			addUse(ins.Op2)
		}
	}
	for _, e := range t.SnapEntries[saved.nent:] {
		addUse(e.Ref())
	}
	for len(work) > 0 {
		q := work[len(work)-1]
		work = work[:len(work)-1]
		addUse(subst[q-First])
	}
	t.workBuf = work
	t.markBuf = need
	for q := First; q < loop; q++ {
		if need[q-First] {
			b.emitRaw(Ins{Op: PHI, T: t.ir[q-t.lo].T.Base(), Op1: q, Op2: subst[q-First]})
		}
	}
	if b.err != nil {
		return b.rollback(saved)
	}
	t.Looping = false
	return nil
}

// LoopCopy returns the instruction of the loop body (after LOOP) that
// stands for instruction r of the peeled iteration, as the last
// successful LoopOpt substituted it: a new instruction after LOOP, or a
// value before LOOP when fold or CSE found the copy already computed (a
// hoisted invariant), or NoRef when r was dead. It returns NoRef when the
// trace has no LOOP or r is not before it. Tools use it to trace a loop
// body instruction back to the bytecode that produced its original.
func (t *Trace) LoopCopy(r Ref) Ref {
	if t.Loop == NoRef || r < First || r >= t.Loop || int(r-First) >= len(t.substBuf) {
		return NoRef
	}
	return t.substBuf[r-First]
}

type loopState struct {
	nins                                                           Ref
	nsnap, nent, nframe                                            int
	lastStore, lastMem, lastCall, lastOther, lastNotField, lastRaw Ref
}

// rollback undoes a failed loop optimization.
func (b *Builder) rollback(s loopState) error {
	t := b.T
	err := b.err
	if err == nil {
		err = ErrTooLong
	}
	b.err = nil
	t.ir = t.ir[:int(s.nins-t.lo)]
	t.nins = s.nins
	t.Snaps = t.Snaps[:s.nsnap]
	t.SnapEntries = t.SnapEntries[:s.nent]
	t.SnapFrames = t.SnapFrames[:s.nframe]
	t.Loop = NoRef
	b.lastStore = s.lastStore
	b.lastMem, b.lastCall, b.lastOther, b.lastNotField, b.lastRaw = s.lastMem, s.lastCall, s.lastOther, s.lastNotField, s.lastRaw
	t.rechain()
	return err
}

// copySnap adds the copy of snapshot si for the loop body: the loop
// snapshot's entries overlaid with si's entries, substituted.
func (b *Builder) copySnap(si, ls int, sub func(Ref) Ref) bool {
	t := b.T
	s := t.Snaps[si]
	buf := t.entBuf[:0]
	le, se := t.Entries(ls), t.Entries(si)
	i, j := 0, 0
	for i < len(le) || j < len(se) {
		switch {
		case j == len(se) || i < len(le) && le[i].Slot() < se[j].Slot():
			buf = append(buf, le[i])
			i++
		default:
			if i < len(le) && le[i].Slot() == se[j].Slot() {
				i++
			}
			r := sub(se[j].Ref())
			if r == NoRef {
				return false
			}
			buf = append(buf, se[j].WithRef(r))
			j++
		}
	}
	t.entBuf = buf
	// Frames are copied through a scratch buffer: AddSnap appends to
	// SnapFrames, which may move the slice Frames(si) points into.
	t.frameBuf = append(t.frameBuf[:0], t.Frames(si)...)
	ns := s.NSlots
	if l := t.Snaps[ls].NSlots; l > ns {
		ns = l
	}
	n, err := t.AddSnap(s.PC, int(ns), buf, t.frameBuf)
	if err != nil {
		b.SetErr(err)
		return false
	}
	t.Snaps[n].Flags = s.Flags
	return true
}

func findEntry(es []SnapEntry, slot int) (SnapEntry, bool) {
	lo, hi := 0, len(es)
	for lo < hi {
		m := (lo + hi) / 2
		switch s := es[m].Slot(); {
		case s == slot:
			return es[m], true
		case s < slot:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, false
}

func growRefs(s []Ref, n int) []Ref {
	if cap(s) < n {
		return make([]Ref, n)
	}
	return s[:n]
}

func growBools(s []bool, n int) []bool {
	if cap(s) < n {
		s = make([]bool, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// slotCompatible reports whether a slot loaded as type load can take a
// value of type val from the loop snapshot: the same type, or two 64-bit
// types (a slot holds the value word, so the bits carry over; e.g. a
// number kept unboxed by the recorder and loaded as a boxed value).
func slotCompatible(load, val Type) bool {
	load, val = load.Base(), val.Base()
	return load == val || load.Is64() && val.Is64()
}
