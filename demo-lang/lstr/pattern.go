package lstr

import "strings"

// -- Lua 5.1 patterns --
//
// A backtracking matcher that walks the pattern text directly, as Lua's
// lstrlib does: no compilation step, so a pattern costs nothing to "build"
// and a failed match allocates nothing. Recursion happens only where the
// matcher must be able to back out (captures, '?', '*', '+', '-'); the
// depth of that recursion is limited by MaxMatchDepth so a hostile pattern
// cannot exhaust the Go stack.
//
// Positions are byte offsets into the subject; -1 means "no match".

// MaxCaptures is the most captures a pattern may hold (LUA_MAXCAPTURES).
const MaxCaptures = 32

// MaxMatchDepth bounds the matcher's recursion, like Lua 5.2's MAXCCALLS.
// Lua 5.1 has no limit and overflows the C stack instead; patterns deep
// enough to reach this are far outside what programs write. Exceeding it
// is ErrTooComplex.
const MaxMatchDepth = 200

// specials are the bytes that make string.find use the pattern matcher
// rather than a plain substring search.
const specials = "^$*+?.([%-"

const (
	capUnfinished = -1
	capPosition   = -2
)

type capture struct {
	init int // start offset in the subject
	len  int // length, or capUnfinished / capPosition
}

// Matcher holds the state of one match: the subject, the pattern and the
// captures of the most recent successful match. A Matcher is reusable and
// its zero value is ready; keep one per VM (it is about 600 bytes) so no
// call allocates. It is not safe for concurrent use.
type Matcher struct {
	src   string
	pat   string
	level int
	depth int
	steps int // remaining match steps when > 0 (tests bound fuzzing)
	limit bool
	err   error
	start int
	end   int
	caps  [MaxCaptures]capture
}

// posrelat turns Lua 5.1's relative string position into an absolute one:
// negative positions count from the end, and the result is never below 0.
func posrelat(pos, n int) int {
	if pos < 0 {
		pos += n + 1
	}
	if pos < 0 {
		return 0
	}
	return pos
}

// Find runs string.find(s, p, init, plain). init is Lua's 1-based start
// (negative counts from the end; pass 1 when absent). A pattern without
// special characters, or plain, means a plain substring search. On success
// Start and End give the match and NumCaptures/Capture its captures (find
// returns only the pattern's own captures: see Results).
func (m *Matcher) Find(s, p string, init int, plain bool) (bool, error) {
	return m.search(s, p, init, plain, true)
}

// Match runs string.match(s, p, init): like Find without the plain search.
// Its results are Results(true) captures (the whole match if the pattern
// has none).
func (m *Matcher) Match(s, p string, init int) (bool, error) {
	return m.search(s, p, init, false, false)
}

func (m *Matcher) search(s, p string, init int, plain, find bool) (bool, error) {
	in := posrelat(init, len(s)) - 1
	if in < 0 {
		in = 0
	} else if in > len(s) {
		in = len(s)
	}
	m.src = s
	m.level = 0
	m.err = nil
	if find && (plain || strings.IndexAny(cstr(p), specials) < 0) {
		k := strings.Index(s[in:], p)
		if k < 0 {
			return false, nil
		}
		m.start, m.end = in+k, in+k+len(p)
		return true, nil
	}
	p = cstr(p)
	anchor := len(p) > 0 && p[0] == '^'
	if anchor {
		p = p[1:]
	}
	m.pat = p
	first := m.firstItem()
	for s1 := in; ; s1++ {
		if first.kind != firstAny {
			s1 = first.skip(m, s1)
			if s1 < 0 || (anchor && s1 != in) {
				return false, nil
			}
		}
		m.level = 0
		m.depth = 0
		e := m.match(s1, 0)
		if m.err != nil {
			return false, m.err
		}
		if e >= 0 {
			m.start, m.end = s1, e
			return true, nil
		}
		if s1 >= len(s) || anchor {
			return false, nil
		}
	}
}

// Start returns the byte offset where the last match began.
func (m *Matcher) Start() int { return m.start }

// End returns the byte offset just after the last match.
func (m *Matcher) End() int { return m.end }

// NumCaptures returns how many captures the last match recorded.
func (m *Matcher) NumCaptures() int { return m.level }

// Results returns how many values the last match yields: its captures, or,
// when it has none and whole is true (string.match, gmatch, gsub's
// function), one value for the whole match.
func (m *Matcher) Results(whole bool) int {
	if m.level == 0 && whole {
		return 1
	}
	return m.level
}

