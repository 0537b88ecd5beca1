package vm

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- os and io: only clock, time, write and read --------------------------------------

func (L *State) openOSIO() {
	L.libTable("os", map[string]GoFunction{
		"clock": osClock,
		"time":  osTime,
	}, []string{"date", "difftime", "execute", "exit", "getenv", "remove", "rename", "setlocale", "tmpname"})
	L.libTable("io", map[string]GoFunction{
		"write": ioWrite,
		"read":  ioRead,
	}, []string{"open", "close", "lines", "popen", "input", "output", "tmpfile", "type", "flush"})
}

func osClock(L *State) (int, error) {
	L.PushNumber(time.Since(L.clock0).Seconds())
	return 1, nil
}

func osTime(L *State) (int, error) {
	if L.Arg(1) == Nil {
		L.PushNumber(float64(time.Now().Unix()))
		return 1, nil
	}
	t := L.CheckTable(1)
	field := func(name string, def int) (int, error) {
		v := t.get(L.String(name))
		if f, ok := L.toNumber(v); ok && v != Nil {
			return toInt(f), nil
		}
		if def < 0 {
			return 0, lstr.Error("field '" + name + "' missing in date table")
		}
		return def, nil
	}
	var vals [6]int
	for i, f := range []struct {
		n string
		d int
	}{{"year", -1}, {"month", -1}, {"day", -1}, {"hour", 12}, {"min", 0}, {"sec", 0}} {
		v, err := field(f.n, f.d)
		if err != nil {
			return 0, err
		}
		vals[i] = v
	}
	tm := time.Date(vals[0], time.Month(vals[1]), vals[2], vals[3], vals[4], vals[5], 0, time.Local)
	L.PushNumber(float64(tm.Unix()))
	return 1, nil
}

func ioWrite(L *State) (int, error) {
	for i := 1; i <= L.nargs; i++ {
		v := L.Arg(i)
		switch {
		case v < numLimit:
			L.buf = lstr.AppendNumber(L.buf[:0], v.Float())
			L.out.Write(L.buf)
		case v.tag() == tagStr:
			L.out.WriteString(L.str(v))
		default:
			L.typeArgError(i, "string")
		}
	}
	return 0, nil
}

func ioRead(L *State) (int, error) {
	L.out.Flush()
	n := L.nargs
	if n == 0 {
		return L.readLine(), nil
	}
	for i := 1; i <= n; i++ {
		v := L.Arg(i)
		var got int
		if v < numLimit {
			got = L.readN(toInt(v.Float()))
		} else {
			f := L.CheckString(i)
			if len(f) < 2 || f[0] != '*' {
				L.ArgError(i, "invalid format")
			}
			switch f[1] {
			case 'n':
				got = L.readNumber()
			case 'l':
				got = L.readLine()
			case 'a':
				b, _ := io.ReadAll(L.in)
				L.Push(L.stringBytes(b))
				got = 1
			default:
				L.ArgError(i, "invalid format")
			}
		}
		if got == 0 || L.stack[L.top-1] == Nil {
			return i, nil
		}
	}
	return n, nil
}

