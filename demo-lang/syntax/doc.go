// Package syntax is demo-lang's front end: a lexer and a recursive-descent
// parser for Lua 5.1 that produce an AST with a line and column on every
// node, and errors that can be printed with a column or exactly as lua5.1
// prints them.
//
// # Place in the pipeline
//
//	source --syntax.Parse--> *Chunk (AST) --compile--> bytecode.Proto --vm--> results
//
// The parser only builds the tree and checks what Lua 5.1's parser checks
// (break outside a loop, `...` outside a vararg function, return/break as the
// last statement, assignment targets, nesting depth). Scopes, registers,
// upvalues and constants are the compiler's business (demo-lang/compile).
//
// # The idea
//
// Accept exactly Lua 5.1's grammar and fail exactly where and how lua5.1
// fails. The lexer and parser follow the structure of Lua 5.1's llex.c and
// lparser.c (one token of lookahead, two tokens only in table constructors;
// subexpr with the priority table; the same "syntax levels" limit), so an
// invalid program produces the same "file:line: message near 'token'"; a
// test runs every error case through luac5.1 and compares. Features of
// later Lua versions (`//`, `&`, `|`, `~`, `<<`, `>>`, goto and `::labels::`)
// are lexed only so that the error names the missing feature in Hint.
//
// # The trade-off
//
// Building a tree costs memory and a pass that Lua 5.1's single-pass
// compiler avoids. In exchange the compiler can look at a whole function
// before allocating registers (which locals are captured by closures, which
// expressions are constant), the fuzzers and tests can check the parser on
// its own, and the recorder and tools can map bytecode back to nodes. Source
// files of this language are small; parsing the whole benchmark suite takes
// well under a millisecond.
//
// # Worked example
//
// Parsing
//
//	local x = -y^2 .. "!"
//
// gives the tree Sprint shows as
//
//	(block (local (x) ((.. (neg (^ y 2)) "!"))))
//
// because ^ binds tighter than unary minus, which binds tighter than `..`,
// and `..` is right associative. A broken program such as `x = = 1` fails
// with an *Error whose Error() is
//
//	t.lua:1:5: unexpected symbol near '='
//
// and whose Lua51() is lua5.1's text, "t.lua:1: unexpected symbol near '='".
package syntax
