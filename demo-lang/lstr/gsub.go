package lstr

// -- string.gmatch and string.gsub --

// Gmatch is the state of one string.gmatch iterator; the VM keeps it in
// the iterator closure. As in Lua 5.1, a leading '^' is not an anchor here
// but matches a literal '^'.
type Gmatch struct {
	Src string // the subject
	Pat string // the pattern
	Pos int    // where the next search starts (byte offset)
}

// Next finds the next match of g.Pat in g.Src from g.Pos. On success the
// Matcher holds the match (its values are m.Results(true) captures) and
// g.Pos moves past it, one byte further for an empty match.
func (g *Gmatch) Next(m *Matcher) (bool, error) {
	m.src = g.Src
	m.pat = cstr(g.Pat)
	m.err = nil
	first := m.firstItem()
	for s := g.Pos; s <= len(g.Src); s++ {
		if first.kind != firstAny {
			if s = first.skip(m, s); s < 0 {
				break
			}
		}
		m.level = 0
		m.depth = 0
		e := m.match(s, 0)
		if m.err != nil {
			return false, m.err
		}
		if e >= 0 {
			g.Pos = e
			if e == s {
				g.Pos++
			}
			m.start, m.end = s, e
			return true, nil
		}
	}
	g.Pos = len(g.Src) + 1
	return false, nil
}

// Replacer supplies gsub's replacement when it is a function or a table.
// Replace is called after each match (m.Start, m.End, m.Results and
// m.Capture describe it). It returns the replacement text and true, or
// false to keep the matched text (the function or table gave nil or
// false). A value that is neither string, number, nil nor false is the
// error InvalidReplacement(typeName).
type Replacer interface {
	Replace(m *Matcher) (repl string, ok bool, err error)
}

// Gsub appends string.gsub(s, p, repl, maxN) to dst and returns it with the
// number of matches replaced. With r nil the replacement is the string
// repl, in which %0 is the whole match, %1-%9 the captures (a position
// capture gives its number), %% a '%' and % before any other byte that
// byte; otherwise r supplies each replacement. maxN limits the number of
// replacements: pass len(s)+1 or more when the program gave no limit.
func (m *Matcher) Gsub(dst []byte, s, p, repl string, r Replacer, maxN int) ([]byte, int, error) {
	p = cstr(p)
	anchor := len(p) > 0 && p[0] == '^'
	if anchor {
		p = p[1:]
	}
	m.src, m.pat, m.err = s, p, nil
	first := m.firstItem()
	n := 0
	src := 0
	for n < maxN {
		if first.kind != firstAny && !anchor {
			// Copy the bytes that cannot start a match in one go.
			k := first.skip(m, src)
			if k < 0 {
				k = len(s)
			}
			dst = append(dst, s[src:k]...)
			src = k
		}
		m.level = 0
		m.depth = 0
		e := m.match(src, 0)
		if m.err != nil {
			return dst, n, m.err
		}
		if e >= 0 {
			n++
			m.start, m.end = src, e
			var err error
			if dst, err = m.addValue(dst, repl, r); err != nil {
				return dst, n, err
			}
		}
		switch {
		case e > src:
			src = e
		case src < len(s):
			dst = append(dst, s[src])
			src++
		default:
			return dst, n, nil
		}
		if anchor {
			break
		}
	}
	return append(dst, s[src:]...), n, nil
}

// addValue appends the replacement for the current match.
func (m *Matcher) addValue(dst []byte, repl string, r Replacer) ([]byte, error) {
	if r != nil {
		// The replacer may run Lua code that uses this Matcher again
		// (string functions called from the callback), so keep our state.
		save := *m
		v, ok, err := r.Replace(m)
		*m = save
		if err != nil {
			return dst, err
		}
		if !ok {
			return append(dst, m.src[m.start:m.end]...), nil
		}
		return append(dst, v...), nil
	}
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '%' {
			dst = append(dst, c)
			continue
		}
		i++
		var d byte // a '%' at the very end reads the C string's NUL
		if i < len(repl) {
			d = repl[i]
		}
		switch {
		case d < '0' || d > '9':
			dst = append(dst, d)
		case d == '0':
			dst = append(dst, m.src[m.start:m.end]...)
		default:
			cs, pos, err := m.Capture(int(d - '1'))
			if err != nil {
				return dst, err
			}
			if pos > 0 {
				dst = AppendNumber(dst, float64(pos))
			} else {
				dst = append(dst, cs...)
			}
		}
	}
	return dst, nil
}
