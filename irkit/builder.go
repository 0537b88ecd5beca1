package irkit

// Why fold and CSE run inside Emit: a recorder emits one instruction per
// bytecode operand, most of them redundant (the same slot loaded twice, a
// constant added, a guard repeated). Folding and looking up the CSE chain
// at the moment of emission keeps the trace small from the start, costs a
// few compares per instruction, and means later passes never see the
// redundancy. This is LuaJIT's design; the price is that every rule must
// be local (it sees the new instruction and its operands' instructions).

// Builder emits instructions into a Trace, folding and CSE'ing each one on
// the fly. Errors are sticky: after the first one every Emit returns NoRef
// and Err reports it.
type Builder struct {
	T *Trace

	// NoFold and NoCSE switch the optimizations off (to build the raw
	// trace the property tests compare against). Constants are always
	// interned.
	NoFold, NoCSE bool

	// SlotsDisjoint declares that slots and memory do not alias: no trace
	// of this builder reads or writes the interpreter's slot area through
	// an address (a KPtr or a loaded pointer into the interpreter stack),
	// only with SLOAD and SSTORE. Then an SSTORE kills only the SLOADs of
	// its own slot, FSTORE, ASTORE and XSTORE kill no SLOAD, and SSTORE
	// kills no memory load (cse.go). Off, every store kills every load.
	SlotsDisjoint bool

	// FieldsDisjoint declares that fields at different offsets never
	// share memory, that fields are not slots, and that ALOAD and XLOAD
	// never read what an FSTORE writes: every FLOAD and FSTORE addresses
	// a field of an object outside the interpreter's slot area and
	// outside the arrays read with ALOAD and XLOAD, objects are never
	// addressed at an offset into another, and the fields of one object
	// do not overlap. Then an FSTORE through FREF(x, #ofs) kills only the
	// FLOADs of that same #ofs, whatever their base, and no SLOAD, ALOAD
	// or XLOAD; an SSTORE kills no FLOAD (cse.go). It declares too that
	// an ASTORE writes only what ALOAD reads, never a field an FLOAD
	// reads (the arrays are not fields), so an ASTORE kills no FLOAD: a
	// loop that stores to an array keeps the array's header loads (its
	// data pointer and length) out of the loop. XSTORE and CALLS still
	// kill every load. Off, every store kills every load.
	FieldsDisjoint bool

	// FieldsTyped, with FieldsDisjoint, declares that every field is read
	// and written in one class of types (fieldClass: TNum and TVal are
	// one, each other type is its own), so fields at the same offset whose
	// classes differ are different fields: an FSTORE kills only the
	// FLOADs of its own offset and class. It declares the same of array
	// elements: with SlotsDisjoint too, an ASTORE kills only the ALOADs of
	// its class (a store of a number into a table's array leaves the
	// pointers loaded from an array of pointers).
	FieldsTyped bool

	err error
	// lastStore is the newest instruction that may write anything (any
	// store or CALLS); lastMem the newest that may write memory other
	// than slots (FSTORE, ASTORE, XSTORE, CALLS); lastCall the newest
	// CALLS, which may write slots too. lastOther is the newest store
	// that is neither an FSTORE nor an SSTORE (ASTORE, XSTORE, CALLS),
	// lastNotField the newest that is not an FSTORE, lastRaw the newest
	// XSTORE or CALLS.
	lastStore, lastMem, lastCall, lastOther, lastNotField, lastRaw Ref
	f                                                              fstate
}

// NewBuilder returns a builder emitting into t (a new trace if t is nil).
func NewBuilder(t *Trace) *Builder {
	if t == nil {
		t = NewTrace(256)
	}
	return &Builder{T: t}
}

// Reset empties the trace and the builder's state for a new recording.
func (b *Builder) Reset() {
	b.T.Reset()
	b.err = nil
	b.lastStore, b.lastMem, b.lastCall, b.lastOther, b.lastNotField, b.lastRaw = NoRef, NoRef, NoRef, NoRef, NoRef, NoRef
}

// Err returns the first error since Reset.
func (b *Builder) Err() error { return b.err }

// SetErr records err as the builder's error if none is recorded yet; a
// recorder uses it to abort.
func (b *Builder) SetErr(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *Builder) fail(err error) Ref {
	b.SetErr(err)
	return NoRef
}

// -- Constants with sticky errors ---------------------------------------------

// KInt interns an int32 constant.
func (b *Builder) KInt(v int32) Ref { return b.k(b.T.KInt(v)) }

// KBool interns a boolean constant.
func (b *Builder) KBool(v bool) Ref { return b.k(b.T.KBool(v)) }

// KI64 interns an int64 constant.
func (b *Builder) KI64(v int64) Ref { return b.k(b.T.KI64(v)) }

// KNum interns a float64 constant by bit pattern.
func (b *Builder) KNum(v float64) Ref { return b.k(b.T.KNum(v)) }

// KPtr interns an address constant.
func (b *Builder) KPtr(p uintptr) Ref { return b.k(b.T.KPtr(p)) }

// KVal interns a language value word.
func (b *Builder) KVal(w uint64) Ref { return b.k(b.T.KVal(w)) }

// K interns a constant of type ty with value word w.
func (b *Builder) K(ty Type, w uint64) Ref { return b.k(b.T.K(ty, w)) }

func (b *Builder) k(r Ref, err error) Ref {
	if err != nil {
		return b.fail(err)
	}
	return r
}

