package vm

import (
	"sort"
	"strconv"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- Base library --------------------------------------------------------------

func (L *State) openLibs() {
	g := func(name string, fn GoFunction) { L.Register(name, fn) }
	g("print", basePrint)
	g("type", baseType)
	g("tostring", baseTostring)
	g("tonumber", baseTonumber)
	g("ipairs", baseIpairs)
	g("pairs", basePairs)
	g("next", baseNext)
	g("select", baseSelect)
	g("unpack", baseUnpack)
	g("error", baseError)
	g("assert", baseAssert)
	g("pcall", basePcall)
	g("xpcall", baseXpcall)
	g("rawget", baseRawget)
	g("rawset", baseRawset)
	g("rawequal", baseRawequal)
	g("setmetatable", baseSetmetatable)
	g("getmetatable", baseGetmetatable)
	g("collectgarbage", baseCollectgarbage)
	L.SetGlobal("_G", L.globals)
	L.SetGlobal("_VERSION", L.String("Lua 5.1"))
	L.ipairsAux = L.NewFunction("ipairs_aux", ipairsAux)
	L.nextFn = L.GetGlobal("next")
	_ = L.tset(L.tab(L.registry), L.String("ipairs_aux"), L.ipairsAux)
	_ = L.tset(L.tab(L.registry), L.String("next"), L.nextFn)
	for _, name := range []string{"load", "loadstring", "dofile", "require", "setfenv", "getfenv",
		"module", "newproxy", "gcinfo", "loadfile"} {
		L.SetGlobal(name, L.unsupported(name))
	}
	L.openMath()
	L.openString()
	L.openTable()
	L.openOSIO()
	L.libTable("coroutine", nil, []string{"create", "resume", "yield", "status", "wrap", "running"})
	L.libTable("debug", nil, []string{"debug", "getfenv", "gethook", "getinfo", "getlocal",
		"getmetatable", "getregistry", "getupvalue", "setfenv", "sethook", "setlocal",
		"setmetatable", "setupvalue", "traceback"})
}

// libTable creates the global table name with fns and unsupported entries.
func (L *State) libTable(name string, fns map[string]GoFunction, unsupported []string) *Table {
	v, t := L.newTableValue(0, len(fns)+len(unsupported))
	keys := make([]string, 0, len(fns))
	for k := range fns {
		keys = append(keys, k)
	}
	sort.Strings(keys) // allocation order, hence pairs order, must not depend on map order
	for _, k := range keys {
		_ = L.tset(t, L.String(k), L.NewFunction(k, fns[k]))
	}
	for _, k := range unsupported {
		_ = L.tset(t, L.String(k), L.unsupported(name+"."+k))
	}
	L.SetGlobal(name, v)
	return t
}

// unsupported makes a function that raises "NAME is not supported by
// demo-lang" with the caller's position.
func (L *State) unsupported(name string) Value {
	msg := name + " is not supported by demo-lang"
	return L.NewFunction(name, func(L *State) (int, error) {
		return 0, lstr.Error(msg)
	})
}

// tostring converts any value as Lua's tostring does (with __tostring).
func (L *State) tostring(v Value) Value {
	switch v.tag() {
	case 0:
		var buf [32]byte // formatted in place: no Go string unless new
		return L.stringBytes(lstr.AppendNumber(buf[:0], v.Float()))
	case tagStr:
		return v
	case tagNil:
		return L.String("nil")
	case tagFalse:
		return L.String("false")
	case tagTrue:
		return L.String("true")
	}
	if tm := L.metaField(v, tmTostring); tm != Nil {
		r := L.call2to1(tm, v, Nil)
		return r
	}
	var b []byte
	switch v.tag() {
	case tagTab:
		b = append(b, "table: 0x"...)
	default:
		b = append(b, "function: 0x"...)
	}
	addr := uint64(v.idx())*0x40 + uint64(v.tag())<<36
	b = append(b, leftPad(strconv.FormatUint(addr, 16), 8)...)
	return L.stringBytes(b)
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

func basePrint(L *State) (int, error) {
	n := L.nargs
	for i := 1; i <= n; i++ {
		if i > 1 {
			L.out.WriteByte('\t')
		}
		v := L.Arg(i)
		switch {
		case v < numLimit:
			L.buf = lstr.AppendNumber(L.buf[:0], v.Float())
			L.out.Write(L.buf)
		case v.tag() == tagStr:
			L.out.WriteString(L.str(v))
		default:
			s := L.tostring(v)
			if s.tag() != tagStr {
				return 0, lstr.Error("'tostring' must return a string to 'print'")
			}
			L.out.WriteString(L.str(s))
		}
	}
	L.out.WriteByte('\n')
	return 0, nil
}

func baseType(L *State) (int, error) {
	v := L.CheckAny(1)
	L.PushString(v.TypeName())
	return 1, nil
}

func baseTostring(L *State) (int, error) {
	v := L.CheckAny(1)
	L.Push(L.tostring(v))
	return 1, nil
}

func baseTonumber(L *State) (int, error) {
	v := L.Arg(1)
	if L.nargs < 2 || L.Arg(2) == Nil {
		L.CheckAny(1)
		if v < numLimit {
			L.Push(v)
			return 1, nil
		}
		if v.tag() == tagStr {
			if f, ok := lstr.ParseNumber(L.str(v)); ok {
				L.Push(Number(f))
				return 1, nil
			}
		}
		L.Push(Nil)
		return 1, nil
	}
	base := L.CheckInt(2)
	s := L.CheckString(1)
	f, ok, err := lstr.ParseNumberBase(s, base)
	if err != nil {
		return 0, err
	}
	if !ok {
		L.Push(Nil)
	} else {
		L.Push(Number(f))
	}
	return 1, nil
}

func ipairsAux(L *State) (int, error) {
	t := L.CheckTable(1)
	i := L.CheckInt(2) + 1
	v := t.getInt(i)
	if v == Nil {
		return 0, nil
	}
	L.Push(nv(float64(i)))
	L.Push(v)
	return 2, nil
}

func baseIpairs(L *State) (int, error) {
	L.CheckTable(1)
	L.Push(L.ipairsAux)
	L.Push(L.Arg(1))
	L.Push(0)
	return 3, nil
}

func basePairs(L *State) (int, error) {
	L.CheckTable(1)
	L.Push(L.nextFn)
	L.Push(L.Arg(1))
	L.Push(Nil)
	return 3, nil
}

func baseNext(L *State) (int, error) {
	t := L.CheckTable(1)
	k, v, ok := t.next(L.Arg(2))
	if !ok {
		return 0, lstr.Error("invalid key to 'next'")
	}
	if k == Nil {
		L.Push(Nil)
		return 1, nil
	}
	L.Push(k)
	L.Push(v)
	return 2, nil
}

func baseSelect(L *State) (int, error) {
	n := L.nargs
	if v := L.Arg(1); v.tag() == tagStr && L.str(v) == "#" {
		L.PushNumber(float64(n - 1))
		return 1, nil
	}
	i := L.CheckInt(1)
	if i < 0 {
		i = n + i
	} else if i > n {
		i = n
	}
	if i < 1 {
		L.ArgError(1, "index out of range")
	}
	return n - i, nil
}

func baseUnpack(L *State) (int, error) {
	t := L.CheckTable(1)
	i := L.OptInt(2, 1)
	var e int
	if L.Arg(3) == Nil {
		e = t.length()
	} else {
		e = L.CheckInt(3)
	}
	if i > e {
		return 0, nil
	}
	n := e - i + 1
	if n <= 0 || n >= 1<<20 {
		return 0, lstr.Error("too many results to unpack")
	}
	L.ensureStack(L.top + n + minStack)
	for k := i; k <= e; k++ {
		L.Push(t.getInt(k))
	}
	return n, nil
}

func baseError(L *State) (int, error) {
	v := L.Arg(1)
	level := L.OptInt(2, 1)
	if level > 0 && isStrOrNum(v) {
		fi := len(L.frames) - 1 - level
		if w := L.where(fi); w != "" {
			s, _ := L.ToString(v)
			v = L.String(w + " " + s)
		}
	}
	L.throw(v)
	return 0, nil
}

func baseAssert(L *State) (int, error) {
	v := L.CheckAny(1)
	if !v.truthy() {
		return 0, lstr.Error(L.OptString(2, "assertion failed!"))
	}
	return L.nargs, nil
}

func basePcall(L *State) (int, error) {
	L.CheckAny(1)
	base := L.base
	n, errv, ok := L.pcall(base, L.nargs-1, Nil)
	if !ok {
		L.stack[base] = False
		L.stack[base+1] = errv
		L.top = base + 2
		return 2, nil
	}
	L.ensureStack(base + n + 1 + minStack)
	s := L.stack
	copy(s[base+1:base+1+n], s[base:base+n])
	s[base] = True
	L.top = base + n + 1
	return n + 1, nil
}

func baseXpcall(L *State) (int, error) {
	L.CheckAny(2)
	base := L.base
	f, h := L.Arg(1), L.Arg(2)
	L.top = base + 2
	L.Push(f)
	fs := base + 2
	n, errv, ok := L.pcall(fs, 0, h)
	if !ok {
		L.stack[base] = False
		L.stack[base+1] = errv
		L.top = base + 2
		return 2, nil
	}
	s := L.stack
	copy(s[base+1:base+1+n], s[fs:fs+n])
	s[base] = True
	L.top = base + n + 1
	return n + 1, nil
}

func baseRawget(L *State) (int, error) {
	t := L.CheckTable(1)
	L.CheckAny(2)
	L.Push(t.get(L.Arg(2)))
	return 1, nil
}

func baseRawset(L *State) (int, error) {
	t := L.CheckTable(1)
	L.CheckAny(2)
	L.CheckAny(3)
	if err := L.tset(t, L.Arg(2), L.Arg(3)); err != nil {
		return 0, lstr.Error(err.Error())
	}
	L.Push(L.Arg(1))
	return 1, nil
}

func baseRawequal(L *State) (int, error) {
	L.CheckAny(1)
	L.CheckAny(2)
	L.PushBool(rawEqual(L.Arg(1), L.Arg(2)))
	return 1, nil
}

func baseSetmetatable(L *State) (int, error) {
	t := L.CheckTable(1)
	mv := L.Arg(2)
	if mv != Nil && mv.tag() != tagTab {
		L.ArgError(2, "nil or table expected")
	}
	if old := L.metatable(L.Arg(1)); old != nil && old.getHash(L.tmName[tmMetatable]) != Nil {
		return 0, lstr.Error("cannot change a protected metatable")
	}
	if mv == Nil {
		t.mt = 0
	} else {
		// Weak tables and finalizers are outside the subset (LANGUAGE.md):
		// a metatable asking for them fails here, at the line that sets
		// it, rather than running with strong references and no __gc.
		mt := L.tab(mv)
		for _, field := range [...]string{"__mode", "__gc"} {
			if L.hasStringKey(mt, field) {
				return 0, lstr.Error(field + " is not supported by demo-lang")
			}
		}
		t.mt = mv.idx() + 1
	}
	L.Push(L.Arg(1))
	return 1, nil
}

// hasStringKey reports whether t holds a non-nil value under the string
// key. A string nobody interned cannot be a key, so the common case is one
// intern-table probe and no allocation.
func (L *State) hasStringKey(t *Table, key string) bool {
	i, ok := L.lookupString(key)
	return ok && t.get(box(tagStr, i)) != Nil
}

func baseGetmetatable(L *State) (int, error) {
	v := L.CheckAny(1)
	mt := L.metatable(v)
	if mt == nil {
		L.Push(Nil)
		return 1, nil
	}
	if p := mt.getHash(L.tmName[tmMetatable]); p != Nil {
		L.Push(p)
		return 1, nil
	}
	if v.tag() == tagStr {
		L.Push(L.strMeta)
	} else {
		L.Push(box(tagTab, L.tab(v).mt-1))
	}
	return 1, nil
}

func baseCollectgarbage(L *State) (int, error) {
	opt := L.OptString(1, "collect")
	switch opt {
	case "collect":
		L.collect(L.liveTop())
		L.PushNumber(0)
	case "count":
		L.PushNumber(float64(L.memBytes) / 1024)
	case "step":
		L.collect(L.liveTop())
		L.PushBool(true)
	default:
		return 0, lstr.Error("collectgarbage option '" + opt + "' is not supported by demo-lang")
	}
	return 1, nil
}
