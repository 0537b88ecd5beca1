// Package conformance holds demo-lang's conformance corpus and the test
// that holds demo-lang to it, with Lua 5.1 itself as the judge.
//
// # Place in the pipeline
//
// It sits after everything: the test builds the demolang command
// (../cmd/demolang) and runs whole programs through the lexer, parser,
// compiler, interpreter and standard library, exactly as a user would. It
// has no Go API; the package exists for its tests and its testdata.
//
// # The idea
//
// testdata holds small, focused Lua programs, one per feature of
// LANGUAGE.md: lexical forms and escapes, numbers and their printing,
// coercions, every statement, closures and upvalues, varargs, metatables
// and each metamethod, the base, math, string, table, os and io
// libraries, runtime errors with the names Lua 5.1 puts in messages,
// error() levels and values, syntax errors, and a few complete programs.
// Each NAME.lua has a NAME.expect recording what lua5.1 did with it: exit
// status, the first line of stderr without the "lua5.1: " prefix, and
// stdout. NAME.stdin, when present, is the program's standard input; a
// first line "-- args: a b" gives its command-line arguments.
//
// The expectations are never written by hand: `go generate` (which runs
// `go test -run TestOracle -update`) produces them by running lua5.1, and
// TestOracle re-runs lua5.1 on every test run where it is installed (.ci/run
// installs it) to prove the stored files are still the reference's
// behaviour. TestCorpus runs demolang on each program and compares, with
// the "demolang: " prefix stripped from its error line (and, the one
// normalization, a syntax error's ":COL" after ":LINE" dropped: demo-lang
// must show the column, lua5.1 does not; everything else must match
// byte for byte), in three modes:
// "jit" (the command as shipped), "interp" (-j off) and "stress"
// (-Ohotloop=1 -jstress=random:1:4: every loop traced at once and a
// seeded quarter of guard checks forced to exit), so the tracing JIT,
// its snapshots and exits are held to the same outputs.
//
// testdata/unsupported holds the exception: programs using what the subset
// leaves out (coroutines, load, loadstring, dofile, require, setfenv,
// getfenv, goto, the debug library, weak tables). lua5.1 cannot be their
// oracle, so their .expect files are written by hand and list substrings
// (the feature's name, "not supported", the file and line) that the first
// stderr line must contain.
//
// testdata/determinism holds programs whose output is demo-lang's own
// (the order of pairs, math.random's fixed sequence); TestDeterminism runs
// each three times and requires identical output, as LANGUAGE.md does.
//
// known_failures.txt lists programs that fail today because of known bugs,
// one per line with a reason: "name" for every mode, "mode/name" for one. They are reported but do not fail the test;
// a listed program that starts passing fails it, so the list stays honest.
//
// # The trade-off
//
// Comparing whole-program output is coarse: a failure says which feature
// broke, not which instruction. Keeping each program small and about one
// thing makes the failing program's name the diagnosis. Only the first
// stderr line is compared, because the stack traceback below it is
// implementation detail.
//
// # Worked example
//
// testdata/err_arith_local.lua is
//
//	local x
//	print("before")
//	print(x + 1)
//
// and lua5.1 prints "before" and fails, so err_arith_local.expect is
//
//	status: 1
//	stderr: err_arith_local.lua:3: attempt to perform arithmetic on local 'x' (a nil value)
//	stdout:
//	before
//
// demolang passes when it prints the same stdout, exits with status 1 and
// its first stderr line is "demolang: " followed by the same message.
//
// Under JITKIT_QEMU=1 (the arm64 run of make test) the package skips: it
// cannot build the command there, and the native run covers it.
package conformance

//go:generate go test -run TestOracle -update
