// Command demolang runs demo-lang programs (a Lua 5.1 subset) on the jitkit
// virtual machine.
//
//	demolang [options] [script [args...]]
//
// With a script, it runs the script with the global table arg set as lua
// does (arg[0] the script, arg[1..] its arguments, negative indices the
// interpreter and its options). With no script it reads a program from
// standard input, or starts an interactive REPL when standard input is a
// terminal (or with -i). An uncaught error prints "demolang: message" and a
// stack traceback to standard error and exits with status 1.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/jitkit/jitkit/demo-lang/jit"
	"github.com/jitkit/jitkit/demo-lang/vm"
)

const version = "demolang 0.1 (a Lua 5.1 subset on jitkit)"

const usage = `usage: demolang [options] [script [args...]]
Available options are:
  -e stat       execute string 'stat'
  -i            enter interactive mode after executing 'script'
  -v            show version information
  -             execute stdin and stop handling options
  --            stop handling options
  -memlimit N   limit the VM heap to N bytes ("memory limit exceeded")
  -steplimit N  limit a run to about N instructions ("instruction limit exceeded")
  -timelimit D  limit a run's wall-clock time, e.g. 10s ("time limit exceeded")
  -cpuprofile F write a Go CPU profile of the run to file F
  -j on|off     the tracing JIT (default on); also -jon, -joff as in LuaJIT
  -jv           a line per trace event (start, stop, abort with its reason)
  -jdump        per trace: bytecodes, IR with snapshots, machine code
  -jdump=html[=F] write one HTML page of all traces at exit (default jitdump-PID.html)
  -jstats       JIT counters at exit (traces, aborts by reason, exits)
  -jstress=M    force guard exits: all, random[:SEED[:EVERY]] (env JITKIT_STRESS)
  -jnative=off  run traces on the IR interpreter, not as machine code
  -jp           sample where time goes (interpreter, each trace, compiler, exits, GC)
  -jperfmap     name traces in /tmp/perf-PID.map for Linux perf (env JITKIT_PERFMAP=1)
  -O...         LuaJIT-style optimization flags and parameters (-O3, -Ohotloop=10)
`

func main() {
	// The VM manages its objects itself; Go's heap holds a few large slices
	// (the object tables, table parts), so Go's collector can run less often.
	debug.SetGCPercent(400)
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

type config struct {
	opts    vm.Options
	execs   []string // -e chunks, in order
	script  int      // index in args of the script, or -1
	stdin   bool     // "-" given
	repl    bool
	version bool
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg := config{script: -1}
	jc, err := jit.NewConfig()
	if err != nil {
		fmt.Fprintf(stderr, "demolang: %v\n", err)
		return 1
	}
	i := 1
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if a == "-" {
			cfg.stdin = true
			break
		}
		if !strings.HasPrefix(a, "-") || a == "" {
			break
		}
		need := func() (string, bool) {
			if i+1 >= len(args) {
				fmt.Fprintf(stderr, "demolang: '%s' needs argument\n%s", a, usage)
				return "", false
			}
			i++
			return args[i], true
		}
		switch {
		case a == "-e":
			s, ok := need()
			if !ok {
				return 1
			}
			cfg.execs = append(cfg.execs, s)
		case strings.HasPrefix(a, "-e"):
			cfg.execs = append(cfg.execs, a[2:])
		case a == "-i":
			cfg.repl = true
		case a == "-v":
			cfg.version = true
		case a == "-h" || a == "--help":
			fmt.Fprint(stdout, usage)
			return 0
		case a == "-memlimit" || a == "-steplimit":
			s, ok := need()
			if !ok {
				return 1
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				fmt.Fprintf(stderr, "demolang: bad value for %s: %s\n", a, s)
				return 1
			}
			if a == "-memlimit" {
				cfg.opts.MemoryLimit = n
			} else {
				cfg.opts.InstructionLimit = n
			}
		case a == "-timelimit":
			s, ok := need()
			if !ok {
				return 1
			}
			d, err := time.ParseDuration(s)
			if err != nil {
				fmt.Fprintf(stderr, "demolang: bad value for -timelimit: %s\n", s)
				return 1
			}
			cfg.opts.TimeLimit = d
		case a == "-cpuprofile":
			s, ok := need()
			if !ok {
				return 1
			}
			f, err := os.Create(s)
			if err != nil {
				fmt.Fprintf(stderr, "demolang: %v\n", err)
				return 1
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				fmt.Fprintf(stderr, "demolang: %v\n", err)
				return 1
			}
			defer func() {
				pprof.StopCPUProfile()
				f.Close()
			}()
		case a == "-j" || strings.HasPrefix(a, "-j") || strings.HasPrefix(a, "-O"):
			ok, err := jc.Flag(a, need)
			if err != nil {
				fmt.Fprintf(stderr, "demolang: %s: %v\n", a, err)
				return 1
			}
			if !ok {
				fmt.Fprintf(stderr, "demolang: unrecognized option '%s'\n%s", a, usage)
				return 1
			}
		default:
			fmt.Fprintf(stderr, "demolang: unrecognized option '%s'\n%s", a, usage)
			return 1
		}
	}
	if i < len(args) && !cfg.stdin {
		cfg.script = i
	}
	if cfg.version {
		fmt.Fprintln(stdout, version)
	}
	cfg.opts.Stdout = stdout
	cfg.opts.Stdin = stdin
	L := vm.New(cfg.opts)
	defer L.Flush()
	jc.Attach(L, stderr)
	defer jc.Finish(L, stderr)
	setArgs(L, args, i, cfg.script)

	if len(cfg.execs) == 1 {
		jc.AddSource("(command line)", cfg.execs[0])
	}
	for _, e := range cfg.execs {
		if !report(L, stderr, func() error { _, err := L.DoString("(command line)", e); return err }) {
			return 1
		}
	}
	switch {
	case cfg.script >= 0:
		path := args[cfg.script]
		if !report(L, stderr, func() error { return doFile(L, path, args[cfg.script+1:]) }) {
			return 1
		}
	case cfg.stdin:
		src, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "demolang: %v\n", err)
			return 1
		}
		jc.AddSource("stdin", string(src))
		if !report(L, stderr, func() error { _, err := L.DoString("stdin", string(src)); return err }) {
			return 1
		}
	case len(cfg.execs) == 0 && !cfg.version && !cfg.repl:
		if isTerminal(stdin) {
			cfg.repl = true
		} else {
			src, err := io.ReadAll(stdin)
			if err != nil {
				fmt.Fprintf(stderr, "demolang: %v\n", err)
				return 1
			}
			jc.AddSource("stdin", string(src))
			if !report(L, stderr, func() error { _, err := L.DoString("stdin", string(src)); return err }) {
				return 1
			}
		}
	}
	if cfg.repl {
		repl(L, stdin, stdout, stderr)
	}
	return 0
}

