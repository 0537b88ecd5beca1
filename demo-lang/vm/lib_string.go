package vm

import (
	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- string ----------------------------------------------------------------------------

func (L *State) openString() {
	fns := map[string]GoFunction{
		"len":     strLen,
		"sub":     strSub,
		"upper":   strUpper,
		"lower":   strLower,
		"rep":     strRep,
		"reverse": strReverse,
		"byte":    strByte,
		"char":    strChar,
		"format":  strFormat,
	}
	L.addPatternFuncs(fns)
	t := L.libTable("string", fns, []string{"dump"})
	mv, mt := L.newTableValue(0, 1)
	_ = L.tset(mt, L.tmName[tmIndex], L.GetGlobal("string"))
	L.strMeta = mv
	_ = t
}

// posrelat converts a relative string position (negative counts from the end).
func posrelat(pos, n int) int {
	if pos < 0 {
		pos += n + 1
	}
	if pos < 0 {
		return 0
	}
	return pos
}

func strLen(L *State) (int, error) {
	L.PushNumber(float64(len(L.CheckString(1))))
	return 1, nil
}

func strSub(L *State) (int, error) {
	s := L.CheckString(1)
	L.PushString(subString(s, L.CheckInt(2), L.OptInt(3, -1)))
	return 1, nil
}

// subString is string.sub(s, i, j) of integer positions; traces call it
// too (jit_helpers.go).
func subString(s string, i, j int) string {
	n := len(s)
	i = posrelat(i, n)
	j = posrelat(j, n)
	if i < 1 {
		i = 1
	}
	if j > n {
		j = n
	}
	if i <= j {
		return s[i-1 : j]
	}
	return ""
}

func strUpper(L *State) (int, error) {
	s := L.CheckString(1)
	b := L.buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 32
		}
		b = append(b, c)
	}
	L.buf = b
	L.Push(L.stringBytes(b))
	return 1, nil
}

func strLower(L *State) (int, error) {
	s := L.CheckString(1)
	b := L.buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 32
		}
		b = append(b, c)
	}
	L.buf = b
	L.Push(L.stringBytes(b))
	return 1, nil
}

func strRep(L *State) (int, error) {
	s := L.CheckString(1)
	n := L.CheckInt(2)
	if n <= 0 || len(s) == 0 {
		L.PushString("")
		return 1, nil
	}
	if n > maxStringLen/len(s) {
		return 0, lstr.Error("not enough memory")
	}
	if ml := L.opts.MemoryLimit; ml > 0 && int64(n*len(s)) > ml {
		return 0, lstr.Error("memory limit exceeded")
	}
	b := L.buf[:0]
	for i := 0; i < n; i++ {
		b = append(b, s...)
	}
	L.buf = b
	L.Push(L.stringBytes(b))
	return 1, nil
}

func strReverse(L *State) (int, error) {
	s := L.CheckString(1)
	b := L.buf[:0]
	for i := len(s) - 1; i >= 0; i-- {
		b = append(b, s[i])
	}
	L.buf = b
	L.Push(L.stringBytes(b))
	return 1, nil
}

func strByte(L *State) (int, error) {
	s := L.CheckString(1)
	n := len(s)
	i := posrelat(L.OptInt(2, 1), n)
	j := posrelat(L.OptInt(3, i), n)
	if i < 1 {
		i = 1
	}
	if j > n {
		j = n
	}
	if i > j {
		return 0, nil
	}
	cnt := j - i + 1
	L.ensureStack(L.top + cnt + minStack)
	for k := i; k <= j; k++ {
		L.Push(nv(float64(s[k-1])))
	}
	return cnt, nil
}

func strChar(L *State) (int, error) {
	b := L.buf[:0]
	for i := 1; i <= L.nargs; i++ {
		c := L.CheckInt(i)
		if c < 0 || c > 255 {
			L.ArgError(i, "invalid value")
		}
		b = append(b, byte(c))
	}
	L.buf = b
	L.Push(L.stringBytes(b))
	return 1, nil
}

// fmtArgs gives lstr.Format the arguments after the format string.
type fmtArgs struct {
	L    *State
	base int // stack index of argument #2
	n    int
}

func (a *fmtArgs) Len() int { return a.n }
func (a *fmtArgs) Number(i int) (float64, bool) {
	return a.L.toNumber(a.L.stack[a.base+i])
}
func (a *fmtArgs) String(i int) (string, bool) {
	return a.L.ToString(a.L.stack[a.base+i])
}
func (a *fmtArgs) TypeName(i int) string { return a.L.stack[a.base+i].TypeName() }

func strFormat(L *State) (int, error) {
	f := L.CheckString(1)
	args := fmtArgs{L: L, base: L.base + 1, n: L.nargs - 1}
	if args.n < 0 {
		args.n = 0
	}
	b, err := lstr.Format(L.buf[:0], f, &args)
	L.buf = b
	if err != nil {
		return 0, err
	}
	L.Push(L.stringBytes(b))
	return 1, nil
}
