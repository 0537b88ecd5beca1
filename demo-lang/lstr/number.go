package lstr

import (
	"math"
	"strconv"
)

// -- Number to string (tostring, print, the .. operator) --

// AppendNumber appends f formatted as Lua 5.1's tostring does, that is C's
// printf("%.14g"), to dst and returns the extended slice. Integral values
// with fewer than 15 digits take a fast path that performs no allocation
// beyond growing dst; every other value is formatted with C's %g rules
// (see appendG). NaN prints as "nan" or "-nan" according to its sign bit,
// as glibc does.
func AppendNumber(dst []byte, f float64) []byte {
	if f > -1e14 && f < 1e14 {
		i := int64(f)
		if float64(i) == f {
			if i == 0 && math.Signbit(f) {
				return append(dst, '-', '0')
			}
			return strconv.AppendInt(dst, i, 10)
		}
	}
	return appendG(dst, f, 14, false, false)
}

// FormatNumber returns AppendNumber(nil, f) as a string. Small integers are
// served from a table, so the common case does not allocate.
func FormatNumber(f float64) string {
	if f >= 0 && f < float64(len(smallInts)) {
		if i := int(f); float64(i) == f && !(i == 0 && math.Signbit(f)) {
			return smallInts[i]
		}
	}
	var buf [32]byte
	return string(AppendNumber(buf[:0], f))
}

// smallInts holds the decimal text of 0..255 so FormatNumber needs no
// allocation for the numbers programs print most often.
var smallInts = func() (t [256]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return
}()

// -- String to number (tonumber, arithmetic coercion, lua_str2number) --

// isSpace reports whether c is a C-locale isspace character.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// cstr cuts s at its first NUL byte: Lua 5.1 hands strings to strtod and
// strtoul as C strings, so "5\x00junk" converts to 5.
func cstr(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

// ParseNumber converts s as Lua 5.1's luaO_str2d does (tonumber(s),
// "10" + 1, numeric for-loop limits): optional surrounding whitespace
// around what glibc's strtod accepts, which is decimal numbers with an
// optional exponent, hexadecimal numbers ("0x1A", "0x1.8p3", "-0x10"),
// and "inf", "infinity" and "nan" in any case. ok is false when s holds
// anything else ("", "1e", "0x", "1 2"). Out-of-range values become ±Inf
// or zero, as strtod's results do. It never allocates for decimal input.
func ParseNumber(s string) (f float64, ok bool) {
	s = cstr(s)
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	// Fast path: a plain decimal integer of at most 15 digits is exact.
	j, n := i, int64(0)
	for j < len(s) && j-i < 15 && s[j] >= '0' && s[j] <= '9' {
		n = n*10 + int64(s[j]-'0')
		j++
	}
	if j > i && (j == len(s) || isSpace(s[j])) {
		if trailingSpace(s, j) {
			return float64(n), true
		}
		return 0, false
	}
	f, end := strtod(s, i)
	if end == i {
		return 0, false
	}
	if !trailingSpace(s, end) {
		return 0, false
	}
	return f, true
}

// trailingSpace reports whether s[i:] is all whitespace.
func trailingSpace(s string, i int) bool {
	for ; i < len(s); i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}

// strtod parses the longest prefix of s[i:] that C's strtod accepts and
// returns its value and the end of the prefix (i when nothing was parsed).
// Leading whitespace must already be skipped.
func strtod(s string, i int) (float64, int) {
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	// inf, infinity, nan, nan(chars)
	if i < len(s) && (s[i]|0x20 == 'i' || s[i]|0x20 == 'n') {
		if hasFoldPrefix(s[i:], "infinity") {
			return signed(math.Inf(1), neg), i + 8
		}
		if hasFoldPrefix(s[i:], "inf") {
			return signed(math.Inf(1), neg), i + 3
		}
		if hasFoldPrefix(s[i:], "nan") {
			end := i + 3
			if end < len(s) && s[end] == '(' {
				k := end + 1
				for k < len(s) && (isAlnum(s[k]) || s[k] == '_') {
					k++
				}
				if k < len(s) && s[k] == ')' {
					end = k + 1
				}
			}
			bits := uint64(0x7ff8000000000000)
			if neg {
				bits |= 1 << 63
			}
			return math.Float64frombits(bits), end
		}
		return 0, start
	}
	// Hexadecimal: 0x, mantissa with optional point, optional p exponent.
	if i+1 < len(s) && s[i] == '0' && s[i+1]|0x20 == 'x' {
		k := i + 2
		digits := 0
		for k < len(s) && hexVal(s[k]) < 16 {
			k++
			digits++
		}
		if k < len(s) && s[k] == '.' {
			k++
			for k < len(s) && hexVal(s[k]) < 16 {
				k++
				digits++
			}
		}
		if digits > 0 {
			mant := s[i+2 : k]
			exp := "p0"
			if k < len(s) && s[k]|0x20 == 'p' {
				e := k + 1
				if e < len(s) && (s[e] == '+' || s[e] == '-') {
					e++
				}
				d := e
				for d < len(s) && s[d] >= '0' && s[d] <= '9' {
					d++
				}
				if d > e {
					exp = s[k:d]
					k = d
				}
			}
			v, err := strconv.ParseFloat("0x"+mant+exp, 64)
			if err != nil && !isRange(err) {
				return 0, start
			}
			return signed(v, neg), k
		}
		// "0x" without digits: strtod reads just the "0".
		return signed(0, neg), i + 1
	}
	// Decimal.
	k := i
	digits := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
		digits++
	}
	if k < len(s) && s[k] == '.' {
		k++
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
			digits++
		}
	}
	if digits == 0 {
		return 0, start
	}
	if k < len(s) && s[k]|0x20 == 'e' {
		e := k + 1
		if e < len(s) && (s[e] == '+' || s[e] == '-') {
			e++
		}
		d := e
		for d < len(s) && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		if d > e {
			k = d
		}
	}
	v, err := strconv.ParseFloat(s[i:k], 64)
	if err != nil && !isRange(err) {
		return 0, start
	}
	return signed(v, neg), k
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func signed(v float64, neg bool) float64 {
	if neg {
		return -v
	}
	return v
}

