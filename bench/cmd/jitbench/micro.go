package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// microResult is one Go benchmark, with every sample of every unit it
// reported (ns/op, B/op, allocs/op and custom metrics such as ns/ins).
type microResult struct {
	pkg, name string
	units     []string             // in the order the benchmark printed them
	samples   map[string][]float64 // unit -> one value per -count run
}

// runMicro runs the Go benchmarks of every package of the module.
func runMicro(root string, count int, quick bool) ([]*microResult, error) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", strconv.Itoa(count)}
	if quick {
		args = append(args, "-benchtime", "50ms")
	}
	args = append(args, "./...")
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	fmt.Fprintf(os.Stderr, "jitbench: go %s\n", strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		os.Stderr.Write(out.Bytes())
		return nil, fmt.Errorf("go test -bench: %v", err)
	}
	return parseBench(out.Bytes()), nil
}

// parseBench reads `go test -bench` output. A result line is
//
//	BenchmarkName-2   1000000   1052 ns/op   0 B/op   0 allocs/op   3.1 ns/ins
//
// and the "pkg:" line before it names the package.
func parseBench(out []byte) []*microResult {
	var (
		pkg   string
		order []*microResult
		byKey = map[string]*microResult{}
	)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		key := pkg + " " + name
		m := byKey[key]
		if m == nil {
			m = &microResult{pkg: pkg, name: name, samples: map[string][]float64{}}
			byKey[key] = m
			order = append(order, m)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			unit := f[i+1]
			if _, seen := m.samples[unit]; !seen {
				m.units = append(m.units, unit)
			}
			m.samples[unit] = append(m.samples[unit], v)
		}
	}
	return order
}