// Capture returns capture i (from 0) of the last match. A string capture
// is returned as s with pos 0; a position capture "()" as pos, the 1-based
// position Lua returns as a number. Capture 0 of a pattern without
// captures is the whole match. It fails with ErrInvalidCapture for an
// index beyond the captures and ErrUnfinishedCapture for a capture the
// pattern opened but never closed.
func (m *Matcher) Capture(i int) (s string, pos int, err error) {
	if i >= m.level || i < 0 {
		if i == 0 {
			return m.src[m.start:m.end], 0, nil
		}
		return "", 0, ErrInvalidCapture
	}
	c := m.caps[i]
	switch c.len {
	case capUnfinished:
		return "", 0, ErrUnfinishedCapture
	case capPosition:
		return "", c.init + 1, nil
	}
	return m.src[c.init : c.init+c.len], 0, nil
}

// pc returns pattern byte i, or 0 past the end (the C string terminator).
func (m *Matcher) pc(i int) byte {
	if i < len(m.pat) {
		return m.pat[i]
	}
	return 0
}

// sc returns subject byte i, or 0 at the end (the C string terminator,
// which %f and %b read).
func (m *Matcher) sc(i int) byte {
	if i < len(m.src) {
		return m.src[i]
	}
	return 0
}

// match tries to match the pattern from p against the subject from s and
// returns the end of the match or -1. On an error it sets m.err and
// returns -1; every caller checks m.err before trying an alternative.
func (m *Matcher) match(s, p int) int {
	m.depth++
	if m.depth > MaxMatchDepth {
		m.fail(ErrTooComplex)
		m.depth--
		return -1
	}
	if m.limit {
		if m.steps <= 0 {
			m.fail(ErrTooComplex)
			m.depth--
			return -1
		}
		m.steps--
	}
	r := m.doMatch(s, p)
	m.depth--
	return r
}

func (m *Matcher) fail(e error) {
	if m.err == nil {
		m.err = e
	}
}

func (m *Matcher) doMatch(s, p int) int {
	for {
		if p >= len(m.pat) {
			return s
		}
		switch m.pat[p] {
		case '(':
			if m.pc(p+1) == ')' {
				return m.startCapture(s, p+2, capPosition)
			}
			return m.startCapture(s, p+1, capUnfinished)
		case ')':
			return m.endCapture(s, p+1)
		case '$':
			if p+1 == len(m.pat) {
				if s == len(m.src) {
					return s
				}
				return -1
			}
		case '%':
			switch m.pc(p + 1) {
			case 'b':
				s = m.matchBalance(s, p+2)
				if s < 0 {
					return -1
				}
				p += 4
				continue
			case 'f':
				p += 2
				if m.pc(p) != '[' {
					m.fail(ErrFrontierBracket)
					return -1
				}
				ep := m.classEnd(p)
				if ep < 0 {
					return -1
				}
				prev := byte(0)
				if s > 0 {
					prev = m.src[s-1]
				}
				if m.matchBracket(prev, p, ep-1) || !m.matchBracket(m.sc(s), p, ep-1) {
					return -1
				}
				p = ep
				continue
			default:
				if d := m.pc(p + 1); d >= '0' && d <= '9' {
					s = m.matchCapture(s, d)
					if s < 0 {
						return -1
					}
					p += 2
					continue
				}
			}
		}
		// A single-character item, possibly followed by a quantifier.
		ep := m.classEnd(p)
		if ep < 0 {
			return -1
		}
		matched := s < len(m.src) && m.single(m.src[s], p, ep)
		switch m.pc(ep) {
		case '?':
			if matched {
				if r := m.match(s+1, ep+1); r >= 0 || m.err != nil {
					return r
				}
			}
			p = ep + 1
			continue
		case '*':
			return m.maxExpand(s, p, ep)
		case '+':
			if !matched {
				return -1
			}
			return m.maxExpand(s+1, p, ep)
		case '-':
			return m.minExpand(s, p, ep)
		}
		if !matched {
			return -1
		}
		s++
		p = ep
	}
}

// classEnd returns the index just after the single-character class that
// starts at p, or -1 with m.err set for a malformed class.
func (m *Matcher) classEnd(p int) int {
	c := m.pat[p]
	p++
	switch c {
	case '%':
		if p >= len(m.pat) {
			m.fail(ErrEndsWithPercent)
			return -1
		}
		return p + 1
	case '[':
		if m.pc(p) == '^' {
			p++
		}
		for {
			// The first byte of a set is always a member, so "[]]" and
			// "[^]]" hold ']'.
			if p >= len(m.pat) {
				m.fail(ErrMissingBracket)
				return -1
			}
			c := m.pat[p]
			p++
			if c == '%' && p < len(m.pat) {
				p++
			}
			if m.pc(p) == ']' {
				return p + 1
			}
		}
	}
	return p
}