func hasFoldPrefix(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if s[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// hexVal returns the value of c as a base-36 digit, or 99.
func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'z':
		v := c - 'a' + 10
		if v < 16 {
			return v
		}
	case c >= 'A' && c <= 'Z':
		v := c - 'A' + 10
		if v < 16 {
			return v
		}
	}
	return 99
}

// digitVal returns the value of c as a base-36 digit, or 99.
func digitVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 10
	case c >= 'A' && c <= 'Z':
		return c - 'A' + 10
	}
	return 99
}

// ParseNumberBase converts s as Lua 5.1's tonumber(s, base) does. Base 10
// means the ordinary conversion (ParseNumber, so even "0x10" and "1e2"
// are accepted). Other bases use C's strtoul: optional whitespace and sign,
// an optional "0x" prefix in base 16, digits 0-9 and letters a-z of either
// case below base, optional trailing whitespace. As with strtoul on a
// 64-bit machine, overflow gives 2^64-1 and a minus sign negates modulo
// 2^64 (tonumber("-ff", 16) is 18446744073709551361). A base outside
// 2..36 yields ErrBaseRange, which tonumber reports as
// argument #2.
func ParseNumberBase(s string, base int) (f float64, ok bool, err error) {
	if base < 2 || base > 36 {
		return 0, false, ErrBaseRange
	}
	if base == 10 {
		f, ok = ParseNumber(s)
		return f, ok, nil
	}
	s = cstr(s)
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if base == 16 && i+2 < len(s) && s[i] == '0' && s[i+1]|0x20 == 'x' && digitVal(s[i+2]) < 16 {
		i += 2
	}
	start := i
	var n uint64
	over := false
	b := uint64(base)
	for i < len(s) {
		d := digitVal(s[i])
		if d >= byte(base) {
			break
		}
		if n > (math.MaxUint64-uint64(d))/b {
			over = true
		} else {
			n = n*b + uint64(d)
		}
		i++
	}
	if i == start || !trailingSpace(s, i) {
		return 0, false, nil
	}
	switch {
	case over:
		n = math.MaxUint64
	case neg:
		n = -n
	}
	return float64(n), true, nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
