package lab2

import (
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/jitkit/jitkit/docs/bf"
	"github.com/jitkit/jitkit/irkit"
)

// A case is a program whose first "[" starts the loop to record, the
// tape's first cells and the pointer when the loop is entered.
type lcase struct {
	name  string
	src   string
	cells []uint64
	p     int
}

var cases = []lcase{
	{"move", "[>+<-]", []uint64{5}, 0},
	{"scale", "[->>+++<<]", []uint64{10}, 0},
	{"wrap", "[+++>+<]", []uint64{1}, 0},
	{"skip-inner", "[>[-]<-]", []uint64{6}, 0},
	{"inner-later", "[>[-]+<-]", []uint64{4}, 0}, // the inner loop iterates from the 2nd iteration: its guard exits
	{"scan-right", "[>]", []uint64{1, 1, 1, 1, 1, 0}, 0},
	{"scan-left", "[<]", []uint64{0, 3, 3, 3}, 3},
	{"off-right", "[>]", nil, 0},        // every cell is 1: the pointer leaves the tape
	{"off-right-write", "[>+]", nil, 0}, // ... writing: a missing bounds guard would write past the tape
	{"off-left", "[<]", []uint64{1, 1, 1}, 2},
	{"two-cells", "[>+>++<<-]", []uint64{200}, 0},
}

const (
	tapeLen = 64
	// margin words on each side of the tape must stay zero; maxIter
	// bounds a trace's iterations below it, so a trace without bounds
	// guards fails the test instead of crashing it.
	margin  = 400
	maxIter = 300
)

// interpret is the test's own interpreter: it runs from pc with pointer p
// until pc reaches end (after at least one instruction) and returns the
// pointer.
func interpret(prog *bf.Program, tape []uint64, pc, p, end int) (int, error) {
	for steps := 0; steps == 0 || pc != end; steps++ {
		if steps > 1<<22 {
			return p, errors.New("interpreter: too many steps")
		}
		ins := prog.Code[pc]
		if ins.Op == bf.OpMove {
			p += int(ins.N)
			pc++
			continue
		}
		if uint(p) >= uint(len(tape)) {
			return p, fmt.Errorf("pointer %d off the tape at pc %d", p, pc)
		}
		switch ins.Op {
		case bf.OpAdd:
			tape[p] = (tape[p] + uint64(ins.N)) & 255
		case bf.OpOpen:
			if tape[p] == 0 {
				pc = int(ins.N) + 1
				continue
			}
		case bf.OpClose:
			if tape[p] != 0 {
				pc = int(ins.N) + 1
				continue
			}
		case bf.OpOut, bf.OpIn:
			// Not in these programs.
		}
		pc++
	}
	return p, nil
}

// setup parses c and returns the program, the loop's head and end, and a
// tape inside a larger, zeroed backing array whose margins must stay zero.
func setup(t *testing.T, c lcase) (prog *bf.Program, head, end int, backing, tape []uint64) {
	prog, err := bf.Parse([]byte(c.src))
	if err != nil {
		t.Fatal(err)
	}
	head = 1
	end = int(prog.Code[0].N) + 1
	backing = make([]uint64, tapeLen+2*margin)
	tape = backing[margin : margin+tapeLen]
	if c.cells == nil {
		for i := range tape {
			tape[i] = 1
		}
	}
	copy(tape, c.cells)
	return
}

func margins(backing []uint64) bool {
	for i, w := range backing {
		if (i < margin || i >= margin+tapeLen) && w != 0 {
			return false
		}
	}
	return true
}

