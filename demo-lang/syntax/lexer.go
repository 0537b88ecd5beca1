package syntax

import (
	"strconv"
	"strings"
)

// -- Lexer ---------------------------------------------------------------------------

// Lexer splits Lua 5.1 source into tokens. It follows Lua 5.1's llex.c
// closely, including its error messages and what they show "near", so that
// error output matches lua5.1's.
type Lexer struct {
	file      string
	src       []byte
	i         int // next byte to read
	line      int
	lineStart int // offset of the first byte of the current line
	buf       []byte
	names     map[string]string // interned names: one allocation per distinct name
}

// NewLexer returns a lexer over src; file is the chunk name used in errors.
func NewLexer(file string, src []byte) *Lexer {
	return &Lexer{file: file, src: src, line: 1}
}

// Line returns the current line number (the line of the next unread byte).
func (l *Lexer) Line() int { return l.line }

func (l *Lexer) cur() int {
	if l.i < len(l.src) {
		return int(l.src[l.i])
	}
	return -1
}

func (l *Lexer) peek(k int) int {
	if l.i+k < len(l.src) {
		return int(l.src[l.i+k])
	}
	return -1
}

func (l *Lexer) pos() Pos { return Pos{Line: int32(l.line), Col: int32(l.i - l.lineStart + 1)} }

