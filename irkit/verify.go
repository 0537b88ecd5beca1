package irkit

// Why a verifier: fold rules, passes and recorders all build IR, and a
// malformed instruction (an operand used before it is defined, an int added
// to a float, a guard no snapshot covers) would otherwise surface far away,
// as a wrong register or a wrong exit. Verify checks what the opcode table
// and the type rules promise; tests run it after every pass.

import "fmt"

// VerifyError is a verifier finding: the instruction (or snapshot) at
// fault and what is wrong.
type VerifyError struct {
	Ref  Ref // the instruction, NoRef for a snapshot-level error
	Snap int // the snapshot, -1 for an instruction-level error
	Msg  string
}

// Error formats the finding with the instruction or snapshot number.
func (e *VerifyError) Error() string {
	if e.Snap >= 0 {
		return fmt.Sprintf("irkit: verify: snapshot #%d: %s", e.Snap, e.Msg)
	}
	return fmt.Sprintf("irkit: verify: %04d: %s", int(e.Ref)-int(Bias), e.Msg)
}

// Verify checks the trace: operand kinds and order (every operand defined
// before its use), operand and result types, guard flags, helper calls,
// LOOP and PHI placement (PHIs only after LOOP, on values defined before
// it), that every guard is covered by a snapshot, and that snapshots are
// ordered, sorted, and refer only to values defined before them.
func (t *Trace) Verify() error {
	for r := First; r < t.nins; r++ {
		if msg := t.verifyIns(r); msg != "" {
			return &VerifyError{Ref: r, Snap: -1, Msg: msg}
		}
	}
	if t.Loop != NoRef && t.Looping {
		return &VerifyError{Ref: t.Loop, Snap: -1, Msg: "trace has a LOOP and is marked Looping"}
	}
	for i := range t.Snaps {
		if msg := t.verifySnap(i); msg != "" {
			return &VerifyError{Snap: i, Msg: msg}
		}
	}
	return nil
}

func (t *Trace) typeOf(r Ref) Type {
	if !t.Valid(r) {
		return TVoid
	}
	return t.ir[r-t.lo].T.Base()
}

