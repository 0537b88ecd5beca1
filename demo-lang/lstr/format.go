package lstr

// -- string.format --

// Args gives Format access to the values after the format string without
// knowing how the VM represents them. Index i counts from 0 (the value
// right after the format string, Lua's argument #2).
type Args interface {
	// Len returns how many values follow the format string.
	Len() int
	// Number returns value i as a number: a number, or a string that
	// converts (ParseNumber). ok is false for anything else.
	Number(i int) (f float64, ok bool)
	// String returns value i as a string: a string, or a number converted
	// with AppendNumber. ok is false for anything else (no __tostring).
	String(i int) (s string, ok bool)
	// TypeName returns the Lua type name of value i ("table", "nil"...).
	TypeName(i int) string
}

// fmtFlags is Lua 5.1's L_FMTFLAGS; a run of flags as long as this string
// is "repeated flags".
const fmtFlags = "-+ #0"

// Format appends string.format(format, args...) to dst as Lua 5.1 does on
// glibc, and returns the extended slice. Conversions follow C's printf:
// %d %i take the argument truncated to a 64-bit integer, %u %o %x %X the
// same cast to unsigned, %c its low byte, %e %E %f %g %G the double; %q
// writes a string in a form Lua can read back; %s a string, cut at an
// embedded NUL as C's sprintf cuts it unless it is 100 bytes or longer
// and no precision is given. Width and precision take at most two digits.
// Errors are Lua 5.1's: ArgError for a missing or mistyped argument,
// Error for a malformed format.
func Format(dst []byte, format string, args Args) ([]byte, error) {
	arg := 0
	n := args.Len()
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			// Copy the run of plain text in one go.
			j := i + 1
			for j < len(format) && format[j] != '%' {
				j++
			}
			dst = append(dst, format[i:j]...)
			i = j
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			dst = append(dst, '%')
			i++
			continue
		}
		if arg >= n {
			return dst, &ArgError{Arg: arg + 2, Func: "format", Msg: "no value"}
		}
		var sp spec
		var err error
		i, err = scanSpec(format, i, &sp)
		if err != nil {
			return dst, err
		}
		p0 := len(dst)
		switch sp.verb {
		case 'c':
			f, ok := args.Number(arg)
			if !ok {
				return dst, TypeError(arg+2, "format", "number", args.TypeName(arg))
			}
			dst = append(dst, byte(toInt32(f)))
			dst = pad(dst, p0, 0, &sp, false)
		case 'd', 'i':
			f, ok := args.Number(arg)
			if !ok {
				return dst, TypeError(arg+2, "format", "number", args.TypeName(arg))
			}
			dst = appendInt(dst, toInt64(f), &sp)
		case 'o', 'u', 'x', 'X':
			f, ok := args.Number(arg)
			if !ok {
				return dst, TypeError(arg+2, "format", "number", args.TypeName(arg))
			}
			dst = appendUint(dst, toUint64(f), &sp)
		case 'e', 'E', 'f', 'g', 'G':
			f, ok := args.Number(arg)
			if !ok {
				return dst, TypeError(arg+2, "format", "number", args.TypeName(arg))
			}
			dst = appendFloat(dst, f, &sp)
		case 'q':
			s, ok := args.String(arg)
			if !ok {
				return dst, TypeError(arg+2, "format", "string", args.TypeName(arg))
			}
			dst = AppendQuoted(dst, s)
			arg++
			continue
		case 's':
			s, ok := args.String(arg)
			if !ok {
				return dst, TypeError(arg+2, "format", "string", args.TypeName(arg))
			}
			if sp.prec < 0 && len(s) >= 100 {
				dst = append(dst, s...)
				arg++
				continue
			}
			s = cstr(s)
			if sp.prec >= 0 && len(s) > sp.prec {
				s = s[:sp.prec]
			}
			dst = append(dst, s...)
			dst = pad(dst, p0, 0, &sp, false)
		default:
			// An unknown conversion letter. At a lone trailing '%' C reads
			// the string's NUL terminator, and lua_pushfstring's %c of NUL
			// adds nothing.
			if sp.verb == 0 {
				return dst, Error("invalid option '%' to 'format'")
			}
			return dst, Error("invalid option '%" + string([]byte{sp.verb}) + "' to 'format'")
		}
		// C's luaL_addlstring(buff, strlen(buff)): an item stops at NUL.
		for k := p0; k < len(dst); k++ {
			if dst[k] == 0 {
				dst = dst[:k]
				break
			}
		}
		arg++
	}
	return dst, nil
}

// scanSpec parses flags, width and precision starting at format[i] (just
// after the '%') into sp, with Lua 5.1's limits, and returns the index
// after the conversion letter.
func scanSpec(format string, i int, sp *spec) (int, error) {
	at := func(k int) byte {
		if k < len(format) {
			return format[k]
		}
		return 0
	}
	start := i
	for {
		c := at(i)
		switch c {
		case '-':
			sp.minus = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		case '#':
			sp.hash = true
		case '0':
			sp.zero = true
		default:
			goto flagsDone
		}
		i++
	}
flagsDone:
	if i-start >= len(fmtFlags)+1 {
		return i, ErrRepeatedFlags
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for k := 0; k < 2 && isDigit(at(i)); k++ {
		sp.width = sp.width*10 + int(at(i)-'0')
		i++
	}
	sp.prec = -1
	if at(i) == '.' {
		i++
		sp.prec = 0
		for k := 0; k < 2 && isDigit(at(i)); k++ {
			sp.prec = sp.prec*10 + int(at(i)-'0')
			i++
		}
	}
	if isDigit(at(i)) {
		return i, ErrFormatTooLong
	}
	sp.verb = at(i)
	return i + 1, nil
}

// AppendQuoted appends s in string.format's %q form: between double
// quotes, with '"', '\\' and newline escaped by a backslash (the newline
// stays a real newline), carriage return as \r and NUL as \000.
func AppendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			dst = append(dst, '\\', c)
		case '\r':
			dst = append(dst, '\\', 'r')
		case 0:
			dst = append(dst, '\\', '0', '0', '0')
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
