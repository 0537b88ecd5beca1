package vm

// -- Library functions and iterators the recorder inlines ---------------------
//
// ipairs loops run in the trace: ITERC with the generator ipairsAux reads
// t[control+1] as ipairsAux does (a raw read: ipairs never consults
// __index, so a metatable changes nothing), from the array part with a
// bounds guard, or, for an index the array part does not hold, through
// the interpreter's raw get. The index is an int32 in a narrowing trace
// (the control is an integer by construction), so the loop counts in
// integers as a numeric for loop does.
//
// ipairs(t) and pairs(t) themselves become their three results, so that
// a side trace going round an outer loop can enter an inner ipairs or
// pairs loop's trace.
//
// string.sub calls the interpreter's own subString (jit_helpers.go) with
// the positions as numbers, made integers there as CheckInt does: the
// result is the interpreter's, interned by the interpreter's code.

import (
	"math"

	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// recIpairsNext records ITERC for ipairs: slots a, a+1, a+2 get the
// generator, state and control, and the call ipairsAux(t, i) puts nres
// results from a: i+1 and t[i+1], or nothing (nils) when t[i+1] is nil.
func (r *jrecorder) recIpairsNext(a, nres int) error {
	L := r.L
	tp, t, ok := r.tabPtr(a - 2)
	if !ok {
		return errNYI("NYI: ITERC over a non-table")
	}
	cv := r.live(a - 1)
	if !cv.IsNumber() {
		return errNYI("NYI: ipairs with a non-number control")
	}
	// The control is an integer unless the program calls the generator
	// itself with another; the trace guards it exact (FTOIX), so a
	// fraction exits to the interpreter, which truncates it.
	cf := cv.Float()
	if cf != math.Trunc(cf) || cf < -maxNarrow || cf >= maxNarrow {
		return errNYI("NYI: ipairs with a control out of range")
	}
	r.guard(irkit.EQ, r.slot(a-3), r.kval(L.ipairsAux))
	x, _ := r.num(a - 1)
	// i0 is the 0-based array index of control+1 (the control itself),
	// next the number control+1.
	var i0, next irkit.Ref
	if L.jit.opts.Opt.Flags&guard.Narrow != 0 {
		c := r.intOf(x)
		if c == irkit.NoRef {
			c = r.emit(irkit.FTOIX, irkit.TInt, x, irkit.NoRef)
		}
		i0 = r.emit(irkit.SEXT, irkit.TI64, c, irkit.NoRef)
		next = r.emit(irkit.ITOF, irkit.TNum, r.emit(irkit.ADDOV, irkit.TInt, c, r.b.KInt(1)), irkit.NoRef)
	} else {
		i0 = r.emit(irkit.FTOIX, irkit.TI64, x, irkit.NoRef)
		next = r.emit(irkit.ADD, irkit.TNum, x, r.knum(1))
	}
	li := int(cf) + 1
	var val irkit.Ref
	var v Value
	if uint(li-1) < uint(len(t.arr)) {
		val = r.emit(irkit.ALOAD, irkit.TVal, r.arrRef(tp, i0, -1), irkit.NoRef)
		v = t.arr[li-1]
	} else {
		// Outside the array part (as unsigned, an index below 1 is too):
		// the interpreter's raw get with the number key.
		n := r.emit(irkit.FLOAD, irkit.TI64, tp, irkit.Ref(offArr+8))
		r.guard(irkit.UGE, i0, n)
		idx := r.emit(irkit.UNBOXP, irkit.TI64, r.slot(a-2), irkit.NoRef)
		val = r.b.Call(L.jit.hTGet, idx, r.emit(irkit.BCAST, irkit.TVal, next, irkit.NoRef))
		v = t.getInt(li)
	}
	// The value's type, nil included: nil ends the loop.
	r.typeGuard(val, v)
	r.set(a+2, r.slot(a-1))
	r.set(a+1, r.slot(a-2))
	if v == Nil {
		// ipairsAux returned nothing: the call's results are all nil.
		r.setResults(a, nres)
		return nil
	}
	r.setResults(a, nres, next, val) // ITERC: nres >= 1
	return nil
}

// recPairsCall records ipairs(t) or pairs(t) (builtin fv, of the kind) at
// slot a for nres results: the generator, t and the initial control, as
// baseIpairs and basePairs return them.
func (r *jrecorder) recPairsCall(fv Value, kind, a, nres int) error {
	L := r.L
	if nres < 0 {
		return errNYI("NYI: builtin call form")
	}
	if r.live(a+1).tag() != tagTab {
		return errNYI("NYI: pairs of a non-table")
	}
	r.guard(irkit.EQ, r.slot(a), r.kval(fv))
	t := r.slot(a + 1)
	r.guard(irkit.ISTAG, t, irkit.Ref(tagTab))
	res := [3]irkit.Ref{r.kval(L.nextFn), t, r.kval(Nil)}
	if kind == biIpairs {
		res = [3]irkit.Ref{r.kval(L.ipairsAux), t, r.knum(0)}
	}
	r.setResults(a, nres, res[:]...)
	return nil
}

// recStrSub records string.sub(s, i [, j]) of a string and numbers (j
// nil or absent: -1) by a call of the interpreter's subString. Other
// argument types (a number for s, strings for the positions, which the
// interpreter converts) abort the recording; the trace guards the types
// it saw.
func (r *jrecorder) recStrSub(fv Value, a, nargs, nres int) error {
	L := r.L
	if nargs < 2 {
		return errNYI("NYI: string.sub without a start")
	}
	if r.live(a+1).tag() != tagStr {
		return errNYI("NYI: string.sub of a non-string")
	}
	if !r.live(a + 2).IsNumber() {
		return errNYI("NYI: string.sub at a non-number")
	}
	jNil := nargs < 3 || r.live(a+3) == Nil
	if !jNil && !r.live(a+3).IsNumber() {
		return errNYI("NYI: string.sub at a non-number")
	}
	r.guard(irkit.EQ, r.slot(a), r.kval(fv))
	s := r.slot(a + 1)
	r.guard(irkit.ISTAG, s, irkit.Ref(tagStr))
	i, _ := r.word(a+2, false)
	j := r.kval(nv(-1))
	if !jNil {
		j, _ = r.word(a+3, false)
	} else if nargs >= 3 {
		r.guard(irkit.ISTAG, r.slot(a+3), irkit.Ref(tagNil))
	}
	r.gcRoom()
	r.setResults(a, nres, r.b.Call(L.jit.hSub, s, i, j))
	return nil
}

// recStrIndex records s[k] for a string s in slot b and a string key k,
// as the interpreter's index does: through the strings' metatable, whose
// __index (the string library, unless the program changed it) must be a
// table; k is then read from it as getStr reads a table's field. This is
// how s:sub(i, j) finds string.sub.
func (r *jrecorder) recStrIndex(b int, k Value) (irkit.Ref, error) {
	L := r.L
	if L.strMeta == Nil {
		return irkit.NoRef, errNYI("NYI: indexing a string")
	}
	r.guard(irkit.ISTAG, r.slot(b), irkit.Ref(tagStr))
	tp, t, err := r.indexTable(int(L.strMeta.idx()), "NYI: indexing a string")
	if err != nil {
		return irkit.NoRef, err
	}
	return r.getStr(tp, t, k)
}
