package vm

import (
	"slices"
	"strconv"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- table ---------------------------------------------------------------------------

func (L *State) openTable() {
	L.libTable("table", map[string]GoFunction{
		"insert": tabInsert,
		"remove": tabRemove,
		"concat": tabConcat,
		"sort":   tabSort,
	}, []string{"getn", "setn", "maxn", "foreach", "foreachi"})
}

func tabInsert(L *State) (int, error) {
	t := L.CheckTable(1)
	e := t.length() + 1
	var pos int
	switch L.nargs {
	case 2:
		pos = e
	case 3:
		pos = L.CheckInt(2)
		if pos > e {
			e = pos
		}
		for i := e; i > pos; i-- {
			L.tsetInt(t, i, t.getInt(i-1))
		}
	default:
		return 0, lstr.Error("wrong number of arguments to 'insert'")
	}
	L.tsetInt(t, pos, L.Arg(L.nargs))
	return 0, nil
}

func tabRemove(L *State) (int, error) {
	t := L.CheckTable(1)
	e := t.length()
	pos := L.OptInt(2, e)
	if !(1 <= pos && pos <= e) {
		return 0, nil
	}
	v := t.getInt(pos)
	for ; pos < e; pos++ {
		L.tsetInt(t, pos, t.getInt(pos+1))
	}
	L.tsetInt(t, e, Nil)
	L.Push(v)
	return 1, nil
}

func tabConcat(L *State) (int, error) {
	t := L.CheckTable(1)
	sep := L.OptString(2, "")
	i := L.OptInt(3, 1)
	var j int
	if L.Arg(4) == Nil {
		j = t.length()
	} else {
		j = L.CheckInt(4)
	}
	b := L.buf[:0]
	if i <= j && j-i < maxStringLen {
		// Reserve the result's length once (numbers take at most 24
		// bytes): growing b by append copied a long result several times
		// over. The loop below reports bad values and overlong results.
		total := (j - i) * len(sep)
		for k := i; k <= j && total < maxStringLen; k++ {
			v := t.getInt(k)
			if v < numLimit {
				total += 24
			} else if v.tag() == tagStr {
				total += len(L.str(v))
			} else {
				break
			}
		}
		if total < maxStringLen {
			b = slices.Grow(b, total)
		}
	}
	for k := i; k <= j; k++ {
		v := t.getInt(k)
		if !isStrOrNum(v) {
			return 0, lstr.Error("invalid value (" + v.TypeName() + ") at index " + strconv.Itoa(k) + " in table for 'concat'")
		}
		b = L.appendStrOrNum(b, v)
		if k != j {
			b = append(b, sep...)
		}
		if len(b) >= maxStringLen {
			return 0, lstr.Error("not enough memory")
		}
	}
	L.buf = b
	L.Push(L.stringBytes(b))
	return 1, nil
}

// tabSort is Lua 5.1's auxsort: median-of-three quicksort that recurses on
// the smaller half, calling the comparator in the same pattern as Lua (so
// an inconsistent comparator fails the same way, with "invalid order
// function for sorting").
func tabSort(L *State) (int, error) {
	t := L.CheckTable(1)
	n := t.length()
	comp := L.Arg(2)
	if comp != Nil && !comp.isFunc() {
		L.typeArgError(2, "function")
	}
	L.top = L.base + 2 // the pivot lives in slot base+2 (seen by the GC)
	L.Push(Nil)
	s := &sorter{L: L, t: t, comp: comp, pslot: L.base + 2}
	s.auxsort(1, n)
	return 0, nil
}

type sorter struct {
	L     *State
	t     *Table
	comp  Value
	pslot int
}

func (s *sorter) less(a, b Value) bool {
	if s.comp == Nil {
		return s.L.lessThan(a, b)
	}
	return s.L.call2to1(s.comp, a, b).truthy()
}

func (s *sorter) get(i int) Value { return s.t.getInt(i) }
func (s *sorter) set(i int, v Value) {
	s.L.tsetInt(s.t, i, v)
}

func (s *sorter) auxsort(l, u int) {
	L := s.L
	for l < u {
		// sort a[l], a[(l+u)/2], a[u]
		al, au := s.get(l), s.get(u)
		if s.less(au, al) {
			s.set(l, au)
			s.set(u, al)
		}
		if u-l == 1 {
			break
		}
		i := (l + u) / 2
		ai, al := s.get(i), s.get(l)
		if s.less(ai, al) {
			s.set(i, al)
			s.set(l, ai)
		} else {
			au := s.get(u)
			if s.less(au, ai) {
				s.set(i, au)
				s.set(u, ai)
			}
		}
		if u-l == 2 {
			break
		}
		p := s.get(i)
		L.stack[s.pslot] = p
		au1 := s.get(u - 1)
		s.set(i, au1)
		s.set(u-1, p)
		i, j := l, u-1
		for {
			i++
			for s.less(s.get(i), p) {
				if i > u {
					L.rtErrorCaller("invalid order function for sorting")
				}
				i++
			}
			j--
			for s.less(p, s.get(j)) {
				if j < l {
					L.rtErrorCaller("invalid order function for sorting")
				}
				j--
			}
			if j < i {
				break
			}
			ai, aj := s.get(i), s.get(j)
			s.set(i, aj)
			s.set(j, ai)
		}
		au1, ai = s.get(u-1), s.get(i)
		s.set(u-1, ai)
		s.set(i, au1)
		if i-l < u-i {
			j = l
			i = i - 1
			l = i + 2
		} else {
			j = i + 1
			i = u
			u = j - 2
		}
		s.auxsort(j, i)
	}
}

// rtErrorCaller raises msg from a Go function with the position of its
// caller, as luaL_error does.
func (L *State) rtErrorCaller(msg string) {
	w := L.where(len(L.frames) - 2)
	if w != "" {
		w += " "
	}
	L.throw(L.String(w + msg))
}
