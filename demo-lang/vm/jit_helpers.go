package vm

import "github.com/jitkit/jitkit/irkit"

// -- Go functions traces call ---------------------------------------------------
//
// What a trace cannot do in its own code, it does by calling the
// interpreter's Go code through an irkit helper: the IR interpreter calls
// the helper's Fn, machine code makes a call-out to Go (it returns to Go,
// which calls Fn and re-enters the trace). The results are the
// interpreter's own, bit for bit. The recorder guards, before the call,
// everything that could make the interpreter take another path (a
// metatable, a key that is nil or NaN, an operand of the wrong type), so
// that a helper never fails and never calls Lua.
//
// Allocation. A helper that may allocate (concatenation, storing a new
// key) is preceded by a guard that the heap is below the collector's
// trigger (gcRoom): over it, the trace exits before the instruction, the
// interpreter executes it and collects. No collection ever runs inside a
// trace, so values that live only in the trace's registers are safe; at
// an exit, everything the interpreter needs is in the slots.

// registerHelpers fills j's helper table with L's functions.
func (j *jitState) registerHelpers(L *State) {
	j.helpers = &irkit.Helpers{}
	reg := func(name string, args []irkit.Type, res irkit.Type, fn irkit.HelperFunc) uint16 {
		id, err := j.helpers.Register(irkit.Helper{Name: name, Args: args, Result: res, Fn: fn})
		if err != nil {
			panic("vm: helper " + name + ": " + err.Error())
		}
		return id
	}
	val, i64 := irkit.TVal, irkit.TI64
	// # of a table whose array part ends in nil (Table.length).
	j.hTabLen = reg("tablen", []irkit.Type{i64}, i64, func(a []uint64) uint64 {
		return uint64(L.tabs[a[0]].length())
	})
	// t[k] without metamethods, for keys outside the array part.
	j.hTGet = reg("tget", []irkit.Type{i64, val}, val, func(a []uint64) uint64 {
		return uint64(L.tabs[a[0]].get(Value(a[1])))
	})
	// t[k] = v without metamethods; k is neither nil nor NaN.
	j.hTSet = reg("tset", []irkit.Type{i64, val, val}, irkit.TVoid, func(a []uint64) uint64 {
		L.tset(L.tabs[a[0]], Value(a[1]), Value(a[2]))
		return 0
	})
	// a new table with array and hash size hints (TNEW).
	j.hTNew = reg("tnew", []irkit.Type{i64, i64}, val, func(a []uint64) uint64 {
		v, _ := L.newTableValue(int(a[0]), int(a[1]))
		return uint64(v)
	})
	// next(t, k) of the pairs iteration: the next key (nil at the end),
	// its value left in State.iterVal; iterBad for a key not in t, on
	// which the interpreter raises "invalid key to 'next'".
	j.hNext = reg("next", []irkit.Type{i64, val}, val, func(a []uint64) uint64 {
		k, v, ok := L.tabs[a[0]].next(Value(a[1]))
		if !ok {
			return uint64(iterBad)
		}
		L.iterVal = v
		return uint64(k)
	})
	// string.sub(s, i, j) of a string and two numbers (the positions as
	// number words, made integers as the interpreter's CheckInt does).
	j.hSub = reg("strsub", []irkit.Type{val, val, val}, val, func(a []uint64) uint64 {
		s := L.str(Value(a[0]))
		sub := subString(s, toInt(Value(a[1]).Float()), toInt(Value(a[2]).Float()))
		if len(sub) == len(s) {
			return a[0] // s itself, interned already
		}
		return uint64(L.String(sub))
	})
	// tostring of a number.
	j.hToStr = reg("tostring", []irkit.Type{val}, val, func(a []uint64) uint64 {
		return uint64(L.tostring(Value(a[0])))
	})
	// a .. b .. ... of n strings and numbers; Nil if the result would be
	// too long (the interpreter then raises the error).
	for n := 2; n <= irkit.MaxArgs; n++ {
		args := make([]irkit.Type, n)
		for i := range args {
			args[i] = val
		}
		j.hCat[n] = reg("concat", args, val, func(a []uint64) uint64 {
			total := 0
			for _, w := range a {
				if v := Value(w); v < numLimit {
					total += 24
				} else {
					total += len(L.str(v))
				}
			}
			if total >= maxStringLen {
				return uint64(Nil)
			}
			b := L.buf[:0]
			for _, w := range a {
				b = L.appendStrOrNum(b, Value(w))
			}
			L.buf = b
			return uint64(L.stringBytes(b))
		})
	}
}

// iterBad is the next helper's answer for an invalid key: a NaN, which no
// key can be.
const iterBad = Value(0x7ff8_dead_0000_0000)
