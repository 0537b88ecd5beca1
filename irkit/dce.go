package irkit

// Why a separate DCE pass: an instruction's liveness depends on its uses,
// which do not exist yet when it is emitted, so dead code can only be
// found once the trace is complete. The pass marks backwards from the
// roots (guards, stores and calls with side effects, LOOP, snapshot
// entries), which is a single sweep because every operand precedes its
// use; PHIs make it a small fixpoint, since a PHI is live only if its left
// value is used by something other than PHIs, and that use may lie
// between the two. Dead instructions become NOPs, so no Ref changes.

// DCE turns every instruction whose value is unused into a NOP and
// returns how many it removed. CSE chains are rebuilt.
func (t *Trace) DCE() int {
	for _, e := range t.SnapEntries {
		t.mark(e.Ref())
	}
	for {
		grew := false
		for r := t.nins - 1; r >= First; r-- {
			ins := &t.ir[r-t.lo]
			live := ins.T&tMark != 0
			switch {
			case ins.Op == PHI:
				if !live && t.marked(ins.Op1) {
					ins.T |= tMark
					live = true
					grew = true
				}
			case ins.Op == NOP:
				continue
			case !live && (ins.T.IsGuard() || opInfo[ins.Op].Flags&FSide != 0):
				ins.T |= tMark
				live = true
			}
			if !live {
				continue
			}
			info := &opInfo[ins.Op]
			if info.Mode1 == ModeRef && ins.Op != PHI {
				t.mark(ins.Op1)
			}
			if info.Mode2 == ModeRef && t.mark(ins.Op2) && ins.Op == PHI {
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	n := 0
	for r := First; r < t.nins; r++ {
		ins := &t.ir[r-t.lo]
		if ins.T&tMark != 0 {
			ins.T &^= tMark
		} else if ins.Op != NOP {
			*ins = Ins{Op: NOP}
			n++
		}
	}
	t.rechain()
	return n
}

// mark marks r live and reports whether it was not marked before.
func (t *Trace) mark(r Ref) bool {
	if r > Bias && r < t.nins && t.ir[r-t.lo].T&tMark == 0 {
		t.ir[r-t.lo].T |= tMark
		return true
	}
	return false
}

func (t *Trace) marked(r Ref) bool {
	return r > Bias && r < t.nins && t.ir[r-t.lo].T&tMark != 0
}

// rechain rebuilds the CSE chains of the instructions (constants keep
// theirs), skipping NOPs.
func (t *Trace) rechain() {
	for op := Op(0); op < NumOps; op++ {
		if !op.IsConst() {
			t.chain[op] = NoRef
		}
	}
	for r := First; r < t.nins; r++ {
		ins := &t.ir[r-t.lo]
		if ins.Op == NOP {
			ins.Prev = NoRef
			continue
		}
		ins.Prev = t.chain[ins.Op]
		t.chain[ins.Op] = r
	}
}
