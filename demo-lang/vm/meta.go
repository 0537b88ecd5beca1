package vm

import (
	"errors"
	"math"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- Metamethods ---------------------------------------------------------------

// Metamethod events, in Lua 5.1's order. A metatable's flags cache which
// of them are known to be absent.
const (
	tmIndex = iota
	tmNewindex
	tmEq
	tmAdd
	tmSub
	tmMul
	tmDiv
	tmMod
	tmPow
	tmUnm
	tmLen
	tmLt
	tmLe
	tmConcat
	tmCall
	tmTostring
	tmMetatable
	tmN
)

var tmNames = [tmN]string{"__index", "__newindex", "__eq", "__add", "__sub", "__mul", "__div",
	"__mod", "__pow", "__unm", "__len", "__lt", "__le", "__concat", "__call", "__tostring", "__metatable"}

var (
	errIndexNil = errors.New("table index is nil")
	errIndexNaN = errors.New("table index is NaN")
)

// metatable returns the metatable of v, or nil.
func (L *State) metatable(v Value) *Table {
	switch v.tag() {
	case tagTab:
		if m := L.tabs[v.idx()].mt; m != 0 {
			return L.tabs[m-1]
		}
	case tagStr:
		if L.strMeta != Nil {
			return L.tab(L.strMeta)
		}
	}
	return nil
}

// metaField returns metamethod e of v, or Nil.
func (L *State) metaField(v Value, e int) Value {
	mt := L.metatable(v)
	if mt == nil || mt.flags&(1<<e) != 0 {
		return Nil
	}
	r := mt.getHash(L.tmName[e])
	if r == Nil {
		mt.flags |= 1 << e
	}
	return r
}

// index returns obj[key] with __index. slot is obj's frame slot in the
// running Lua function (for the error message), or -1.
func (L *State) index(obj, key Value, slot int) Value {
	for loop := 0; loop < 100; loop++ {
		var tm Value
		if obj.tag() == tagTab {
			t := L.tab(obj)
			if v := t.get(key); v != Nil {
				return v
			}
			if tm = L.metaField(obj, tmIndex); tm == Nil {
				return Nil
			}
		} else if tm = L.metaField(obj, tmIndex); tm == Nil {
			L.typeError(obj, slot, "index")
		}
		if tm.isFunc() {
			return L.call2to1(tm, obj, key)
		}
		obj, slot = tm, -1
	}
	L.rtError("loop in gettable")
	return Nil
}

// getStrChain follows __index tables for the string key k, which t (a
// table with a metatable) lacks. It reports false when it meets an __index
// function (the caller then takes the general path). held is the calling
// instruction's hint for the table that holds k.
func (L *State) getStrChain(t *Table, k Value, held *int32) (Value, bool) {
	for loop := 0; loop < 100; loop++ {
		mt := L.tabs[t.mt-1]
		if mt.flags&(1<<tmIndex) != 0 {
			return Nil, true
		}
		h := mt.getHash(L.tmName[tmIndex])
		if h == Nil {
			mt.flags |= 1 << tmIndex
			return Nil, true
		}
		if h>>tagShift != tabHi {
			return Nil, false
		}
		t = L.tabs[h.idx()]
		if v := t.getStrHint(k, held); v != Nil || t.mt == 0 {
			return v, true
		}
	}
	return Nil, false
}

// setIndex performs obj[key] = val with __newindex.
func (L *State) setIndex(obj, key, val Value, slot int) {
	for loop := 0; loop < 100; loop++ {
		var tm Value
		if obj.tag() == tagTab {
			t := L.tab(obj)
			if p := t.slot(key); p != nil && *p != Nil {
				*p = val
				t.flags = 0
				return
			}
			if tm = L.metaField(obj, tmNewindex); tm == Nil {
				L.tsetChecked(t, key, val)
				return
			}
		} else if tm = L.metaField(obj, tmNewindex); tm == Nil {
			L.typeError(obj, slot, "index")
		}
		if tm.isFunc() {
			L.callMeta(tm, 0, obj, key, val)
			return
		}
		obj, slot = tm, -1
	}
	L.rtError("loop in settable")
}

// tsetChecked is a raw set that raises the key errors.
func (L *State) tsetChecked(t *Table, k, v Value) {
	if err := L.tset(t, k, v); err != nil {
		L.rtError(err.Error())
	}
}

// -- Arithmetic ---------------------------------------------------------------

// toNumber converts a number or a numeric string.
func (L *State) toNumber(v Value) (float64, bool) {
	if v < numLimit {
		return v.Float(), true
	}
	if v.tag() == tagStr {
		return lstr.ParseNumber(L.str(v))
	}
	return 0, false
}

func arith(e int, a, b float64) float64 {
	switch e {
	case tmAdd:
		return a + b
	case tmSub:
		return a - b
	case tmMul:
		return a * b
	case tmDiv:
		return a / b
	case tmMod:
		return luaMod(a, b)
	case tmPow:
		return math.Pow(a, b)
	default: // tmUnm
		return -a
	}
}

// arithOp is the interpreter's slow path for arithmetic: it stores the
// result in slot a of frame ci and returns the stack generation afterwards.
func (L *State) arithOp(ci, pc, a, e int, x, y Value, bslot, cslot int) uint32 {
	L.frames[ci].pc = int32(pc)
	r := L.arithSlow(e, x, y, bslot, cslot)
	L.stack[int(L.frames[ci].base)+a] = r
	return L.stackGen
}

// arithSlow does x op y with string coercion and metamethods.
func (L *State) arithSlow(e int, x, y Value, bslot, cslot int) Value {
	if a, ok := L.toNumber(x); ok {
		if b, ok := L.toNumber(y); ok {
			return Number(arith(e, a, b))
		}
	}
	tm := L.metaField(x, e)
	if tm == Nil {
		tm = L.metaField(y, e)
	}
	if tm == Nil {
		if _, ok := L.toNumber(x); !ok {
			L.typeError(x, bslot, "perform arithmetic on")
		}
		L.typeError(y, cslot, "perform arithmetic on")
	}
	return L.call2to1(tm, x, y)
}

// lenSlow is # for values other than strings and tables.
func (L *State) lenSlow(v Value, slot int) Value {
	tm := L.metaField(v, tmLen)
	if tm == Nil {
		L.typeError(v, slot, "get length of")
	}
	return L.call2to1(tm, v, Nil)
}

// -- Comparison ---------------------------------------------------------------

func (L *State) compareError(x, y Value) {
	t1, t2 := x.TypeName(), y.TypeName()
	if t1 == t2 {
		L.rtError("attempt to compare two " + t1 + " values")
	}
	L.rtError("attempt to compare " + t1 + " with " + t2)
}

// orderTM finds the common metamethod e of x and y (same type, same method).
func (L *State) orderTM(x, y Value, e int) Value {
	if x.TypeName() != y.TypeName() {
		return Nil
	}
	tm1 := L.metaField(x, e)
	if tm1 == Nil {
		return Nil
	}
	if tm2 := L.metaField(y, e); tm2 != tm1 && !(tm1 < numLimit && tm2 < numLimit && tm1.Float() == tm2.Float()) {
		return Nil
	}
	return tm1
}

func (L *State) lessThan(x, y Value) bool {
	if x < numLimit && y < numLimit {
		return x.Float() < y.Float()
	}
	if x.tag() == tagStr && y.tag() == tagStr {
		return L.str(x) < L.str(y)
	}
	if tm := L.orderTM(x, y, tmLt); tm != Nil {
		return L.call2to1(tm, x, y).truthy()
	}
	L.compareError(x, y)
	return false
}

func (L *State) lessEqual(x, y Value) bool {
	if x < numLimit && y < numLimit {
		return x.Float() <= y.Float()
	}
	if x.tag() == tagStr && y.tag() == tagStr {
		return L.str(x) <= L.str(y)
	}
	if tm := L.orderTM(x, y, tmLe); tm != Nil {
		return L.call2to1(tm, x, y).truthy()
	}
	if tm := L.orderTM(y, x, tmLt); tm != Nil {
		return !L.call2to1(tm, y, x).truthy()
	}
	L.compareError(x, y)
	return false
}

// rawEqual is primitive equality.
func rawEqual(x, y Value) bool {
	if x < numLimit && y < numLimit {
		return x.Float() == y.Float()
	}
	return x == y
}

// equalMeta compares two distinct tables with __eq (Lua 5.1 rules: both
// must have the same __eq metamethod).
func (L *State) equalMeta(x, y Value) bool {
	tm1 := L.metaField(x, tmEq)
	if tm1 == Nil {
		return false
	}
	if tm2 := L.metaField(y, tmEq); tm2 != tm1 {
		return false
	}
	return L.call2to1(tm1, x, y).truthy()
}

// equal is == with metamethods.
func (L *State) equal(x, y Value) bool {
	if rawEqual(x, y) {
		return true
	}
	if x.tag() == tagTab && y.tag() == tagTab {
		return L.equalMeta(x, y)
	}
	return false
}

// -- Concatenation --------------------------------------------------------------

const maxStringLen = 1 << 30

// isStrOrNum reports whether v concatenates without a metamethod.
func isStrOrNum(v Value) bool { return v < numLimit || v.tag() == tagStr }

func (L *State) appendStrOrNum(b []byte, v Value) []byte {
	if v < numLimit {
		return lstr.AppendNumber(b, v.Float())
	}
	return append(b, L.str(v)...)
}

// concat evaluates stack[lo] .. ... .. stack[hi] as Lua 5.1 does: from the
// right, joining runs of strings and numbers at once and calling __concat
// for the others. The slots may be clobbered.
func (L *State) concat(lo, hi int) Value {
	top := hi // stack[top] is the current right operand
	for top > lo {
		s := L.stack
		x, y := s[top-1], s[top]
		if !isStrOrNum(x) || !isStrOrNum(y) {
			tm := L.metaField(x, tmConcat)
			if tm == Nil {
				tm = L.metaField(y, tmConcat)
			}
			if tm == Nil {
				bad, slot := y, top
				if !isStrOrNum(x) {
					bad, slot = x, top-1
				}
				fi := len(L.frames) - 1
				L.typeError(bad, slot-int(L.frames[fi].base), "concatenate")
			}
			r := L.call2to1(tm, x, y)
			L.stack[top-1] = r
			top--
			continue
		}
		// Gather the longest run of strings/numbers ending at top.
		n := 1 // values in the run: s[top-n+1 .. top]
		for top-n >= lo && isStrOrNum(s[top-n]) {
			n++
		}
		first := top - n + 1
		total := 0
		for i := first; i <= top; i++ {
			if v := s[i]; v < numLimit {
				total += 24
			} else {
				total += len(L.str(v))
			}
		}
		if total >= maxStringLen {
			L.rtError("not enough memory")
		}
		b := L.buf[:0]
		for i := first; i <= top; i++ {
			b = L.appendStrOrNum(b, s[i])
		}
		L.buf = b
		s[first] = L.stringBytes(b)
		top = first
	}
	return L.stack[lo]
}

// -- Upvalues ---------------------------------------------------------------------

// findUpval returns the open upvalue for stack slot idx, creating it.
func (L *State) findUpval(idx int) *Upval {
	ou := L.openUpvals
	i := len(ou)
	for i > 0 && ou[i-1].idx >= idx {
		if ou[i-1].idx == idx {
			return ou[i-1]
		}
		i--
	}
	u := &Upval{idx: idx}
	ou = append(ou, nil)
	copy(ou[i+1:], ou[i:])
	ou[i] = u
	L.openUpvals = ou
	L.upTop = int64(ou[len(ou)-1].idx)
	return u
}

// closeUpvals closes every open upvalue of a slot >= level.
func (L *State) closeUpvals(level int) {
	ou := L.openUpvals
	n := len(ou)
	for n > 0 && ou[n-1].idx >= level {
		u := ou[n-1]
		u.v = L.stack[u.idx]
		u.idx = -1
		ou[n-1] = nil
		n--
	}
	L.openUpvals = ou[:n]
	L.upTop = -1
	if n > 0 {
		L.upTop = int64(ou[n-1].idx)
	}
}

// -- Numeric for ---------------------------------------------------------------

// forPrep coerces the numeric for's control values to numbers.
func (L *State) forPrep(regs []Value, a int) {
	msgs := [3]string{"'for' initial value must be a number", "'for' limit must be a number", "'for' step must be a number"}
	for i := 0; i < 3; i++ {
		if regs[a+i] >= numLimit {
			f, ok := L.toNumber(regs[a+i])
			if !ok {
				L.rtError(msgs[i])
			}
			regs[a+i] = Number(f)
		}
	}
}

// isTMName reports whether k is the name of a metamethod ("__index", ...).
func (L *State) isTMName(k Value) bool {
	for _, n := range L.tmName {
		if n == k {
			return true
		}
	}
	return false
}
