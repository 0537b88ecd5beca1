package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"demolang"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, src string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScriptAndArgs(t *testing.T) {
	p := writeFile(t, "args.lua", "print(#arg, arg[0] ~= nil, arg[1], arg[2], arg[-1])\n")
	code, out, errs := runCLI(t, "", p, "x", "y")
	if code != 0 || errs != "" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	if out != "2\ttrue\tx\ty\tdemolang\n" {
		t.Fatalf("stdout %q", out)
	}
}

func TestExecAndStdin(t *testing.T) {
	code, out, _ := runCLI(t, "", "-e", "print(1+1)")
	if code != 0 || out != "2\n" {
		t.Fatalf("-e: code %d out %q", code, out)
	}
	code, out, _ = runCLI(t, "print('from stdin')", "-")
	if code != 0 || out != "from stdin\n" {
		t.Fatalf("-: code %d out %q", code, out)
	}
}

func TestUncaughtErrorTraceback(t *testing.T) {
	p := writeFile(t, "e3.lua", "local function f(x)\n  return x.y.z\nend\nf({})\n")
	code, _, errs := runCLI(t, "", p)
	want := "demolang: " + p + ":2: attempt to index field 'y' (a nil value)\n" +
		"stack traceback:\n\t" + p + ":2: in function 'f'\n\t" + p + ":4: in main chunk\n\t[C]: ?\n"
	if code != 1 || errs != want {
		t.Fatalf("code %d\nstderr:\n%s\nwant:\n%s", code, errs, want)
	}
}

func TestErrorInCommandLine(t *testing.T) {
	code, _, errs := runCLI(t, "", "-e", "error('x')")
	want := "demolang: (command line):1: x\nstack traceback:\n\t[C]: in function 'error'\n\t(command line):1: in main chunk\n\t[C]: ?\n"
	if code != 1 || errs != want {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "-e", "error({})")
	if code != 1 || errs != "demolang: (error object is not a string)\n" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
}

func TestSyntaxErrorAndMissingFile(t *testing.T) {
	p := writeFile(t, "bad.lua", "x = = 1\n")
	code, _, errs := runCLI(t, "", p)
	if code != 1 || !strings.HasPrefix(errs, "demolang: "+p+":1:") {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "/nonexistent/nofile.lua")
	if code != 1 || errs != "demolang: cannot open /nonexistent/nofile.lua: No such file or directory\n" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
}

func TestUnsupportedFeature(t *testing.T) {
	code, _, errs := runCLI(t, "", "-e", "local co = coroutine.create(print)")
	if code != 1 || !strings.HasPrefix(errs, "demolang: (command line):1: coroutine.create is not supported by demo-lang\n") {
		t.Fatalf("code %d stderr %q", code, errs)
	}
}

func TestLimits(t *testing.T) {
	// -j off: native traces do not charge the instruction budget or look at
	// the deadline yet (demo-lang/vm/jit.go runTrace), so these limits are
	// only enforced by the interpreter for now.
	code, _, errs := runCLI(t, "", "-j", "off", "-steplimit", "100000", "-e", "while true do end")
	if code != 1 || !strings.Contains(errs, "instruction limit exceeded") {
		t.Fatalf("steplimit: code %d stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "-memlimit", "20000000", "-e", "local t = {} for i = 1, 1e9 do t[i] = {} end")
	if code != 1 || !strings.Contains(errs, "memory limit exceeded") {
		t.Fatalf("memlimit: code %d stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "-j", "off", "-timelimit", "50ms", "-e", "while true do end")
	if code != 1 || !strings.Contains(errs, "time limit exceeded") {
		t.Fatalf("timelimit: code %d stderr %q", code, errs)
	}
}

func TestREPL(t *testing.T) {
	code, out, _ := runCLI(t, "1+2\nx = 5\nx * 2\nfunction f()\nreturn 7 end\nf()\n", "-i")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{"3\n", "10\n", "7\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("REPL output %q lacks %q", out, want)
		}
	}
}

func TestFlags(t *testing.T) {
	code, out, _ := runCLI(t, "", "-v")
	if code != 0 || !strings.HasPrefix(out, "demolang") {
		t.Fatalf("-v: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "", "-h")
	if code != 0 || !strings.Contains(out, "the tracing JIT") {
		t.Fatalf("-h: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "", "-j", "on", "-jdump", "-jv", "-jstats", "-O3", "-e", "print('ok')")
	if code != 0 || out != "ok\n" {
		t.Fatalf("jit flags: %d %q", code, out)
	}
	// LuaJIT's -joff turns the JIT off: no trace forms.
	code, _, errs := runCLI(t, "", "-joff", "-jstats", "-e", "local s = 0 for i = 1, 1000 do s = s + i end")
	if code != 0 || !strings.Contains(errs, "jit: 0 traces") && errs != "" {
		t.Fatalf("-joff: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "-jon", "-jstats", "-e", "local s = 0 for i = 1, 1000 do s = s + i end")
	if code != 0 || !strings.Contains(errs, "jit: 1 traces") {
		t.Fatalf("-jon: %d %q", code, errs)
	}
	// A misspelt JIT option is an error, not silently ignored.
	for _, bad := range [][]string{{"-jfoo"}, {"-jnative=of"}, {"-j", "of"}} {
		code, _, errs = runCLI(t, "", append(bad, "-e", "print(1)")...)
		if code != 1 || !strings.Contains(errs, bad[0]) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and the option named", bad, code, errs)
		}
	}
}

// TestJDumpHTML: -jdump=html writes the page when the run ends, also when
// the script fails, to FILE or to jitdump-PID.html in the current
// directory; plain -jdump still prints the text dump.
func TestJDumpHTML(t *testing.T) {
	src := "local s = 0\nfor i = 1, 2000 do s = s + i % 7 end\nprint(s)\nerror('boom')\n"
	p := writeFile(t, "loop.lua", src)
	page := filepath.Join(t.TempDir(), "dump.html")
	code, out, errs := runCLI(t, "", "-jdump=html="+page, p)
	if code != 1 || out != "6000\n" || !strings.Contains(errs, ":4: boom") ||
		!strings.Contains(errs, "jit: trace dump written to "+page+"\n") {
		t.Fatalf("code %d stdout %q stderr %q", code, out, errs)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<section class="trace" id="trace-1"`) || !strings.Contains(string(b), "for i = 1, 2000 do s = s ") {
		t.Errorf("page lacks trace 1 or its source:\n%.2000s", b)
	}

	dir := t.TempDir()
	t.Chdir(dir)
	code, _, errs = runCLI(t, "", "-jdump=html", "-e", "local s = 0 for i = 1, 2000 do s = s + i end")
	def := fmt.Sprintf("jitdump-%d.html", os.Getpid())
	if code != 0 || errs != "jit: trace dump written to "+def+"\n" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir, def)); err != nil || !strings.Contains(string(b), "(command line):1") {
		t.Errorf("default page: %v\n%.1000s", err, b)
	}

	code, _, errs = runCLI(t, "", "-jdump", p)
	if code != 1 || !strings.Contains(errs, "---- TRACE 1 IR\n") || strings.Contains(errs, "<html") {
		t.Errorf("-jdump: code %d stderr %.500q", code, errs)
	}
}
