package lstr

import "strconv"

// Error is an error raised by this package with Lua 5.1's exact message
// text. The VM raises it as a Lua error and adds the "chunk:line:" prefix
// of the calling line, as luaL_error does. Fixed messages are constants,
// so returning one does not allocate.
type Error string

// Error returns the message.
func (e Error) Error() string { return string(e) }

// The fixed messages of Lua 5.1's string library that this package raises.
const (
	ErrEndsWithPercent   Error = "malformed pattern (ends with '%')"
	ErrMissingBracket    Error = "malformed pattern (missing ']')"
	ErrInvalidCapture    Error = "invalid capture index"
	ErrInvalidPatternCap Error = "invalid pattern capture"
	ErrUnfinishedCapture Error = "unfinished capture"
	ErrFrontierBracket   Error = "missing '[' after '%f' in pattern"
	ErrTooManyCaptures   Error = "too many captures"
	ErrUnbalanced        Error = "unbalanced pattern"
	ErrTooComplex        Error = "pattern too complex"
	ErrRepeatedFlags     Error = "invalid format (repeated flags)"
	ErrFormatTooLong     Error = "invalid format (width or precision too long)"
)

// ErrBaseRange is tonumber's complaint about a base outside 2..36; it is an
// ArgError for argument #2.
var ErrBaseRange = &ArgError{Arg: 2, Func: "tonumber", Msg: "base out of range"}

// ArgError is luaL_argerror's "bad argument #Arg to 'Func' (Msg)". Arg
// counts from 1 as in the Lua call; a VM that called the function as a
// method (s:format(...)) subtracts one first, as Lua 5.1 does, and may
// replace Func with the name the call site used.
type ArgError struct {
	Arg  int
	Func string
	Msg  string
}

// Error returns the message in Lua 5.1's form.
func (e *ArgError) Error() string {
	return "bad argument #" + strconv.Itoa(e.Arg) + " to '" + e.Func + "' (" + e.Msg + ")"
}

// TypeError builds the ArgError of luaL_typerror: "EXPECTED expected, got
// GOT".
func TypeError(arg int, fn, expected, got string) *ArgError {
	return &ArgError{Arg: arg, Func: fn, Msg: expected + " expected, got " + got}
}

// InvalidReplacement is gsub's error when a replacement function or table
// yields a value that is neither a string, a number, nil nor false; typ is
// that value's type name.
func InvalidReplacement(typ string) error {
	return Error("invalid replacement value (a " + typ + ")")
}