func (L *State) readLine() int {
	line, err := L.in.ReadString('\n')
	if err != nil && line == "" {
		L.Push(Nil)
		return 1
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	L.PushString(line)
	return 1
}

func (L *State) readN(n int) int {
	if n <= 0 {
		if _, err := L.in.Peek(1); err != nil {
			L.Push(Nil)
		} else {
			L.PushString("")
		}
		return 1
	}
	b := make([]byte, 0, 64)
	for len(b) < n {
		c, err := L.in.ReadByte()
		if err != nil {
			break
		}
		b = append(b, c)
	}
	if len(b) == 0 {
		L.Push(Nil)
	} else {
		L.Push(L.stringBytes(b))
	}
	return 1
}

// readNumber reads a number as glibc's fscanf("%lf") does, which is what
// Lua 5.1's io.read("*n") calls: skip white space, then consume the longest
// prefix that can still begin a number (sign, decimal or 0x digits, one
// point, an exponent with its sign, or inf, infinity, nan), giving back
// only the one character that broke the prefix, as a FILE's single ungetc
// does. So a failed read on "abc" consumes nothing and the next "*l" still
// sees "abc", while "1e+x" loses its "1e+". The prefix converts if it is a
// whole number; otherwise the read fails with nil.
func (L *State) readNumber() int {
	for {
		c, err := L.in.ReadByte()
		if err != nil {
			L.Push(Nil)
			return 1
		}
		if !isCSpace(c) {
			_ = L.in.UnreadByte()
			break
		}
	}
	b := scanNumberPrefix(L.in)
	if f, ok := convertScanned(b); ok {
		L.Push(Number(f))
	} else {
		L.Push(Nil)
	}
	return 1
}

// isCSpace reports whether c is white space for C's isspace.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// scanNumberPrefix consumes from r the longest prefix that can begin a
// number for scanf's %lf and returns it; the first byte that cannot
// extend it is left unread.
func scanNumberPrefix(r *bufio.Reader) []byte {
	var b []byte
	next := func() (byte, bool) {
		c, err := r.ReadByte()
		return c, err == nil
	}
	// take consumes the next byte if ok(c) says it extends the prefix.
	take := func(ok func(byte) bool) bool {
		c, more := next()
		if !more {
			return false
		}
		if !ok(c) {
			_ = r.UnreadByte()
			return false
		}
		b = append(b, c)
		return true
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	isHex := func(c byte) bool {
		return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
	}
	take(func(c byte) bool { return c == '+' || c == '-' })
	// A word: inf, infinity or nan, case-insensitively.
	c, more := next()
	if !more {
		return b
	}
	_ = r.UnreadByte()
	if l := c | 0x20; l == 'i' || l == 'n' {
		word := "infinity"
		if l == 'n' {
			word = "nan"
		}
		for i := 0; i < len(word); i++ {
			w := word[i]
			if !take(func(c byte) bool { return c|0x20 == w }) {
				break
			}
		}
		return b
	}
	digit, expChar := isDigit, byte('e')
	digits := 0
	if take(func(c byte) bool { return c == '0' }) {
		digits++
		if take(func(c byte) bool { return c|0x20 == 'x' }) {
			digit, expChar, digits = isHex, 'p', 0
		}
	}
	for take(digit) {
		digits++
	}
	if take(func(c byte) bool { return c == '.' }) {
		for take(digit) {
			digits++
		}
	}
	if digits == 0 {
		return b
	}
	if take(func(c byte) bool { return c|0x20 == expChar }) {
		take(func(c byte) bool { return c == '+' || c == '-' })
		for take(isDigit) {
		}
	}
	return b
}

// convertScanned converts a prefix scanNumberPrefix read, as glibc's scanf
// does: an exponent with no digits is dropped ("1e+" reads as 1, its
// "e+" consumed), and a prefix with no number in it ("", "-", "-.", "0x",
// "in") fails.
func convertScanned(b []byte) (float64, bool) {
	s := string(b)
	expChar := byte('e')
	if strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "0x") {
		expChar = 'p'
	}
	if t := strings.TrimRight(s, "+-"); t != "" && t[len(t)-1]|0x20 == expChar {
		s = t[:len(t)-1]
	}
	if s == "" {
		return 0, false
	}
	if f, ok := lstr.ParseNumber(s); ok {
		return f, true
	}
	body := strings.TrimLeft(s, "+-")
	lower := strings.ToLower(body)
	switch {
	case lower == "inf" || lower == "infinity" || lower == "nan":
	case strings.HasPrefix(lower, "0x"):
		if len(lower) == 2 || lower[len(lower)-1] == 'p' || lower[len(lower)-1] == '+' || lower[len(lower)-1] == '-' {
			return 0, false
		}
		if !strings.Contains(lower, "p") {
			s += "p0"
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // strtod gives +-HUGE_VAL or 0, as ParseFloat does
		}
		return 0, false
	}
	return f, true
}
