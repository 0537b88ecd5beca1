// Command bf runs a Brainfuck program, with or without its tracing JIT.
//
//	bf [flags] file.b
//
// The program reads standard input and writes standard output. Flags:
//
//	-j=false        the JIT off (on by default)
//	-jinterp        run traces on irkit's IR interpreter, not machine code
//	-jv             a line per trace event on standard error
//	-jdump          the IR and machine code of every trace on standard error at the end
//	-jstats         the JIT's counters on standard error at the end
//	-jstress MODE   force guards to exit: off, all, random[:SEED[:EVERY]]
//	-O ARG          LuaJIT-style options, e.g. -O hotloop=10 or -O -loop
//	-tape N         the number of cells (default 30000)
//
// Example:
//
//	bf -jv -O hotloop=10 hello.b
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/jitkit/jitkit/docs/bf"
	"github.com/jitkit/jitkit/guard"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("bf", flag.ContinueOnError)
	jitOn := fs.Bool("j", true, "tracing JIT on")
	interp := fs.Bool("jinterp", false, "run traces on irkit's IR interpreter")
	verbose := fs.Bool("jv", false, "report trace events on stderr")
	dump := fs.Bool("jdump", false, "dump the traces' IR and machine code on stderr at the end")
	stats := fs.Bool("jstats", false, "print the JIT's counters on stderr at the end")
	stress := fs.String("jstress", "", "force guards to exit: off, all, random[:SEED[:EVERY]]")
	tape := fs.Int("tape", bf.DefaultTape, "number of cells")
	opts := guard.DefaultOptions()
	fs.Func("O", "LuaJIT-style optimization options (e.g. hotloop=10, -loop)", opts.Parse)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: bf [flags] file.b")
		return 2
	}
	src, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	prog, err := bf.Parse(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	st, err := guard.ParseStress(*stress)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	opt := bf.Options{JIT: *jitOn, Interp: *interp, Opt: opts, Stress: st, Tape: *tape, DumpCode: *dump}
	if *verbose {
		opt.Log = os.Stderr
	}
	out := bufio.NewWriter(os.Stdout)
	vm, err := bf.New(prog, os.Stdin, out, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer vm.Close()
	err = vm.Run()
	out.Flush()
	if *dump {
		vm.Dump(os.Stderr)
	}
	if *stats {
		fmt.Fprintf(os.Stderr, "%+v\n", vm.Stats())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