func isNewline(c int) bool { return c == '\n' || c == '\r' }
func isDigit(c int) bool   { return c >= '0' && c <= '9' }
func isAlpha(c int) bool   { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isAlnum(c int) bool   { return isAlpha(c) || isDigit(c) }

// newline consumes one line break: \n, \r, \r\n or \n\r.
func (l *Lexer) newline() {
	old := l.cur()
	l.i++
	if c := l.cur(); isNewline(c) && c != old {
		l.i++
	}
	l.line++
	l.lineStart = l.i
}

func (l *Lexer) errorf(p Pos, msg, near string) error {
	return &Error{File: l.file, Line: int(p.Line), Col: int(p.Col), Msg: msg, Near: near}
}

// Next returns the next token. At the end of input it returns a TokEOF
// token (repeatedly). Lexical errors are returned as *Error.
func (l *Lexer) Next() (Token, error) {
	for {
		c := l.cur()
		p := l.pos()
		switch {
		case c < 0:
			return Token{Kind: TokEOF, Pos: p}, nil
		case isNewline(c):
			l.newline()
			continue
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			l.i++
			continue
		case c == '-':
			if l.peek(1) != '-' {
				l.i++
				return Token{Kind: '-', Pos: p}, nil
			}
			l.i += 2
			if l.cur() == '[' {
				l.buf = l.buf[:0]
				sep := l.skipSep()
				if sep >= 0 {
					if _, err := l.longString(p, sep, true); err != nil {
						return Token{}, err
					}
					continue
				}
			}
			for c := l.cur(); c >= 0 && !isNewline(c); c = l.cur() {
				l.i++
			}
			continue
		case c == '[':
			l.buf = l.buf[:0]
			sep := l.skipSep()
			if sep >= 0 {
				return l.longString(p, sep, false)
			}
			if sep == -1 {
				return Token{Kind: '[', Pos: p}, nil
			}
			return Token{}, l.errorf(p, "invalid long string delimiter", string(l.buf))
		case c == '=':
			return l.two(p, '=', TokEq, '=')
		case c == '<':
			if l.peek(1) == '<' {
				l.i += 2
				return Token{Kind: TokShl, Pos: p}, nil
			}
			return l.two(p, '=', TokLE, '<')
		case c == '>':
			if l.peek(1) == '>' {
				l.i += 2
				return Token{Kind: TokShr, Pos: p}, nil
			}
			return l.two(p, '=', TokGE, '>')
		case c == '~':
			return l.two(p, '=', TokNE, TokBitNot)
		case c == '/':
			return l.two(p, '/', TokIDiv, '/')
		case c == ':':
			return l.two(p, ':', TokDbColon, ':')
		case c == '&':
			l.i++
			return Token{Kind: TokBitAnd, Pos: p}, nil
		case c == '|':
			l.i++
			return Token{Kind: TokBitOr, Pos: p}, nil
		case c == '"' || c == '\'':
			return l.shortString(p, c)
		case c == '.':
			if l.peek(1) == '.' {
				if l.peek(2) == '.' {
					l.i += 3
					return Token{Kind: TokDots, Pos: p}, nil
				}
				l.i += 2
				return Token{Kind: TokConcat, Pos: p}, nil
			}
			if !isDigit(l.peek(1)) {
				l.i++
				return Token{Kind: '.', Pos: p}, nil
			}
			return l.numeral(p)
		case isDigit(c):
			return l.numeral(p)
		case isAlpha(c):
			start := l.i
			for isAlnum(l.cur()) {
				l.i++
			}
			word := l.src[start:l.i]
			if k, ok := reserved[string(word)]; ok { // no allocation
				return Token{Kind: k, Pos: p}, nil
			}
			s, ok := l.names[string(word)]
			if !ok {
				s = string(word)
				if l.names == nil {
					l.names = map[string]string{}
				}
				l.names[s] = s
			}
			return Token{Kind: TokName, Pos: p, Text: s, Raw: s}, nil
		default:
			l.i++
			return Token{Kind: Tok(c), Pos: p}, nil
		}
	}
}

// two lexes a one- or two-character operator: if the byte after the current
// one is next, the token is long, else short.
func (l *Lexer) two(p Pos, next int, long, short Tok) (Token, error) {
	if l.peek(1) == next {
		l.i += 2
		return Token{Kind: long, Pos: p}, nil
	}
	l.i++
	return Token{Kind: short, Pos: p}, nil
}

// skipSep is Lua's skip_sep: at '[' or ']', it consumes the bracket and any
// '=' signs (saving them in buf) and returns their count if the same bracket
// follows, else -count-1. The closing bracket is not consumed.
func (l *Lexer) skipSep() int {
	s := l.cur()
	l.buf = append(l.buf, byte(s))
	l.i++
	count := 0
	for l.cur() == '=' {
		l.buf = append(l.buf, '=')
		l.i++
		count++
	}
	if l.cur() == s {
		return count
	}
	return -count - 1
}

// longString reads a long string or long comment whose opening "[==" has
// been consumed by skipSep.
func (l *Lexer) longString(p Pos, sep int, comment bool) (Token, error) {
	l.buf = append(l.buf, '[')
	l.i++ // the second '['
	if isNewline(l.cur()) {
		l.newline()
	}
	contentStart := len(l.buf)
	for {
		c := l.cur()
		switch {
		case c < 0:
			msg := "unfinished long string"
			if comment {
				msg = "unfinished long comment"
			}
			return Token{}, l.errorf(l.pos(), msg, "<eof>")
		case c == ']':
			mark := len(l.buf)
			if l.skipSep() == sep {
				content := string(l.buf[contentStart:mark])
				l.buf = append(l.buf, ']')
				l.i++
				return Token{Kind: TokString, Pos: p, Text: content, Raw: string(l.buf)}, nil
			}
		case c == '[':
			ep := l.pos()
			if l.skipSep() == sep {
				l.buf = append(l.buf, '[')
				l.i++
				if sep == 0 {
					return Token{}, l.errorf(ep, "nesting of [[...]] is deprecated", "[")
				}
			}
		case isNewline(c):
			l.buf = append(l.buf, '\n')
			l.newline()
		default:
			l.buf = append(l.buf, byte(c))
			l.i++
		}
	}
}

// shortString reads a quoted string with escapes.
func (l *Lexer) shortString(p Pos, del int) (Token, error) {
	l.buf = append(l.buf[:0], byte(del))
	l.i++
	for {
		c := l.cur()
		switch {
		case c == del:
			l.i++
			text := string(l.buf[1:])
			l.buf = append(l.buf, byte(del))
			return Token{Kind: TokString, Pos: p, Text: text, Raw: string(l.buf)}, nil
		case c < 0:
			return Token{}, l.errorf(l.pos(), "unfinished string", "<eof>")
		case isNewline(c):
			return Token{}, l.errorf(l.pos(), "unfinished string", string(l.buf))
		case c == '\\':
			ep := l.pos()
			l.i++
			e := l.cur()
			switch e {
			case 'a':
				c = '\a'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'v':
				c = '\v'
			case '\n', '\r':
				l.buf = append(l.buf, '\n')
				l.newline()
				continue
			case -1:
				continue // unfinished string, reported next round
			default:
				if !isDigit(e) {
					c = e // \\ \" \' and any other character stand for themselves
					break
				}
				v := 0
				for k := 0; k < 3 && isDigit(l.cur()); k++ {
					v = v*10 + l.cur() - '0'
					l.i++
				}
				if v > 255 {
					return Token{}, l.errorf(ep, "escape sequence too large", string(l.buf))
				}
				l.buf = append(l.buf, byte(v))
				continue
			}
			l.buf = append(l.buf, byte(c))
			l.i++
		default:
			l.buf = append(l.buf, byte(c))
			l.i++
		}
	}
}

// numeral reads a number the way Lua 5.1's read_numeral does: digits and
// dots, an optional exponent sign after E/e, then any letters, digits and
// underscores; the whole text must then convert, else it is a malformed
// number.
func (l *Lexer) numeral(p Pos) (Token, error) {
	start := l.i
	for c := l.cur(); isDigit(c) || c == '.'; c = l.cur() {
		l.i++
	}
	if c := l.cur(); c == 'e' || c == 'E' {
		l.i++
		if c := l.cur(); c == '+' || c == '-' {
			l.i++
		}
	}
	for isAlnum(l.cur()) {
		l.i++
	}
	s := string(l.src[start:l.i])
	v, ok := ParseNumber(s)
	if !ok {
		return Token{}, l.errorf(p, "malformed number", s)
	}
	return Token{Kind: TokNumber, Pos: p, Text: s, Raw: s, Num: v}, nil
}

// ParseNumber converts a Lua 5.1 numeral (as the lexer collects it, or as
// tonumber sees a trimmed string) to a float64, the way lua5.1 does with
// C's strtod: decimal with optional fraction and exponent, or hexadecimal
// 0x... with optional hex fraction and binary exponent p. It reports false
// for anything else. Signs, surrounding spaces, "inf" and "nan" are not
// numerals and are rejected.
func ParseNumber(s string) (float64, bool) {
	if s == "" || strings.IndexByte(s, '_') >= 0 {
		return 0, false
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		digits := 0
		for i := 2; i < len(s); i++ {
			c := int(s[i])
			switch {
			case isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
				digits++
			case c == '.':
			case c == 'p' || c == 'P':
				if digits == 0 {
					return 0, false
				}
				v, err := strconv.ParseFloat(s, 64)
				return v, err == nil || isRange(err)
			default:
				return 0, false
			}
		}
		if digits == 0 {
			return 0, false
		}
		v, err := strconv.ParseFloat(s+"p0", 64)
		return v, err == nil || isRange(err)
	}
	c := int(s[0])
	if !isDigit(c) && c != '.' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := int(s[i])
		if !(isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil || isRange(err)
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
