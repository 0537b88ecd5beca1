package irkit

// Why a separate DCE pass: an instruction's liveness depends on its uses,
// which do not exist yet when it is emitted, so dead code can only be
// found once the trace is complete. The pass marks backwards from the
// roots (guards, stores and calls with side effects, LOOP, snapshot
// entries), which is a single sweep because every operand precedes its
// use, except for PHIs. A PHI sits at the end of the trace, after the
// body, but whether it is live depends on the body: PHI(left, right) is
// live when left is marked, i.e. some live instruction (in the body or
// before the loop), a snapshot entry or another live PHI uses the value
// that the PHI carries around the back edge. A live PHI in turn marks
// right, whose operands may make further PHIs live. So the sweep is
// repeated until no PHI changes: after each sweep, an unmarked PHI whose
// left has meanwhile been marked forces another one. Each repetition
// makes at least one more PHI live, so there are at most #PHI+1 sweeps
// (in practice one or two). Dropping a PHI that the body needs would
// freeze the loop-carried value at its first-iteration value, which can
// turn a terminating loop into an endless one. Dead instructions become
// NOPs, so no Ref changes.

// DCE turns every instruction whose value is unused into a NOP and
// returns how many it removed. CSE chains are rebuilt.
func (t *Trace) DCE() int {
	for _, e := range t.SnapEntries {
		t.mark(e.Ref())
	}
	for {
		for r := t.nins - 1; r >= First; r-- {
			ins := &t.ir[r-t.lo]
			live := ins.T&tMark != 0
			switch {
			case ins.Op == PHI:
				if !live && t.marked(ins.Op1) {
					ins.T |= tMark
					live = true
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
			if info.Mode1 == ModeRef {
				t.mark(ins.Op1)
			}
			if info.Mode2 == ModeRef {
				t.mark(ins.Op2)
			}
		}
		if !t.phiPending() {
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

// phiPending reports whether a PHI is still unmarked although its left
// value has been marked, i.e. DCE needs another sweep.
func (t *Trace) phiPending() bool {
	if t.Loop == NoRef {
		return false
	}
	for r := t.Loop + 1; r < t.nins; r++ {
		ins := &t.ir[r-t.lo]
		if ins.Op == PHI && ins.T&tMark == 0 && t.marked(ins.Op1) {
			return true
		}
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
