package syntax

import (
	"fmt"
	"strings"
)

// Error is a lexical, syntax or compile-time error at a source position.
// It carries the pieces separately so that callers can print it either with
// a column (Error) or exactly as Lua 5.1 would (Lua51), which is what the
// conformance tests compare against lua5.1's output.
type Error struct {
	File string // chunk name, e.g. "fib.lua"
	Line int    // 1-based line
	Col  int    // 1-based byte column (0 if unknown)
	Msg  string // Lua 5.1's message text, e.g. "unexpected symbol"
	Near string // the offending token as Lua 5.1 shows it, "" for none
	// Hint names an unsupported feature ("integer division '//' is not
	// supported"); it is not part of Lua 5.1's text.
	Hint string
}

// Error formats the error as "file:line:col: msg near 'tok' (hint)".
func (e *Error) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s:%d:", e.File, e.Line)
	if e.Col > 0 {
		fmt.Fprintf(&sb, "%d:", e.Col)
	}
	sb.WriteByte(' ')
	sb.WriteString(e.body())
	if e.Hint != "" {
		sb.WriteString(" (")
		sb.WriteString(e.Hint)
		sb.WriteByte(')')
	}
	return sb.String()
}

// Lua51 formats the error as Lua 5.1 does: "file:line: msg near 'tok'".
func (e *Error) Lua51() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.body())
}

func (e *Error) body() string {
	if e.Near == "" {
		return e.Msg
	}
	return e.Msg + " near '" + e.Near + "'"
}