func (t *Trace) verifyIns(r Ref) string {
	ins := t.ir[r-t.lo]
	if ins.Op >= NumOps {
		return "unknown opcode"
	}
	info := &opInfo[ins.Op]
	if info.Flags&FConst != 0 || ins.Op == BASE {
		return ins.Op.String() + " above Bias"
	}
	if ins.T&tMark != 0 || ins.T.Base() >= NumTypes {
		return "bad type byte"
	}
	if ins.T.IsGuard() != (info.Flags&FGuard != 0) {
		return "guard flag disagrees with the opcode table"
	}
	if ins.Op == NOP {
		return ""
	}
	for i, m := range [2]uint8{info.Mode1, info.Mode2} {
		op := ins.Op1
		if i == 1 {
			op = ins.Op2
		}
		switch m {
		case ModeNone:
			if op != NoRef {
				return fmt.Sprintf("operand %d must be empty", i+1)
			}
		case ModeRef:
			if i == 0 && info.Flags&FCall != 0 && op == Bias {
				continue
			}
			if !t.Valid(op) || op >= r {
				return fmt.Sprintf("operand %d (%s) is not defined before its use", i+1, t.RefString(op))
			}
			if oi := t.ir[op-t.lo]; oi.Op == NOP || !oi.Op.HasValue() && !(oi.Op == CARG && (ins.Op == CARG && i == 0 || info.Flags&FCall != 0)) {
				return fmt.Sprintf("operand %d (%s) has no value", i+1, t.RefString(op))
			}
		}
	}
	ty := ins.T.Base()
	t1, t2 := t.typeOf(ins.Op1), t.typeOf(ins.Op2)
	num3 := ty == TInt || ty == TI64 || ty == TNum
	switch ins.Op {
	case EQ, NE, LT, GE, LE, GT, ULT, UGE, ULE, UGT:
		if t1 != ty || t2 != ty || ty == TVoid {
			return "comparison operands must both have the instruction's type"
		}
	case ADD, SUB:
		if ty == TPtr {
			if !(t1 == TPtr && (t2 == TI64 || t2 == TPtr) || ins.Op == ADD && t2 == TPtr && t1 == TI64) {
				return "pointer arithmetic needs ptr and i64 operands"
			}
			break
		}
		if !num3 || t1 != ty || t2 != ty {
			return "arithmetic operands must have the instruction's type (int, i64 or num)"
		}
	case MUL, DIV, MOD, POW, MIN, MAX:
		if !num3 || t1 != ty || t2 != ty {
			return "arithmetic operands must have the instruction's type (int, i64 or num)"
		}
	case NEG, ABS:
		if !num3 || t1 != ty {
			return "operand must have the instruction's type (int, i64 or num)"
		}
	case FLOOR, CEIL, SQRT:
		if ty != TNum || t1 != TNum {
			return "float operation needs num"
		}
	case ADDOV, SUBOV, MULOV, BAND, BOR, BXOR, BSHL, BSHR, BSAR, BROL, BROR:
		if !isIntTy(ty) || t1 != ty || t2 != ty {
			return "integer operation needs int or i64 operands of its type"
		}
	case BNOT:
		if !isIntTy(ty) || t1 != ty {
			return "integer operation needs int or i64 operands of its type"
		}
	case ITOF:
		if ty != TNum || !isIntTy(t1) {
			return "ITOF converts int or i64 to num"
		}
	case FTOI, FTOIX:
		if !isIntTy(ty) || t1 != TNum {
			return "FTOI converts num to int or i64"
		}
	case SEXT, ZEXT:
		if ty != TI64 || t1 != TInt {
			return "SEXT/ZEXT convert int to i64"
		}
	case TRUNC:
		if ty != TInt || t1 != TI64 {
			return "TRUNC converts i64 to int"
		}
	case BCAST:
		if !ty.Is64() || !t1.Is64() {
			return "BCAST needs 64-bit types"
		}
	case ISNUM, ISTAG:
		if t1 != TVal || ty != TVal {
			return "tag guard needs a val operand"
		}
	case UNBOXN:
		if ty != TNum || t1 != TVal {
			return "UNBOXN makes num from val"
		}
	case UNBOXP:
		if ty != TPtr && ty != TI64 || t1 != TVal {
			return "UNBOXP makes ptr or i64 from val"
		}
	case BOXN:
		if ty != TVal || t1 != TNum {
			return "BOXN makes val from num"
		}
	case BOXP:
		if ty != TVal || t1 != TPtr && t1 != TI64 {
			return "BOXP makes val from ptr or i64"
		}
	case SLOAD, XLOAD, ALOAD, FLOAD:
		if ty == TVoid {
			return "load of type void"
		}
		if ins.Op != SLOAD && t1 != TPtr {
			return "load address must be ptr"
		}
	case FREF:
		if ty != TPtr || t1 != TPtr {
			return "FREF needs a ptr"
		}
	case AREF:
		if ty != TPtr || t1 != TPtr || !isIntTy(t2) {
			return "AREF needs a ptr and an int or i64 index"
		}
	case SSTORE:
		if ty == TVoid || ty != t2 {
			return "store type must be the stored value's type"
		}
	case FSTORE, ASTORE, XSTORE:
		if ty == TVoid || ty != t2 || t1 != TPtr {
			return "store needs a ptr address and the value's type"
		}
	case CARG:
		if ty != TVoid {
			return "CARG has no type"
		}
	case CALLN, CALLS:
		h := t.Helper(uint16(ins.Op2))
		if h == nil {
			return "unknown helper"
		}
		if ins.Op == CALLN && !h.Pure {
			return "CALLN of a helper with side effects"
		}
		var refs [MaxArgs]Ref
		n, ok := t.argRefs(ins.Op1, refs[:])
		if !ok || n != len(h.Args) {
			return "wrong number of helper arguments"
		}
		for i := 0; i < n; i++ {
			if t.typeOf(refs[i]) != h.Args[i].Base() {
				return fmt.Sprintf("helper argument %d has the wrong type", i+1)
			}
		}
		if ty != h.Result.Base() {
			return "call type differs from the helper's result type"
		}
	case LOOP:
		if t.Loop != r {
			return "LOOP is not the trace's loop"
		}
	case PHI:
		if t.Loop == NoRef || r < t.Loop {
			return "PHI before LOOP"
		}
		if ins.Op1 >= t.Loop {
			return "PHI's left operand must be defined before LOOP"
		}
		if t1 != ty || t2 != ty {
			return "PHI operand types differ"
		}
	}
	if ins.T.IsGuard() && t.SnapOf(r) < 0 {
		return "guard without snapshot"
	}
	return ""
}

func (t *Trace) verifySnap(i int) string {
	s := t.Snaps[i]
	if i > 0 && s.Ref < t.Snaps[i-1].Ref {
		return "snapshots out of order"
	}
	if int(s.Off)+int(s.NEnt) > len(t.SnapEntries) || int(s.FrameOff)+int(s.Depth) > len(t.SnapFrames) {
		return "entries or frames out of range"
	}
	if s.Depth == 0 {
		return "no frame"
	}
	prev := -1
	for _, e := range t.Entries(i) {
		if e.Slot() <= prev {
			return "entries not sorted by slot"
		}
		prev = e.Slot()
		r := e.Ref()
		if !t.Valid(r) || r >= s.Ref && r != NoRef {
			return fmt.Sprintf("slot %d refers to %s, not defined before the snapshot", e.Slot(), t.RefString(r))
		}
		if !t.ir[r-t.lo].Op.HasValue() || t.ir[r-t.lo].Op == NOP {
			return fmt.Sprintf("slot %d refers to an instruction without value", e.Slot())
		}
		if r.IsConst() != (e.Flags()&SnapConst != 0) {
			return "SnapConst flag wrong"
		}
	}
	return ""
}
