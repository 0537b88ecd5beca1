// Package lstr is demo-lang's string machinery: number formatting and
// parsing, string.format, and Lua 5.1 patterns (find, match, gmatch,
// gsub), written in pure Go with no knowledge of the VM.
//
// # Place in the pipeline
//
// The front end parses numeric literals and the VM converts between numbers
// and strings (tostring, print, "..", arithmetic on strings, tonumber); the
// string library runs patterns and formats. All of those call this package.
// It imports nothing from demo-lang: where a function needs VM values it
// takes them through a tiny interface (Args for string.format, Replacer for
// gsub's function or table), and results come back as Go strings, byte
// offsets and numbers the VM boxes itself.
//
// # The idea
//
// Lua 5.1's reference implementation is the specification, including the C
// library underneath it: tostring is printf("%.14g"), tonumber is strtod
// and strtoul, string.format is sprintf, and the pattern matcher is a
// backtracking walk over the pattern text. Each is reproduced byte for
// byte, down to the odd corners: glibc's "-nan" for a NaN with its sign bit
// set, (long long) casts of NaN and huge values to INT64_MIN as x86 does,
// "%c" of 0 adding nothing because C cuts the item at NUL, a pattern ending
// at an embedded NUL, gmatch treating '^' as a literal. The tests hold
// about ten thousand cases whose expected results were printed by lua5.1
// itself (testdata/oracle.golden), and re-run lua5.1 live when it is
// installed.
//
// # The trade-off
//
// The API takes Go strings and appends to a caller's []byte. Strings make
// substrings and captures free (no copy, no aliasing worry since strings are
// immutable) and are what an interning VM keeps anyway; appending to a
// reused buffer lets the VM format and substitute without allocating, and
// intern the result once. Patterns are not compiled: like Lua, the matcher
// interprets the pattern text on every call, which costs a little per
// character but makes one-off patterns free and failed matches allocation
// free. The matcher's recursion is bounded (MaxMatchDepth, as Lua 5.2 does)
// where Lua 5.1 would overflow the C stack.
//
// # Worked example
//
// string.gsub("x = 10, y = 20", "(%w+) = (%w+)", "%2=%1") is
//
//	var m lstr.Matcher
//	out, n, err := m.Gsub(nil, "x = 10, y = 20", "(%w+) = (%w+)", "%2=%1", nil, 100)
//	// string(out) == "10=x, 20=y", n == 2, err == nil
//
// The matcher tries the pattern at offset 0: '(' opens capture 1 at 0, %w+
// takes "x" (greedily, backing off if the rest fails), ')' closes it with
// length 1, " = " matches literally, capture 2 takes "10". The replacement
// appends capture 2, '=', capture 1; the search continues at offset 6
// where the match ended, copying unmatched bytes through.
//
// Numbers: AppendNumber(buf, 1e15) appends "1e+15", AppendNumber(buf, 0.1)
// "0.1", AppendNumber(buf, 100) "100" through an integer fast path of about
// 11 ns and no allocation; ParseNumber(" 0x1A ") returns 26, true.
package lstr