// single reports whether subject byte c matches the class at p..ep.
func (m *Matcher) single(c byte, p, ep int) bool {
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return matchClass(c, m.pat[p+1])
	case '[':
		return m.matchBracket(c, p, ep-1)
	}
	return m.pat[p] == c
}

// matchBracket reports whether c is in the set m.pat[p] = '[' .. m.pat[ec] = ']'.
func (m *Matcher) matchBracket(c byte, p, ec int) bool {
	in := true
	if m.pat[p+1] == '^' {
		in = false
		p++
	}
	for p++; p < ec; p++ {
		switch {
		case m.pat[p] == '%':
			p++
			if matchClass(c, m.pat[p]) {
				return in
			}
		case m.pat[p+1] == '-' && p+2 < ec:
			p += 2
			if m.pat[p-2] <= c && c <= m.pat[p] {
				return in
			}
		case m.pat[p] == c:
			return in
		}
	}
	return !in
}

// classTable holds, per byte, one bit for each of Lua's character classes
// in the C locale, so a class test is one load and a mask.
var classTable = func() (t [256]uint16) {
	for i := range t {
		c := byte(i)
		var b uint16
		lower := c >= 'a' && c <= 'z'
		upper := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		space := c == ' ' || (c >= '\t' && c <= '\r')
		cntrl := c < 32 || c == 127
		if lower || upper {
			b |= clAlpha
		}
		if cntrl {
			b |= clCntrl
		}
		if digit {
			b |= clDigit
		}
		if lower {
			b |= clLower
		}
		if c > 32 && c < 127 && !lower && !upper && !digit {
			b |= clPunct
		}
		if space {
			b |= clSpace
		}
		if upper {
			b |= clUpper
		}
		if lower || upper || digit {
			b |= clAlnum
		}
		if digit || (c|0x20 >= 'a' && c|0x20 <= 'f') {
			b |= clXdigit
		}
		if c == 0 {
			b |= clZero
		}
		t[i] = b
	}
	return
}()

const (
	clAlpha uint16 = 1 << iota
	clCntrl
	clDigit
	clLower
	clPunct
	clSpace
	clUpper
	clAlnum
	clXdigit
	clZero
)

// classBit maps a lower-case class letter to its bit; 0 for a letter that
// is not a class (then %x stands for the byte x itself).
func classBit(cl byte) uint16 {
	switch cl | 0x20 {
	case 'a':
		return clAlpha
	case 'c':
		return clCntrl
	case 'd':
		return clDigit
	case 'l':
		return clLower
	case 'p':
		return clPunct
	case 's':
		return clSpace
	case 'u':
		return clUpper
	case 'w':
		return clAlnum
	case 'x':
		return clXdigit
	case 'z':
		return clZero
	}
	return 0
}

// matchClass reports whether c matches %cl; an upper-case class letter is
// the complement.
func matchClass(c, cl byte) bool {
	bit := uint16(0)
	if (cl >= 'a' && cl <= 'z') || (cl >= 'A' && cl <= 'Z') {
		bit = classBit(cl)
	}
	if bit == 0 {
		return cl == c
	}
	res := classTable[c]&bit != 0
	if cl >= 'a' {
		return res
	}
	return !res
}

func (m *Matcher) maxExpand(s, p, ep int) int {
	i := 0
	for s+i < len(m.src) && m.single(m.src[s+i], p, ep) {
		i++
	}
	for ; i >= 0; i-- {
		if r := m.match(s+i, ep+1); r >= 0 || m.err != nil {
			return r
		}
	}
	return -1
}

func (m *Matcher) minExpand(s, p, ep int) int {
	for {
		if r := m.match(s, ep+1); r >= 0 || m.err != nil {
			return r
		}
		if s < len(m.src) && m.single(m.src[s], p, ep) {
			s++
		} else {
			return -1
		}
	}
}

func (m *Matcher) startCapture(s, p, what int) int {
	if m.level >= MaxCaptures {
		m.fail(ErrTooManyCaptures)
		return -1
	}
	m.caps[m.level] = capture{init: s, len: what}
	m.level++
	r := m.match(s, p)
	if r < 0 {
		m.level--
	}
	return r
}

