package syntax

import "fmt"

// Pos is a source position: 1-based line and 1-based byte column.
type Pos struct {
	Line int32
	Col  int32
}

// Position returns the position itself; every AST node embeds a Pos, so
// every node has this method.
func (p Pos) Position() Pos { return p }

// String formats the position as line:col.
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Tok is a token kind. Single-character tokens are their byte value (so
// '+' is Tok('+')); the multi-character and class tokens start at 256.
type Tok int

// Token kinds above the byte range.
const (
	TokEOF Tok = 256 + iota
	TokName
	TokString
	TokNumber

	// Reserved words, in Lua 5.1's order.
	TokAnd
	TokBreak
	TokDo
	TokElse
	TokElseif
	TokEnd
	TokFalse
	TokFor
	TokFunction
	TokIf
	TokIn
	TokLocal
	TokNil
	TokNot
	TokOr
	TokRepeat
	TokReturn
	TokThen
	TokTrue
	TokUntil
	TokWhile

	// Multi-character operators.
	TokConcat // ..
	TokDots   // ...
	TokEq     // ==
	TokGE     // >=
	TokLE     // <=
	TokNE     // ~=

	// Operators of later Lua versions, lexed only so that the error can
	// name the missing feature. Lua 5.1 itself sees their first character.
	TokIDiv      // //
	TokShl       // <<
	TokShr       // >>
	TokDbColon   // ::
	TokBitNot    // ~ (alone)
	TokBitAnd    // &
	TokBitOr     // |
	tokLastToken // not a token
)

var reserved = map[string]Tok{
	"and": TokAnd, "break": TokBreak, "do": TokDo, "else": TokElse, "elseif": TokElseif,
	"end": TokEnd, "false": TokFalse, "for": TokFor, "function": TokFunction, "if": TokIf,
	"in": TokIn, "local": TokLocal, "nil": TokNil, "not": TokNot, "or": TokOr,
	"repeat": TokRepeat, "return": TokReturn, "then": TokThen, "true": TokTrue,
	"until": TokUntil, "while": TokWhile,
}

var tokNames = [...]string{
	TokEOF - 256: "<eof>", TokName - 256: "<name>", TokString - 256: "<string>", TokNumber - 256: "<number>",
	TokAnd - 256: "and", TokBreak - 256: "break", TokDo - 256: "do", TokElse - 256: "else",
	TokElseif - 256: "elseif", TokEnd - 256: "end", TokFalse - 256: "false", TokFor - 256: "for",
	TokFunction - 256: "function", TokIf - 256: "if", TokIn - 256: "in", TokLocal - 256: "local",
	TokNil - 256: "nil", TokNot - 256: "not", TokOr - 256: "or", TokRepeat - 256: "repeat",
	TokReturn - 256: "return", TokThen - 256: "then", TokTrue - 256: "true", TokUntil - 256: "until",
	TokWhile - 256: "while", TokConcat - 256: "..", TokDots - 256: "...", TokEq - 256: "==",
	TokGE - 256: ">=", TokLE - 256: "<=", TokNE - 256: "~=",
	TokIDiv - 256: "//", TokShl - 256: "<<", TokShr - 256: ">>", TokDbColon - 256: "::",
	TokBitNot - 256: "~", TokBitAnd - 256: "&", TokBitOr - 256: "|",
}

// String returns the token kind as Lua 5.1's luaX_token2str spells it:
// single characters as themselves (control characters as "char(N)"),
// reserved words and operators as written, classes as <name>, <string>,
// <number>, <eof>.
func (t Tok) String() string {
	if t < 256 {
		if t < 32 || t == 127 {
			return fmt.Sprintf("char(%d)", int(t))
		}
		return string(rune(byte(t)))
	}
	if t < tokLastToken {
		return tokNames[t-256]
	}
	return "?"
}

// unsupported describes the later-Lua tokens: what Lua 5.1 calls them in
// "near '...'" (their first character) and the feature to name.
func unsupported(t Tok) (near, feature string, ok bool) {
	switch t {
	case TokIDiv:
		return "/", "integer division '//' is not supported", true
	case TokShl:
		return "<", "bitwise operator '<<' is not supported", true
	case TokShr:
		return ">", "bitwise operator '>>' is not supported", true
	case TokDbColon:
		return ":", "goto labels '::name::' are not supported", true
	case TokBitNot:
		return "~", "bitwise operator '~' is not supported", true
	case TokBitAnd:
		return "&", "bitwise operator '&' is not supported", true
	case TokBitOr:
		return "|", "bitwise operator '|' is not supported", true
	}
	return "", "", false
}

// Token is one lexed token.
type Token struct {
	Kind Tok
	Pos  Pos
	// Text is the name for TokName, the decoded value for TokString, and the
	// numeral as written for TokNumber.
	Text string
	// Raw is what Lua 5.1 shows for the token in "near '...'" messages.
	Raw string
	Num float64 // the value of a TokNumber
}

// NearText returns how Lua 5.1 names the token in "near '...'".
func (t *Token) NearText() string {
	switch t.Kind {
	case TokName, TokString, TokNumber:
		return t.Raw
	}
	if near, _, ok := unsupported(t.Kind); ok {
		return near
	}
	return t.Kind.String()
}
