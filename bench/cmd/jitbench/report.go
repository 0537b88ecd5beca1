package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

// report is everything one run of the harness measured.
type report struct {
	date    time.Time
	machine string
	quick   bool
	runs    int
	micro   []*microResult
	impls   []impl
	suite   map[string]map[string]*result // program -> implementation -> result
	counts  []countRow
}

// describeMachine names the CPU, cores, OS and tool versions the figures
// were measured with.
func describeMachine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	parts := []string{fmt.Sprintf("%s, %d cores, %s/%s, %s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())}
	for _, v := range [][]string{{"luajit", "-v"}, {"lua5.1", "-v"}, {"lua5.4", "-v"}} {
		if out, err := exec.Command(v[0], v[1]).CombinedOutput(); err == nil {
			line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, "; ")
}

// failures counts the wrong answers and failed runs: demolang's (ours, a
// bug) and the peers' (theirs: Lua 5.4 and gopher-lua print some numbers
// differently from Lua 5.1, and gopher-lua runs out of registry on
// strings). Both are in the report; only ours fail the run.
func (r *report) failures() (ours, peers int) {
	for _, byImpl := range r.suite {
		for name, res := range byImpl {
			if res.fail == "" {
				continue
			}
			if strings.HasPrefix(name, "demolang") {
				ours++
			} else {
				peers++
			}
		}
	}
	return ours, peers
}

func (r *report) programs() []string {
	var names []string
	for name := range r.suite {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// median of an implementation on a program in seconds; ok is false if it
// failed or did not run.
func (r *report) median(prog, im string) (summary, bool) {
	res := r.suite[prog][im]
	if res == nil || res.fail != "" || len(res.times) == 0 {
		return summary{}, false
	}
	xs := make([]float64, len(res.times))
	for i, d := range res.times {
		xs[i] = d.Seconds()
	}
	return summarize(xs), true
}

// baseline is the implementation ratios are taken against: LuaJIT when it
// is installed, else the first implementation.
func (r *report) baseline() string {
	for _, im := range r.impls {
		if im.name == "luajit" {
			return im.name
		}
	}
	if len(r.impls) > 0 {
		return r.impls[0].name
	}
	return ""
}

// numericPrograms are the programs issue #8's targets name: numeric loops
// a tracing JIT should make fast.
var numericPrograms = []string{"loop", "mandelbrot", "nbody", "spectral", "fannkuch", "sieve", "matmul"}

func isNumeric(p string) bool {
	for _, n := range numericPrograms {
		if n == p {
			return true
		}
	}
	return false
}

// hasImpl reports whether the report has a column named name.
func (r *report) hasImpl(name string) bool {
	for _, im := range r.impls {
		if im.name == name {
			return true
		}
	}
	return false
}

func (r *report) markdown() string {
	var b strings.Builder
	size := "default sizes, reference outputs NAME.out"
	if r.quick {
		size = "quick sizes (quick-sizes.txt), reference outputs NAME.quick.out"
	}
	fmt.Fprintf(&b, "# Performance\n\nMeasured by `make bench` (bench/cmd/jitbench) on %s.\n\n", r.date.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "Machine: %s.\n\n", r.machine)
	if len(r.suite) > 0 {
		base := r.baseline()
		fmt.Fprintf(&b, "## Whole programs\n\n%s; %d interleaved runs per cell. ", size, r.runs)
		fmt.Fprintf(&b, "Each cell: median seconds (min–max) and, in brackets, the ratio to %s's median (lower is faster). "+
			"A wrong answer is reported as FAIL and never timed.\n\n", base)
		b.WriteString("| program |")
		for _, im := range r.impls {
			fmt.Fprintf(&b, " %s |", im.name)
		}
		b.WriteString("\n|---|")
		for range r.impls {
			b.WriteString("---:|")
		}
		b.WriteString("\n")
		ratios, numeric := map[string][]float64{}, map[string][]float64{}
		for _, p := range r.programs() {
			fmt.Fprintf(&b, "| %s |", p)
			bs, bok := r.median(p, base)
			for _, im := range r.impls {
				if res := r.suite[p][im.name]; res != nil && res.fail != "" {
					fmt.Fprintf(&b, " FAIL: %s |", strings.ReplaceAll(res.fail, "|", "/"))
					continue
				}
				s, ok := r.median(p, im.name)
				if !ok {
					b.WriteString(" – |")
					continue
				}
				cell := fmt.Sprintf("%.3f (%.3f–%.3f)", s.median, s.min, s.max)
				if bok && bs.median > 0 {
					ratio := s.median / bs.median
					ratios[im.name] = append(ratios[im.name], ratio)
					if isNumeric(p) {
						numeric[im.name] = append(numeric[im.name], ratio)
					}
					cell += fmt.Sprintf(" [%.2f×]", ratio)
				}
				fmt.Fprintf(&b, " %s |", cell)
			}
			b.WriteString("\n")
		}
		geoRow := func(label string, rs map[string][]float64) {
			fmt.Fprintf(&b, "| %s |", label)
			for _, im := range r.impls {
				if g := geomean(rs[im.name]); !math.IsNaN(g) {
					fmt.Fprintf(&b, " %.2f× (%d programs) |", g, len(rs[im.name]))
				} else {
					b.WriteString(" – |")
				}
			}
			b.WriteString("\n")
		}
		geoRow("geometric mean of ratios to "+base, ratios)
		geoRow("geometric mean, numeric programs ("+strings.Join(numericPrograms, ", ")+")", numeric)
		b.WriteString("\n")
		// The JIT against its own interpreter, per program.
		if jit, off := "demolang", "demolang -joff"; r.hasImpl(jit) && r.hasImpl(off) {
			var parts []string
			for _, p := range r.programs() {
				j, ok1 := r.median(p, jit)
				o, ok2 := r.median(p, off)
				if ok1 && ok2 && j.median > 0 {
					parts = append(parts, fmt.Sprintf("%s %.1f×", p, o.median/j.median))
				}
			}
			if len(parts) > 0 {
				fmt.Fprintf(&b, "demolang's JIT against its own interpreter (median of `%s` over median of `%s`): %s.\n\n", off, jit, strings.Join(parts, ", "))
			}
		}
	}
	if len(r.counts) > 0 {
		b.WriteString("## Instruction counts (callgrind, quick sizes)\n\n")
		b.WriteString("Instructions executed by the whole process, from `valgrind --tool=callgrind`: repeatable for the same binary and input, whatever the machine is doing.\n\n")
		b.WriteString("| program | implementation | instructions |\n|---|---|---:|\n")
		for _, c := range r.counts {
			if c.err != "" {
				fmt.Fprintf(&b, "| %s | %s | FAIL: %s |\n", c.prog, c.impl, c.err)
			} else {
				fmt.Fprintf(&b, "| %s | %s | %d |\n", c.prog, c.impl, c.instr)
			}
		}
		b.WriteString("\n")
	}
	if len(r.micro) > 0 {
		b.WriteString("## Go micro-benchmarks\n\n")
		b.WriteString("`go test -bench` per package; each figure is the median over the runs, with a distribution-free confidence interval for the median (its coverage in brackets: with fewer than 6 runs min–max is the widest interval there is).\n\n")
		b.WriteString("| package | benchmark | metric | median | interval |\n|---|---|---|---:|---|\n")
		for _, m := range r.micro {
			for _, u := range m.units {
				s := summarize(m.samples[u])
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s–%s (%.0f%%) |\n",
					strings.TrimPrefix(m.pkg, "github.com/jitkit/jitkit/"), strings.TrimPrefix(m.name, "Benchmark"), u,
					num(s.median), num(s.lo), num(s.hi), 100*s.level)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// num prints a figure with three significant digits, without exponent
// notation for the magnitudes benchmarks report.
func num(x float64) string {
	switch {
	case x == 0:
		return "0"
	case math.Abs(x) >= 100:
		return fmt.Sprintf("%.0f", x)
	case math.Abs(x) >= 10:
		return fmt.Sprintf("%.1f", x)
	case math.Abs(x) >= 1:
		return fmt.Sprintf("%.2f", x)
	default:
		return fmt.Sprintf("%.3g", x)
	}
}

// svg draws the ratio to the baseline per program and implementation as
// grouped horizontal bars on a logarithmic axis, with 1× marked.
func (r *report) svg() string {
	base := r.baseline()
	progs := r.programs()
	var impls []string
	for _, im := range r.impls {
		if im.name != base {
			impls = append(impls, im.name)
		}
	}
	const (
		left, top, width, barH, gap = 140.0, 40.0, 560.0, 9.0, 8.0
		minR, maxR                  = 0.1, 100.0
	)
	colors := []string{"#1b6ac9", "#7fb3f0", "#d9534f", "#f0ad4e", "#5cb85c", "#8e44ad", "#555555"}
	groupH := float64(len(impls))*barH + gap
	height := top + float64(len(progs))*groupH + 30 + 16*float64(len(impls))
	x := func(ratio float64) float64 {
		ratio = math.Max(minR, math.Min(maxR, ratio))
		return left + width*(math.Log10(ratio)-math.Log10(minR))/(math.Log10(maxR)-math.Log10(minR))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`+"\n", left+width+30, height)
	fmt.Fprintf(&b, `<text x="%.0f" y="16" font-size="13">Time relative to %s (log scale, lower is faster), %s</text>`+"\n", left, base, r.date.Format("2006-01-02"))
	for _, t := range []float64{0.1, 0.3, 1, 3, 10, 30, 100} {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="%s"/>`+"\n", x(t), top-6, x(t), top+float64(len(progs))*groupH, map[bool]string{true: "#000", false: "#ddd"}[t == 1])
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%g×</text>`+"\n", x(t), top-9, t)
	}
	for i, p := range progs {
		y0 := top + float64(i)*groupH
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y0+groupH/2, p)
		bs, ok := r.median(p, base)
		for j, im := range impls {
			s, ok2 := r.median(p, im)
			if !ok || !ok2 || bs.median <= 0 {
				continue
			}
			ratio := s.median / bs.median
			y := y0 + float64(j)*barH
			x1, x2 := math.Min(x(1), x(ratio)), math.Max(x(1), x(ratio))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %.2f×</title></rect>`+"\n",
				x1, y, math.Max(x2-x1, 1), barH-1, colors[j%len(colors)], p, im, ratio)
		}
	}
	ly := top + float64(len(progs))*groupH + 20
	for j, im := range impls {
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="10" height="10" fill="%s"/><text x="%.0f" y="%.0f">%s</text>`+"\n",
			left, ly+16*float64(j), colors[j%len(colors)], left+16, ly+16*float64(j)+9, im)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