// doFile runs the script at path with scriptArgs as its main chunk's
// varargs (...), as lua.c does.
func doFile(L *vm.State, path string, scriptArgs []string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		msg := err.Error()
		if pe, ok := err.(*os.PathError); ok {
			msg = pe.Err.Error()
			if len(msg) > 0 {
				msg = strings.ToUpper(msg[:1]) + msg[1:]
			}
		}
		return fmt.Errorf("cannot open %s: %s", path, msg)
	}
	if len(src) > 0 && src[0] == '#' {
		k := 0
		for k < len(src) && src[k] != '\n' {
			k++
		}
		src = append([]byte("--"), src[k:]...)
	}
	f, err := L.LoadString(path, string(src))
	if err != nil {
		return err
	}
	vararg := make([]vm.Value, len(scriptArgs))
	for k, a := range scriptArgs {
		vararg[k] = L.String(a)
	}
	_, err = L.Call(f, vararg...)
	return err
}

// setArgs builds the global arg table as lua.c does.
func setArgs(L *vm.State, args []string, first, script int) {
	at := L.NewTable()
	zero := script
	if zero < 0 {
		zero = len(args)
	}
	for k := 0; k < len(args); k++ {
		L.RawSetInt(at, k-zero, L.String(args[k]))
	}
	L.SetGlobal("arg", at)
}

// report prints an error as lua.c does and says whether the run succeeded.
func report(L *vm.State, stderr io.Writer, f func() error) bool {
	err := f()
	L.Flush()
	if err == nil {
		return true
	}
	if e, ok := err.(*vm.Error); ok {
		if e.Value == vm.Nil {
			// lua.c reports nothing for a nil error object (error() or
			// error(nil)): the run just fails with status 1.
			return false
		}
		if _, isStr := L.ToString(e.Value); !isStr {
			fmt.Fprintln(stderr, "demolang: (error object is not a string)")
			return false
		}
		fmt.Fprintf(stderr, "demolang: %s\n", e.Message)
		if e.Traceback != "" {
			fmt.Fprintln(stderr, e.Traceback)
		}
		return false
	}
	fmt.Fprintf(stderr, "demolang: %s\n", err)
	return false
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// repl reads lines and runs them, printing the values of expressions: a
// line is first tried as "return <line>", then as a statement; a chunk that
// is incomplete (the error is at <eof>) asks for more lines.
func repl(L *vm.State, stdin io.Reader, stdout, stderr io.Writer) {
	in := bufio.NewReader(stdin)
	prompt := func(s string) {
		fmt.Fprint(stdout, s)
		if f, ok := stdout.(interface{ Sync() error }); ok {
			_ = f.Sync()
		}
	}
	for {
		prompt("> ")
		line, err := in.ReadString('\n')
		if line == "" && err != nil {
			fmt.Fprintln(stdout)
			return
		}
		src := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(src, "=") {
			src = "return " + src[1:]
		}
		f, cerr := L.LoadString("stdin", "return "+src)
		if cerr != nil {
			for {
				f, cerr = L.LoadString("stdin", src)
				if cerr == nil || !strings.Contains(cerr.Error(), "<eof>") {
					break
				}
				prompt(">> ")
				more, err := in.ReadString('\n')
				if more == "" && err != nil {
					break
				}
				src += "\n" + strings.TrimRight(more, "\r\n")
			}
		}
		if cerr != nil {
			fmt.Fprintf(stderr, "%s\n", cerr)
			continue
		}
		res, rerr := L.Call(f)
		L.Flush()
		if rerr != nil {
			report(L, stderr, func() error { return rerr })
			continue
		}
		if len(res) > 0 {
			parts := make([]string, len(res))
			for k, v := range res {
				parts[k] = L.Tostring(v)
			}
			fmt.Fprintln(stdout, strings.Join(parts, "\t"))
		}
	}
}