func (m *Matcher) endCapture(s, p int) int {
	l := m.level - 1
	for ; l >= 0; l-- {
		if m.caps[l].len == capUnfinished {
			break
		}
	}
	if l < 0 {
		m.fail(ErrInvalidPatternCap)
		return -1
	}
	m.caps[l].len = s - m.caps[l].init
	r := m.match(s, p)
	if r < 0 {
		m.caps[l].len = capUnfinished
	}
	return r
}

func (m *Matcher) matchBalance(s, p int) int {
	if p+1 >= len(m.pat) {
		m.fail(ErrUnbalanced)
		return -1
	}
	if m.sc(s) != m.pat[p] || s >= len(m.src) {
		return -1
	}
	b, e := m.pat[p], m.pat[p+1]
	cont := 1
	for s++; s < len(m.src); s++ {
		switch m.src[s] {
		case e:
			cont--
			if cont == 0 {
				return s + 1
			}
		case b:
			cont++
		}
	}
	return -1
}

func (m *Matcher) matchCapture(s int, d byte) int {
	l := int(d) - '1'
	if l < 0 || l >= m.level || m.caps[l].len == capUnfinished {
		m.fail(ErrInvalidCapture)
		return -1
	}
	n := m.caps[l].len
	if n < 0 { // a position capture never matches text
		return -1
	}
	c := m.src[m.caps[l].init : m.caps[l].init+n]
	if len(m.src)-s >= n && m.src[s:s+n] == c {
		return s + n
	}
	return -1
}

// -- Skipping hopeless start positions --

const (
	firstAny     = iota // no shortcut: try every position
	firstLiteral        // the pattern starts with one literal byte
	firstClass          // the pattern starts with one set item [...]
	firstBits           // the pattern starts with one %class item
)

// first describes the pattern's first item when every match must begin
// with one byte it matches (no '*', '?' or '-' after it). A start position
// whose byte fails that item fails in match at once, without looking at
// the rest of the pattern, so skipping it changes nothing, errors
// included.
type first struct {
	kind  int
	c     byte
	neg   bool   // firstBits: the class is a complement (%A, %D...)
	bit   uint16 // firstBits: the classTable bit
	p, ep int
}

func (m *Matcher) firstItem() first {
	if len(m.pat) == 0 {
		return first{}
	}
	switch c := m.pat[0]; c {
	case '(', ')':
		return first{}
	case '$':
		if len(m.pat) == 1 {
			return first{}
		}
	case '%':
		if len(m.pat) < 2 {
			return first{}
		}
		if d := m.pat[1]; d == 'b' || d == 'f' || (d >= '0' && d <= '9') {
			return first{}
		}
	}
	// Find the item's end without raising errors: a malformed item is left
	// to match, which reports it at the first position as Lua does.
	ep := 1
	switch m.pat[0] {
	case '%':
		ep = 2
	case '[':
		k := 1
		if k < len(m.pat) && m.pat[k] == '^' {
			k++
		}
		for {
			if k >= len(m.pat) {
				return first{}
			}
			c := m.pat[k]
			k++
			if c == '%' {
				if k >= len(m.pat) {
					return first{}
				}
				k++
			}
			if k < len(m.pat) && m.pat[k] == ']' {
				ep = k + 1
				break
			}
		}
	}
	if ep < len(m.pat) {
		switch m.pat[ep] {
		case '*', '?', '-':
			return first{}
		}
	}
	switch m.pat[0] {
	case '.':
		return first{}
	case '%':
		cl := m.pat[1]
		bit := uint16(0)
		if (cl >= 'a' && cl <= 'z') || (cl >= 'A' && cl <= 'Z') {
			bit = classBit(cl)
		}
		if bit == 0 {
			return first{kind: firstLiteral, c: cl}
		}
		return first{kind: firstBits, bit: bit, neg: cl < 'a'}
	case '[':
		return first{kind: firstClass, p: 0, ep: ep}
	}
	return first{kind: firstLiteral, c: m.pat[0]}
}

// skip returns the first position from s on whose byte can start a match,
// or -1 when there is none.
func (f *first) skip(m *Matcher, s int) int {
	if f.kind == firstLiteral {
		if s >= len(m.src) {
			return -1
		}
		k := strings.IndexByte(m.src[s:], f.c)
		if k < 0 {
			return -1
		}
		return s + k
	}
	if f.kind == firstBits {
		for ; s < len(m.src); s++ {
			if (classTable[m.src[s]]&f.bit != 0) != f.neg {
				return s
			}
		}
		return -1
	}
	for ; s < len(m.src); s++ {
		if m.single(m.src[s], f.p, f.ep) {
			return s
		}
	}
	return -1
}
