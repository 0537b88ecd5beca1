// Command jitbench is jitkit's benchmark harness: the figures behind every
// performance claim the project makes come from one run of it.
//
// It does two things, side by side in one run so that ratios are fair:
//
//  1. Go micro-benchmarks of every package (go test -bench, -count N),
//     summarized as medians with a confidence interval for the median.
//  2. The whole-program suite of ../shared/bench on demo-lang (JIT on and
//     off) and on every peer that is installed: luajit, luajit -joff, lua5.1,
//     lua5.4 and gopher-lua. Implementations are interleaved (A B C A B C …)
//     so that drift of the machine hits all of them alike. Every run's output
//     is checked against the reference output; a wrong answer is reported as
//     a failure and never timed.
//
// The report is a Markdown table printed to stdout and written, with the
// machine description and the date, to docs/perf.md, plus an SVG chart of
// the ratios to LuaJIT (docs/perf.svg). With -callgrind it also records
// instruction counts from valgrind's callgrind for a quick run of each
// program: a noise-free figure to follow the interpreter and the JIT across
// changes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// impl is one implementation the suite runs programs on.
type impl struct {
	name string   // column name in the report
	cmd  []string // command and leading arguments; the file and size follow
}

func main() {
	var (
		quick     = flag.Bool("quick", false, "quick sizes (quick-sizes.txt), fewer runs: finishes in about two minutes")
		runs      = flag.Int("n", 0, "timed runs per program and implementation (default 5, or 3 with -quick)")
		count     = flag.Int("count", 0, "go test -count for micro-benchmarks (default 5, or 3 with -quick)")
		benchDir  = flag.String("dir", "", "directory of the benchmark programs (default ../shared/bench from the repository root)")
		only      = flag.String("programs", "", "comma-separated program names to run (default: all)")
		micro     = flag.Bool("micro", true, "run the Go micro-benchmarks")
		programs  = flag.Bool("suite", true, "run the whole-program suite")
		callgrind = flag.Bool("callgrind", false, "also count instructions with valgrind --tool=callgrind (quick sizes)")
		outMD     = flag.String("out", "docs/perf.md", "Markdown report to write ('' for none)")
		outSVG    = flag.String("svg", "docs/perf.svg", "SVG chart to write ('' for none)")
	)
	flag.Parse()
	root, err := repoRoot()
	if err != nil {
		fatal(err)
	}
	if *benchDir == "" {
		*benchDir = filepath.Join(root, "..", "shared", "bench")
	}
	if *runs == 0 {
		*runs = 5
		if *quick {
			*runs = 3
		}
	}
	if *count == 0 {
		*count = 5
		if *quick {
			*count = 3
		}
	}

	r := &report{date: time.Now().UTC(), machine: describeMachine(), quick: *quick, runs: *runs}
	if *micro {
		r.micro, err = runMicro(root, *count, *quick)
		if err != nil {
			fatal(err)
		}
	}
	if *programs {
		progs, err := loadPrograms(*benchDir, *quick, *only)
		if err != nil {
			fatal(err)
		}
		impls := findImpls(root)
		r.impls = impls
		r.suite = runSuite(progs, impls, *runs)
		if *callgrind {
			r.counts = runCallgrind(root, *benchDir, *only)
		}
	}
	md := r.markdown()
	fmt.Print(md)
	if *outMD != "" {
		if err := os.WriteFile(inRoot(root, *outMD), []byte(md), 0o644); err != nil {
			fatal(err)
		}
	}
	if *outSVG != "" && len(r.suite) > 0 {
		if err := os.WriteFile(inRoot(root, *outSVG), []byte(r.svg()), 0o644); err != nil {
			fatal(err)
		}
	}
	ours, peers := r.failures()
	if peers > 0 {
		fmt.Fprintf(os.Stderr, "jitbench: %d wrong answers or failed runs of other implementations (see report)\n", peers)
	}
	if ours > 0 {
		fmt.Fprintf(os.Stderr, "jitbench: %d wrong answers or failed runs of demolang (see report)\n", ours)
		os.Exit(1)
	}
}