// -- Emit --------------------------------------------------------------------

// Emit adds the instruction op with result type ty and operands a and c
// (Refs or literals, as the opcode table says), after folding and CSE. It
// returns the Ref of the result, which may be an earlier instruction or a
// constant. A guard that folds away because it always holds returns NoRef;
// one that always fails sets ErrGuardFails.
//
// The guard flag is set from the opcode table. Comparisons take the type
// of their first operand, stores the type of the value they store, ISNUM
// and ISTAG the type TVal; for those ty is ignored.
func (b *Builder) Emit(op Op, ty Type, a, c Ref) Ref {
	if b.err != nil {
		return NoRef
	}
	if op >= NumOps || op == BASE || opInfo[op].Flags&FConst != 0 {
		return b.fail(ErrBadOp)
	}
	t := b.T
	info := &opInfo[op]
	if !(info.Flags&FCall != 0 && a == Bias) && !b.operandOK(info.Mode1, a) || !b.operandOK(info.Mode2, c) {
		return b.fail(ErrBadRef)
	}
	switch {
	case info.Flags&FCmp != 0:
		ty = t.ir[a-t.lo].T
	case info.Flags&FStore != 0 && info.Flags&FCall == 0:
		ty = t.ir[c-t.lo].T
	case op == ISNUM || op == ISTAG:
		ty = TVal
	}
	ty = ty.Base()
	if info.Flags&FGuard != 0 {
		ty |= TGuard
	}
	f := &b.f
	f.op, f.ty, f.a, f.c = op, ty, a, c
	if !b.NoFold {
		switch b.fold() {
		case fRet:
			return f.ret
		case fDrop:
			return NoRef
		case fFail:
			return b.fail(ErrGuardFails)
		}
		op, ty, a, c = f.op, f.ty, f.a, f.c
		info = &opInfo[op]
	} else if info.Flags&FComm != 0 && ty.Base() != TNum && a < c {
		a, c = c, a
	}
	if !b.NoCSE && info.Flags&FSide == 0 {
		if info.Flags&FLoad != 0 {
			if r := b.forward(op, ty, a, c); r != NoRef {
				return r
			}
		}
		if r := b.cse(op, ty, a, c); r != NoRef {
			return r
		}
	}
	r, err := t.push(Ins{Op: op, T: ty, Op1: a, Op2: c})
	if err != nil {
		return b.fail(err)
	}
	b.noteStore(op, r)
	if op == LOOP {
		t.Loop = r
	}
	return r
}

func (b *Builder) operandOK(mode uint8, r Ref) bool {
	switch mode {
	case ModeNone:
		return r == NoRef
	case ModeRef:
		return b.T.Valid(r)
	}
	return true
}

// emitRaw appends ins as it is, without fold or CSE (for passes that copy
// instructions whose folding already happened, e.g. PHIs).
func (b *Builder) emitRaw(ins Ins) Ref {
	if b.err != nil {
		return NoRef
	}
	r, err := b.T.push(ins)
	if err != nil {
		return b.fail(err)
	}
	b.noteStore(ins.Op, r)
	return r
}

// noteStore records r, an instruction of opcode op, as the newest store of
// its kinds (the SSTOREs of one slot are found on the SSTORE chain).
func (b *Builder) noteStore(op Op, r Ref) {
	if !op.Has(FStore) {
		return
	}
	b.lastStore = r
	if op != SSTORE {
		b.lastMem = r
	}
	if op.Has(FCall) {
		b.lastCall = r
	}
	if op != FSTORE {
		b.lastNotField = r
		if op != SSTORE {
			b.lastOther = r
			if op != ASTORE {
				b.lastRaw = r
			}
		}
	}
}

// -- Convenience emitters ----------------------------------------------------

// Guard emits the comparison guard op on a and c (EQ, LT, ...).
func (b *Builder) Guard(op Op, a, c Ref) Ref { return b.Emit(op, TVoid, a, c) }

// Arith emits a two-operand instruction of type ty.
func (b *Builder) Arith(op Op, ty Type, a, c Ref) Ref { return b.Emit(op, ty, a, c) }

// Unary emits a one-operand instruction of type ty.
func (b *Builder) Unary(op Op, ty Type, a Ref) Ref { return b.Emit(op, ty, a, NoRef) }

// SLoad emits a load of interpreter slot slot as type ty.
func (b *Builder) SLoad(slot int, ty Type) Ref {
	if slot < 0 || slot > 0xffff {
		return b.fail(ErrBadRef)
	}
	return b.Emit(SLOAD, ty, Ref(slot), NoRef)
}

// Call emits a call of helper id with the given arguments: CALLN when the
// helper is pure, else CALLS. The result type is the helper's.
func (b *Builder) Call(id uint16, args ...Ref) Ref {
	h := b.T.Helper(id)
	if h == nil || len(args) != len(h.Args) {
		return b.fail(ErrHelper)
	}
	a := NoRef
	for i, x := range args {
		if i == 0 {
			a = x
		} else {
			a = b.Emit(CARG, TVoid, a, x)
		}
	}
	op := CALLS
	if h.Pure {
		op = CALLN
	}
	if len(args) == 0 {
		// A call without arguments passes the BASE pseudo-ref.
		a = Bias
	}
	return b.Emit(op, h.Result, a, Ref(id))
}
