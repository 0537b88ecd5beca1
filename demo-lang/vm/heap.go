package vm

// -- Object tables ----------------------------------------------------------
//
// Every heap object lives in a slice owned by the State and is named by its
// index, which is the payload of the Values that refer to it. A parallel
// slice of mark words holds the GC epoch in which the object was last marked
// (0: the slot is free); freed slots are chained on a free list and reused
// by the next allocation of that kind, with their Go memory (a table's
// array, a closure's upvalue slice) kept for reuse when it is small.

// Upval is a closure's reference to a variable of an enclosing function:
// open (idx >= 0) while that function's frame is live and the variable is
// stack slot idx, closed (idx < 0) afterwards with the value in v.
type Upval struct {
	v   Value
	idx int
}

// Closure is a Lua function value: a prototype and its upvalues.
type Closure struct {
	p  *Proto
	up []*Upval
}

// GoFunction is a function written in Go and callable from Lua. It reads
// its arguments with L.Arg, L.CheckNumber, ... and returns its results by
// pushing them (L.Push) and returning how many it pushed. A returned error
// is raised as a Lua error (an *Error keeps its value; other errors become
// their message with position information added).
type GoFunction func(L *State) (int, error)

// goFunc is a Go function object.
type goFunc struct {
	fn   GoFunction
	name string
}

type objKind int

const (
	kStr objKind = iota
	kTab
	kLFn
	kGFn
	nKinds
)

// -- Allocation ---------------------------------------------------------------

// newTable allocates a table with room for narr array and nhash hash entries.
func (L *State) newTable(narr, nhash int) (uint32, *Table) {
	var i uint32
	var t *Table
	if n := len(L.tabFree); n > 0 {
		i = L.tabFree[n-1]
		L.tabFree = L.tabFree[:n-1]
		t = L.tabs[i]
	} else {
		i = uint32(len(L.tabs))
		if i == uint32(cap(L.tabs)) {
			L.growTabs()
		}
		t = &Table{}
		L.tabs = append(L.tabs, t)
		L.tabMark = append(L.tabMark, 0)
	}
	L.tabMark[i] = 1
	if narr > 0 {
		if cap(t.arr) >= narr {
			t.arr = t.arr[:narr]
		} else {
			t.arr = make([]Value, narr)
		}
		clearValues(t.arr)
	}
	if nhash > 0 {
		L.setNodeVector(t, nhash)
	}
	L.memBytes += 64 + int64(tableBytes(t))
	L.nObjects++
	return i, t
}

// growTabs doubles the capacity of tabs and tabMark, for the reason
// growStrs gives: binarytrees spent 5% of its time in copies of the
// 1.25x-grown slices and the page faults of each new one.
func (L *State) growTabs() {
	n := 2 * cap(L.tabs)
	if n < 256 {
		n = 256
	}
	tabs := make([]*Table, len(L.tabs), n)
	copy(tabs, L.tabs)
	L.tabs = tabs
	mark := make([]uint32, len(L.tabMark), n)
	copy(mark, L.tabMark)
	L.tabMark = mark
}

// newTableValue allocates a table and returns its Value.
func (L *State) newTableValue(narr, nhash int) (Value, *Table) {
	i, t := L.newTable(narr, nhash)
	return box(tagTab, i), t
}

// newClosure allocates a Lua closure of proto p.
func (L *State) newClosure(p *Proto) (Value, *Closure) {
	var i uint32
	var c *Closure
	if n := len(L.fnFree); n > 0 {
		i = L.fnFree[n-1]
		L.fnFree = L.fnFree[:n-1]
		c = L.fns[i]
	} else {
		i = uint32(len(L.fns))
		c = &Closure{}
		L.fns = append(L.fns, c)
		L.fnMark = append(L.fnMark, 0)
	}
	L.fnMark[i] = 1
	c.p = p
	if p.nclos < 2 {
		p.nclos++
	}
	if cap(c.up) >= p.NumUpvals {
		c.up = c.up[:p.NumUpvals]
	} else {
		c.up = make([]*Upval, p.NumUpvals)
	}
	L.memBytes += 48 + 40*int64(p.NumUpvals)
	L.nObjects++
	return box(tagLFn, i), c
}

// NewFunction makes a Go function Value named name (the name appears in
// error messages such as "bad argument #1 to 'name'").
func (L *State) NewFunction(name string, fn GoFunction) Value {
	var i uint32
	if n := len(L.gfnFree); n > 0 {
		i = L.gfnFree[n-1]
		L.gfnFree = L.gfnFree[:n-1]
		L.gfns[i] = goFunc{fn: fn, name: name}
	} else {
		i = uint32(len(L.gfns))
		L.gfns = append(L.gfns, goFunc{fn: fn, name: name})
		L.gfnMark = append(L.gfnMark, 0)
	}
	L.gfnMark[i] = 1
	L.memBytes += 64
	L.nObjects++
	return box(tagGFn, i)
}

// -- Strings ----------------------------------------------------------------

// String returns the interned string Value for s.
func (L *State) String(s string) Value {
	h := L.intern.hash(s)
	if i, ok := L.intern.find(L.strs, s, h); ok {
		return box(tagStr, i)
	}
	return L.addString(s, h)
}

// stringBytes interns the bytes b (copied only if new).
func (L *State) stringBytes(b []byte) Value {
	h := L.intern.hashBytes(b)
	if i, ok := L.intern.findBytes(L.strs, b, h); ok {
		return box(tagStr, i)
	}
	return L.addString(string(b), h)
}

// lookupString returns the index of s if it is interned.
func (L *State) lookupString(s string) (uint32, bool) {
	return L.intern.find(L.strs, s, L.intern.hash(s))
}

// addString makes the new string s, whose hash is h, an object.
func (L *State) addString(s string, h uint32) Value {
	var i uint32
	if n := len(L.strFree); n > 0 {
		i = L.strFree[n-1]
		L.strFree = L.strFree[:n-1]
		L.strs[i] = s
	} else {
		i = uint32(len(L.strs))
		if i == uint32(cap(L.strs)) {
			L.growStrs()
		}
		L.strs = append(L.strs, s)
		L.strMark = append(L.strMark, 0)
	}
	L.strMark[i] = 1
	L.intern.insert(h, i)
	L.memBytes += 40 + int64(len(s))
	L.nObjects++
	return box(tagStr, i)
}

// growStrs doubles the capacity of strs and strMark. append grows a large
// slice by only 1.25x, so a program that keeps making strings copied its
// string headers about five times over, and the copies of a slice of
// pointers are what Go's collector assists pay for.
func (L *State) growStrs() {
	n := 2 * cap(L.strs)
	if n < 256 {
		n = 256
	}
	strs := make([]string, len(L.strs), n)
	copy(strs, L.strs)
	L.strs = strs
	mark := make([]uint32, len(L.strMark), n)
	copy(mark, L.strMark)
	L.strMark = mark
}

// str returns the Go string of a string Value.
func (L *State) str(v Value) string { return L.strs[v.idx()] }

// tab returns the table of a table Value.
func (L *State) tab(v Value) *Table { return L.tabs[v.idx()] }