// inRoot resolves a relative output path against the repository root.
func inRoot(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, p)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "jitbench:", err)
	os.Exit(2)
}

// repoRoot finds the directory holding jitkit's go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/jitkit/jitkit\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the jitkit repository")
		}
		dir = parent
	}
}

// findImpls lists the implementations present on this machine, demo-lang
// first. bin/demolang and bench/peers/bin/gopherlua are built by `make bench`.
func findImpls(root string) []impl {
	var out []impl
	demo := filepath.Join(root, "bin", "demolang")
	if _, err := os.Stat(demo); err == nil {
		out = append(out, impl{"demolang", []string{demo}}, impl{"demolang -joff", []string{demo, "-j", "off"}})
	} else {
		fmt.Fprintln(os.Stderr, "jitbench: bin/demolang not built; run `make build`")
	}
	if p, err := exec.LookPath("luajit"); err == nil {
		out = append(out, impl{"luajit", []string{p}}, impl{"luajit -joff", []string{p, "-joff"}})
	}
	for _, name := range []string{"lua5.1", "lua5.4"} {
		if p, err := exec.LookPath(name); err == nil {
			out = append(out, impl{name, []string{p}})
		}
	}
	gl := filepath.Join(root, "bench", "peers", "bin", "gopherlua")
	if _, err := os.Stat(gl); err == nil {
		out = append(out, impl{"gopher-lua", []string{gl}})
	}
	return out
}

// program is one benchmark program with its size argument and the output a
// correct implementation prints.
type program struct {
	name, file, size string
	want             []byte
}

func loadPrograms(dir string, quick bool, only string) ([]program, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.lua"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no benchmark programs in %s", dir)
	}
	sizes := map[string]string{}
	if quick {
		b, err := os.ReadFile(filepath.Join(dir, "quick-sizes.txt"))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 2 {
				sizes[f[0]] = f[1]
			}
		}
	}
	keep := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		if n != "" {
			keep[n] = true
		}
	}
	var out []program
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".lua")
		if len(keep) > 0 && !keep[name] {
			continue
		}
		ref := filepath.Join(dir, name+".out")
		if quick {
			ref = filepath.Join(dir, name+".quick.out")
			if sizes[name] == "" {
				return nil, fmt.Errorf("%s: no size in quick-sizes.txt", name)
			}
		}
		want, err := os.ReadFile(ref)
		if err != nil {
			return nil, err
		}
		out = append(out, program{name: name, file: f, size: sizes[name], want: want})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// result is what one implementation did on one program.
type result struct {
	times []time.Duration // successful runs
	fail  string          // why the output was wrong or the run failed; "" if fine
}

// runSuite runs every program on every implementation, interleaving the
// implementations within each round so that drift hits them alike.
func runSuite(progs []program, impls []impl, runs int) map[string]map[string]*result {
	res := map[string]map[string]*result{}
	for _, p := range progs {
		res[p.name] = map[string]*result{}
		for _, im := range impls {
			res[p.name][im.name] = &result{}
		}
		for round := 0; round < runs; round++ {
			for _, im := range impls {
				rr := res[p.name][im.name]
				if rr.fail != "" {
					continue
				}
				d, fail := runOnce(im, p)
				if fail != "" {
					rr.fail = fail
					fmt.Fprintf(os.Stderr, "%-12s %-16s FAIL %s\n", p.name, im.name, fail)
					continue
				}
				rr.times = append(rr.times, d)
				fmt.Fprintf(os.Stderr, "%-12s %-16s %8.3fs\n", p.name, im.name, d.Seconds())
			}
		}
	}
	return res
}

func runOnce(im impl, p program) (time.Duration, string) {
	args := append(append([]string{}, im.cmd[1:]...), p.file)
	if p.size != "" {
		args = append(args, p.size)
	}
	cmd := exec.Command(im.cmd[0], args...)
	cmd.Dir = filepath.Dir(p.file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return 0, fmt.Sprintf("%v: %s", err, msg)
	}
	if !bytes.Equal(stdout.Bytes(), p.want) {
		return 0, fmt.Sprintf("wrong output: got %q, want %q", clip(stdout.String()), clip(string(p.want)))
	}
	return d, ""
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
