package vm

import (
	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- string.find, match, gmatch, gsub (patterns are lstr's) -------------------------

func (L *State) addPatternFuncs(fns map[string]GoFunction) {
	fns["find"] = strFind
	fns["match"] = strMatch
	fns["gmatch"] = strGmatch
	fns["gsub"] = strGsub
}

// pushCaptures pushes the results of the matcher's last match.
func (L *State) pushCaptures(m *lstr.Matcher, whole bool) (int, error) {
	n := m.Results(whole)
	L.ensureStack(L.top + n + minStack)
	for i := 0; i < n; i++ {
		s, pos, err := m.Capture(i)
		if err != nil {
			return 0, err
		}
		if pos > 0 {
			L.PushNumber(float64(pos))
		} else {
			L.PushString(s)
		}
	}
	return n, nil
}

func strFindAux(L *State, find bool) (int, error) {
	s := L.CheckString(1)
	p := L.CheckString(2)
	init := L.OptInt(3, 1)
	if init > len(s)+1 && find { // Lua 5.1 clamps init to the length
		init = len(s) + 1
	}
	m := &L.matcher
	var ok bool
	var err error
	if find {
		ok, err = m.Find(s, p, init, L.Arg(4).truthy())
	} else {
		ok, err = m.Match(s, p, init)
	}
	if err != nil {
		return 0, err
	}
	if !ok {
		L.Push(Nil)
		return 1, nil
	}
	if find {
		L.PushNumber(float64(m.Start() + 1))
		L.PushNumber(float64(m.End()))
		n, err := L.pushCaptures(m, false)
		return n + 2, err
	}
	return L.pushCaptures(m, true)
}

func strFind(L *State) (int, error)  { return strFindAux(L, true) }
func strMatch(L *State) (int, error) { return strFindAux(L, false) }

func strGmatch(L *State) (int, error) {
	g := &lstr.Gmatch{Src: L.CheckString(1), Pat: L.CheckString(2)}
	L.Push(L.NewFunction("gmatch_iter", func(L *State) (int, error) {
		m := &L.matcher
		ok, err := g.Next(m)
		if err != nil || !ok {
			return 0, err
		}
		return L.pushCaptures(m, true)
	}))
	return 1, nil
}

// luaReplacer is gsub's replacement by a function or a table.
type luaReplacer struct {
	L    *State
	repl Value
}

func (r *luaReplacer) Replace(m *lstr.Matcher) (string, bool, error) {
	L := r.L
	var v Value
	if r.repl.tag() == tagTab {
		s, pos, err := m.Capture(0)
		if err != nil {
			return "", false, err
		}
		k := L.String(s)
		if pos > 0 {
			k = Number(float64(pos))
		}
		v = L.index(r.repl, k, -1)
	} else {
		fs := L.scratch()
		ot := L.top
		L.top = fs
		L.ensureStack(fs + 1 + minStack)
		L.Push(r.repl)
		n, err := L.pushCaptures(m, true)
		if err != nil {
			L.top = ot
			return "", false, err
		}
		L.call(fs, n, 1)
		v = L.stack[fs]
		L.top = ot
	}
	switch {
	case v == Nil || v == False:
		return "", false, nil
	case isStrOrNum(v):
		s, _ := L.ToString(v)
		return s, true, nil
	}
	return "", false, lstr.InvalidReplacement(v.TypeName())
}

func strGsub(L *State) (int, error) {
	s := L.CheckString(1)
	p := L.CheckString(2)
	rv := L.Arg(3)
	maxN := L.OptInt(4, len(s)+1)
	var repl string
	var r lstr.Replacer
	switch {
	case isStrOrNum(rv):
		repl, _ = L.ToString(rv)
	case rv.tag() == tagTab || rv.isFunc():
		r = &luaReplacer{L: L, repl: rv}
	default:
		L.ArgError(3, "string/function/table expected")
	}
	var m lstr.Matcher // the replacer may re-enter string functions
	b, n, err := m.Gsub(nil, s, p, repl, r, maxN)
	if err != nil {
		return 0, err
	}
	if len(b) >= maxStringLen {
		return 0, lstr.Error("not enough memory")
	}
	L.Push(L.stringBytes(b))
	L.PushNumber(float64(n))
	return 2, nil
}
