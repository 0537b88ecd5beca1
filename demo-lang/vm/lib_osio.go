package vm

import (
	"io"
	"strconv"
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

// readNumber reads a number as fscanf("%lf") does: skip whitespace, take
// the longest prefix that looks like a number.
func (L *State) readNumber() int {
	for {
		c, err := L.in.ReadByte()
		if err != nil {
			L.Push(Nil)
			return 1
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			_ = L.in.UnreadByte()
			break
		}
	}
	var b []byte
	for {
		c, err := L.in.ReadByte()
		if err != nil {
			break
		}
		if (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == 'x' || c == 'X' ||
			(c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
			((c == '-' || c == '+') && (len(b) == 0 || b[len(b)-1] == 'e' || b[len(b)-1] == 'E')) {
			b = append(b, c)
			continue
		}
		_ = L.in.UnreadByte()
		break
	}
	if f, ok := lstr.ParseNumber(string(b)); ok {
		L.Push(Number(f))
	} else if f, err := strconv.ParseFloat(string(b), 64); err == nil {
		L.Push(Number(f))
	} else {
		L.Push(Nil)
	}
	return 1
}
