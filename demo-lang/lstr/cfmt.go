package lstr

import (
	"math"
	"strconv"
)

// -- C printf conversions --
//
// Go's strconv rounds correctly (to nearest, ties to even, from the exact
// binary value), exactly as glibc's printf does, so the digits come from
// strconv and this file only lays them out the way C does: %g's choice
// between %e and %f style and its trailing-zero removal, the '#' forms
// ("1.e+00", "0x" prefixes), sign flags, zero padding and widths.

// spec is one parsed conversion specification: %[flags][width][.prec]verb.
type spec struct {
	minus, plus, space, hash, zero bool
	width                          int
	prec                           int // -1 when absent
	verb                           byte
}

// pad widens the item dst[p0:] to sp.width. prefix is the number of bytes
// (sign, "0x") that zero padding goes after; zeroOK says whether the '0'
// flag applies to this item.
func pad(dst []byte, p0, prefix int, sp *spec, zeroOK bool) []byte {
	n := len(dst) - p0
	if n >= sp.width {
		return dst
	}
	k := sp.width - n
	if sp.minus {
		for ; k > 0; k-- {
			dst = append(dst, ' ')
		}
		return dst
	}
	at, c := p0, byte(' ')
	if sp.zero && zeroOK {
		at, c = p0+prefix, '0'
	}
	old := len(dst)
	for i := 0; i < k; i++ {
		dst = append(dst, 0)
	}
	copy(dst[at+k:], dst[at:old])
	for i := at; i < at+k; i++ {
		dst[i] = c
	}
	return dst
}

// appendSign appends the sign character C would print and reports how many
// bytes it wrote.
func appendSign(dst []byte, neg bool, sp *spec) ([]byte, int) {
	switch {
	case neg:
		return append(dst, '-'), 1
	case sp.plus:
		return append(dst, '+'), 1
	case sp.space:
		return append(dst, ' '), 1
	}
	return dst, 0
}

// appendFloat formats f under one of the verbs e E f g G.
func appendFloat(dst []byte, f float64, sp *spec) []byte {
	p0 := len(dst)
	dst, ns := appendSign(dst, math.Signbit(f), sp)
	upper := sp.verb == 'E' || sp.verb == 'G'
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if upper {
			s = "INF"
			if math.IsNaN(f) {
				s = "NAN"
			}
		}
		dst = append(dst, s...)
		return pad(dst, p0, ns, sp, false)
	}
	prec := sp.prec
	if prec < 0 {
		prec = 6
	}
	a := math.Abs(f)
	switch sp.verb {
	case 'e', 'E':
		dst = appendE(dst, a, prec, sp.hash, upper)
	case 'f':
		dst = strconv.AppendFloat(dst, a, 'f', prec, 64)
		if sp.hash && prec == 0 {
			dst = append(dst, '.')
		}
	default:
		dst = appendGBody(dst, a, prec, sp.hash, upper)
	}
	return pad(dst, p0, ns, sp, true)
}

// appendE appends a >= 0 in C's %.{prec}e form.
func appendE(dst []byte, a float64, prec int, hash, upper bool) []byte {
	p := len(dst)
	dst = strconv.AppendFloat(dst, a, 'e', prec, 64)
	if hash && prec == 0 {
		// "1e+00" -> "1.e+00"
		dst = append(dst, 0)
		copy(dst[p+2:], dst[p+1:])
		dst[p+1] = '.'
	}
	if upper {
		for i := p; i < len(dst); i++ {
			if dst[i] == 'e' {
				dst[i] = 'E'
			}
		}
	}
	return dst
}

// appendG appends f in C's %.{prec}g form with its sign and no padding;
// AppendNumber uses it with prec 14.
func appendG(dst []byte, f float64, prec int, hash, upper bool) []byte {
	if math.IsNaN(f) {
		if math.Signbit(f) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	}
	if math.Signbit(f) {
		dst = append(dst, '-')
		f = -f
	}
	if math.IsInf(f, 0) {
		return append(dst, "inf"...)
	}
	return appendGBody(dst, f, prec, hash, upper)
}

