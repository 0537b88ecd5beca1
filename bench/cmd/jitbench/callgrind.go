package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// countRow is the number of instructions one implementation executed on a
// quick run of one program.
type countRow struct {
	prog, impl string
	instr      int64
	err        string
}

var collectedRE = regexp.MustCompile(`Collected : (\d+)`)

// runCallgrind counts the instructions demo-lang (JIT on and off) executes
// on each program at its quick size. Instruction counts do not depend on
// what else the machine is doing, so they track the interpreter and the JIT
// across changes without noise.
func runCallgrind(root, dir, only string) []countRow {
	vg, err := exec.LookPath("valgrind")
	if err != nil {
		fmt.Fprintln(os.Stderr, "jitbench: valgrind not installed; no instruction counts")
		return nil
	}
	progs, err := loadPrograms(dir, true, only)
	if err != nil {
		return []countRow{{err: err.Error()}}
	}
	demo := filepath.Join(root, "bin", "demolang")
	var rows []countRow
	for _, p := range progs {
		for _, mode := range [][]string{{"demolang"}, {"demolang -joff", "-j", "off"}} {
			args := append([]string{"--tool=callgrind", "--callgrind-out-file=/dev/null", demo}, mode[1:]...)
			args = append(args, p.file, p.size)
			cmd := exec.Command(vg, args...)
			cmd.Dir = filepath.Dir(p.file)
			// Go's asynchronous preemption signals trip an assertion in
			// callgrind's signal handling; without them the counts are
			// also more repeatable.
			cmd.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1")
			out, err := cmd.CombinedOutput()
			row := countRow{prog: p.name, impl: mode[0]}
			m := collectedRE.FindSubmatch(out)
			switch {
			case err != nil:
				row.err = strings.TrimSpace(lastLine(string(out)))
			case m == nil:
				row.err = "no 'Collected' line in valgrind output"
			default:
				row.instr, _ = strconv.ParseInt(string(m[1]), 10, 64)
			}
			fmt.Fprintf(os.Stderr, "%-12s %-16s callgrind %d %s\n", row.prog, row.impl, row.instr, row.err)
			rows = append(rows, row)
		}
	}
	return rows
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
