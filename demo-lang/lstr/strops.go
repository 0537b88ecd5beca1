package lstr

// -- The simple string functions --

// SubRange converts string.sub's (or string.byte's) i and j for a string
// of length n into a byte range [start, end) as Lua 5.1 does: negative
// positions count from the end, i below 1 becomes 1, j beyond n becomes n,
// and an empty range gives start == end.
func SubRange(n, i, j int) (start, end int) {
	i = posrelat(i, n)
	j = posrelat(j, n)
	if i < 1 {
		i = 1
	}
	if j > n {
		j = n
	}
	if i > j {
		return 0, 0
	}
	return i - 1, j
}

// AppendUpper appends s with a-z mapped to A-Z (C's toupper in the C
// locale; other bytes unchanged).
func AppendUpper(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// AppendLower appends s with A-Z mapped to a-z.
func AppendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// AppendReverse appends the bytes of s in reverse order.
func AppendReverse(dst []byte, s string) []byte {
	for i := len(s) - 1; i >= 0; i-- {
		dst = append(dst, s[i])
	}
	return dst
}

// AppendRep appends n copies of s (nothing when n <= 0), as string.rep.
// The caller should bound len(s)*n before calling.
func AppendRep(dst []byte, s string, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, s...)
	}
	return dst
}