// appendGBody appends a >= 0 (finite) in C's %g form: P significant digits
// (P = prec, or 1 when prec is 0); exponent style when the decimal
// exponent X of the rounded value is below -4 or at least P, fixed style
// with P-1-X decimals otherwise; then, unless '#', trailing zeros and a
// bare decimal point are removed.
func appendGBody(dst []byte, a float64, prec int, hash, upper bool) []byte {
	P := prec
	if P == 0 {
		P = 1
	}
	var tmp [40]byte
	var e []byte
	if P <= 17 {
		e = strconv.AppendFloat(tmp[:0], a, 'e', P-1, 64)
	} else {
		e = strconv.AppendFloat(nil, a, 'e', P-1, 64)
	}
	// e is "d[.ddd]e±XX".
	ei := len(e) - 1
	for e[ei] != 'e' {
		ei--
	}
	X := 0
	for _, c := range e[ei+2:] {
		X = X*10 + int(c-'0')
	}
	if e[ei+1] == '-' {
		X = -X
	}
	mant := e[:ei]
	if X < -4 || X >= P {
		p := len(dst)
		if !hash {
			mant = trimZeros(mant)
		}
		dst = append(dst, mant...)
		if hash && P == 1 {
			dst = append(dst, '.')
		}
		dst = append(dst, e[ei:]...)
		if upper {
			for i := p; i < len(dst); i++ {
				if dst[i] == 'e' {
					dst[i] = 'E'
				}
			}
		}
		return dst
	}
	// Fixed style from the P digits of the mantissa.
	var dbuf [40]byte
	digits := dbuf[:0]
	if P > len(dbuf) {
		digits = make([]byte, 0, P)
	}
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	var intPart, frac []byte
	var lead int // zeros after the point before the digits
	if X >= 0 {
		intPart, frac = digits[:X+1], digits[X+1:]
	} else {
		intPart, lead, frac = nil, -X-1, digits
	}
	if !hash {
		frac = trimTrailingZeros(frac)
		if len(frac) == 0 {
			lead = 0
		}
	}
	if intPart == nil {
		dst = append(dst, '0')
	} else {
		dst = append(dst, intPart...)
	}
	if len(frac) > 0 || hash {
		dst = append(dst, '.')
		for ; lead > 0; lead-- {
			dst = append(dst, '0')
		}
		dst = append(dst, frac...)
	}
	return dst
}

// trimZeros removes trailing zeros after a decimal point, and the point.
func trimZeros(m []byte) []byte {
	hasDot := false
	for _, c := range m {
		if c == '.' {
			hasDot = true
		}
	}
	if !hasDot {
		return m
	}
	m = trimTrailingZeros(m)
	if len(m) > 0 && m[len(m)-1] == '.' {
		m = m[:len(m)-1]
	}
	return m
}

func trimTrailingZeros(m []byte) []byte {
	for len(m) > 0 && m[len(m)-1] == '0' {
		m = m[:len(m)-1]
	}
	return m
}

// toInt64 converts like x86-64's cvttsd2si, which is what C's
// (long long)d compiles to: truncation, and INT64_MIN for NaN and for
// values out of range.
func toInt64(f float64) int64 {
	if f >= -9223372036854775808.0 && f < 9223372036854775808.0 {
		return int64(f)
	}
	return math.MinInt64
}

// toUint64 converts like gcc's x86-64 code for (unsigned long long)d:
// values at or above 2^63 are shifted down by 2^63 before the signed
// conversion and the top bit is put back; everything else (negatives, NaN)
// goes through the signed conversion. Go's own conversion is undefined
// for these inputs and differs between amd64 and arm64.
func toUint64(f float64) uint64 {
	if f >= 9223372036854775808.0 {
		return uint64(toInt64(f-9223372036854775808.0)) ^ (1 << 63)
	}
	return uint64(toInt64(f))
}

// toInt32 converts like cvttsd2si with a 32-bit destination, C's (int)d.
func toInt32(f float64) int32 {
	if f > -2147483649.0 && f < 2147483648.0 {
		return int32(f)
	}
	return math.MinInt32
}

// appendInt formats a %d or %i item.
func appendInt(dst []byte, v int64, sp *spec) []byte {
	p0 := len(dst)
	mag := uint64(v)
	if v < 0 {
		mag = -mag
	}
	dst, ns := appendSign(dst, v < 0, sp)
	dst = appendDigits(dst, mag, 10, false, sp.prec)
	return pad(dst, p0, ns, sp, sp.prec < 0)
}

// appendUint formats a %u, %o, %x or %X item.
func appendUint(dst []byte, v uint64, sp *spec) []byte {
	p0 := len(dst)
	prefix := 0
	base := 10
	switch sp.verb {
	case 'o':
		base = 8
	case 'x', 'X':
		base = 16
		if sp.hash && v != 0 {
			dst = append(dst, '0', sp.verb)
			prefix = 2
		}
	}
	d0 := len(dst)
	dst = appendDigits(dst, v, base, sp.verb == 'X', sp.prec)
	if sp.verb == 'o' && sp.hash && (len(dst) == d0 || dst[d0] != '0') {
		dst = append(dst, 0)
		copy(dst[d0+1:], dst[d0:])
		dst[d0] = '0'
	}
	return pad(dst, p0, prefix, sp, sp.prec < 0)
}

// appendDigits appends v in base with at least prec digits (C's integer
// precision; prec 0 and v 0 give no digits at all).
func appendDigits(dst []byte, v uint64, base int, upper bool, prec int) []byte {
	if prec == 0 && v == 0 {
		return dst
	}
	var tmp [64]byte
	s := strconv.AppendUint(tmp[:0], v, base)
	for n := len(s); n < prec; n++ {
		dst = append(dst, '0')
	}
	if upper {
		for i, c := range s {
			if c >= 'a' {
				s[i] = c - 'a' + 'A'
			}
		}
	}
	return append(dst, s...)
}