// runCase records c's loop, runs the trace on irkit's interpreter from the
// state after the recorded iteration, resumes the test's interpreter at
// the exit, and compares the final state with the test's interpreter run
// from the start. force, if >= 0, rewrites the guards of that snapshot
// into guards that always fail.
func runCase(t *testing.T, c lcase, force int) (nsnaps int) {
	t.Helper()
	prog, head, end, _, want := setup(t, c)
	wantP, wantErr := interpret(prog, want, head, c.p, end)

	_, _, _, backing, tape := setup(t, c)
	var pin runtime.Pinner
	pin.Pin(&backing[0])
	defer pin.Unpin()
	tr, err := newImpl().Record(prog, head, tape, c.p)
	if err != nil {
		// An abort is allowed when the first iteration already fails
		// (the pointer leaves the tape) or the loop ends in it.
		var ae *irkit.AbortError
		if !errors.As(err, &ae) && wantErr == nil {
			t.Fatalf("%s: Record: %v", c.name, err)
		}
		return 0
	}
	if err := tr.Verify(); err != nil {
		t.Fatalf("%s: Verify: %v\n%s", c.name, err, tr)
	}
	// The recorded iteration ran on the tape: replay it on a copy.
	_, _, _, _, once := setup(t, c)
	// The loop's "]" jumps back to head: one iteration ends there.
	p1, err := interpret(prog, once, head, c.p, head)
	if err != nil {
		t.Fatalf("%s: the first iteration fails (%v) but Record succeeded", c.name, err)
	}
	for i := range once {
		if once[i] != tape[i] {
			t.Fatalf("%s: after recording, cell %d = %d, want %d", c.name, i, tape[i], once[i])
		}
	}
	if force >= 0 {
		k, _ := tr.KInt(0)
		for ref := irkit.First; ref < tr.Next(); ref++ {
			ins := tr.At(ref)
			if si, ok := tr.GuardSnap(ref); ok && si == force && ins.Op.Has(irkit.FCmp) {
				*ins = irkit.Ins{Op: irkit.NE, T: irkit.TInt | irkit.TGuard, Op1: k, Op2: k}
			}
		}
	}
	slots := []uint64{uint64(int64(int32(p1)))}
	in := irkit.Interp{MaxIter: maxIter}
	ex, err := in.Run(tr, slots)
	if err != nil {
		t.Fatalf("%s: trace: %v\n%s", c.name, err, tr)
	}
	if !margins(backing) {
		t.Fatalf("%s: the trace wrote outside the tape: a bounds guard is missing\n%s", c.name, tr)
	}
	gotP, gotErr := interpret(prog, tape, int(ex.PC), int(int32(slots[0])), end)
	if (gotErr != nil) != (wantErr != nil) || gotP != wantP {
		t.Fatalf("%s (force %d): resumed at pc %d: pointer %d, err %v; want %d, %v\n%s", c.name, force, ex.PC, gotP, gotErr, wantP, wantErr, tr)
	}
	for i := range want {
		if want[i] != tape[i] {
			t.Fatalf("%s (force %d): cell %d = %d, want %d\n%s", c.name, force, i, tape[i], want[i], tr)
		}
	}
	return tr.NumSnaps()
}

// TestLoops: each loop, recorded and run as a trace, then finished by the
// interpreter from the exit, ends exactly as the interpreter alone.
func TestLoops(t *testing.T) {
	for _, c := range cases {
		runCase(t, c, -1)
	}
}

// TestEveryExit forces each snapshot's guards to fail in turn: every exit
// must resume the interpreter exactly.
func TestEveryExit(t *testing.T) {
	n := 0
	for _, c := range cases {
		ns := runCase(t, c, -1)
		for s := 0; s < ns; s++ {
			runCase(t, c, s)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no snapshot was forced")
	}
	t.Logf("%d forced exits", n)
}

// TestLooping: a loop whose body has no I/O closes into a looping trace
// with a guard on the loop condition.
func TestLooping(t *testing.T) {
	prog, head, _, backing, tape := setup(t, cases[0])
	var pin runtime.Pinner
	pin.Pin(&backing[0])
	defer pin.Unpin()
	tr, err := newImpl().Record(prog, head, tape, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Looping {
		t.Errorf("trace not looping:\n%s", tr)
	}
	guards := 0
	for ref := irkit.First; ref < tr.Next(); ref++ {
		if tr.Ins(ref).T.IsGuard() {
			guards++
		}
	}
	if guards < 2 {
		t.Errorf("%d guards, want a bounds guard and the loop condition at least:\n%s", guards, tr)
	}
}
