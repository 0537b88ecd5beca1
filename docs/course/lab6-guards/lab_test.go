package lab6

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/docs/bf"
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

type lowerer interface {
	Target() *regalloc.Target
	Compile(tr *irkit.Trace, res *regalloc.Result) (*emit.Trace, error)
	Close() error
}

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
	{"inner-later", "[>[-]+<-]", []uint64{4}, 0},
	{"scan-right", "[>]", []uint64{1, 1, 1, 1, 1, 0}, 0},
	{"off-right", "[>]", nil, 0},
	{"off-left", "[<]", []uint64{1, 1, 1}, 2},
	{"spread", "[>+>++>+++>++++>+++++>++++++<<<<<<-]", []uint64{9}, 0},
}

const tapeLen = 64

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
		}
		pc++
	}
	return p, nil
}

func setup(t *testing.T, c lcase) (*bf.Program, []uint64, []uint64) {
	prog, err := bf.Parse([]byte(c.src))
	if err != nil {
		t.Fatal(err)
	}
	backing := make([]uint64, tapeLen+256)
	tape := backing[128 : 128+tapeLen]
	if c.cells == nil {
		for i := range tape {
			tape[i] = 1
		}
	}
	copy(tape, c.cells)
	return prog, backing, tape
}

// runCase records c's loop with docs/bf's recorder (a looping trace that
// the machine code restarts at its loop snapshot), forces the guards of snapshot force (if >= 0) to fail, compiles it to
// machine code, runs it, restores through the Restorer, resumes the
// test's interpreter at the returned pc and compares the end state with
// the interpreter alone.
func runCase(t *testing.T, low lowerer, c lcase, force int) (nsnaps int, ran bool) {
	t.Helper()
	prog, _, want := setup(t, c)
	end := int(prog.Code[0].N) + 1
	wantP, wantErr := interpret(prog, want, 1, c.p, end)

	prog, backing, tape := setup(t, c)
	var pin runtime.Pinner
	pin.Pin(&backing[0])
	defer pin.Unpin()
	tr, err := bf.RecordLoop(prog, 1, tape, c.p)
	if err != nil {
		return 0, false // the first iteration failed or left the loop
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
	res, err := regalloc.Alloc(low.Target(), tr)
	if err != nil {
		t.Fatalf("%s: Alloc: %v", c.name, err)
	}
	code, err := low.Compile(tr, res)
	if err != nil {
		t.Fatalf("%s: Compile: %v\n%s", c.name, err, res.Format(tr))
	}
	slots := []uint64{0, 0}
	spill := make([]uint64, max(code.NSpill, 1))
	pin.Pin(&slots[0])
	pin.Pin(&spill[0])
	st := &emit.State{Slots: uintptr(unsafe.Pointer(&slots[0])), Spill: uintptr(unsafe.Pointer(&spill[0]))}
	pin.Pin(st)
	slots[0] = uint64(int64(int32(recordedP(c)))) // the recorder ran one iteration
	status := emit.Enter(code.Entry, uintptr(unsafe.Pointer(st)))
	// The loop leaves at a back edge when the Go runtime asks the goroutine
	// to stop (emit.StackPreempt): restore that exit and enter again, as a
	// VM does.
	for tries := 0; emit.StatusKind(status) == emit.StatusInterrupt && tries < 100; tries++ {
		if _, err := newImpl().Restore(tr, code, low.Target(), st, spill, slots); err != nil {
			t.Fatalf("%s (force %d): Restore after an interrupt: %v", c.name, force, err)
		}
		status = emit.Enter(code.Entry, uintptr(unsafe.Pointer(st)))
	}
	if emit.StatusKind(status) != emit.StatusExit {
		t.Fatalf("%s: status %#x", c.name, status)
	}
	pc, err := newImpl().Restore(tr, code, low.Target(), st, spill, slots)
	if err != nil {
		t.Fatalf("%s (force %d): Restore: %v", c.name, force, err)
	}
	if w := slots[0]; w != uint64(int64(int32(w))) {
		t.Fatalf("%s (force %d): slot 0 holds %#x, not a TInt value word (sign-extended int32)", c.name, force, w)
	}
	gotP, gotErr := interpret(prog, tape, int(pc), int(int32(slots[0])), end)
	if (gotErr != nil) != (wantErr != nil) || gotP != wantP {
		t.Fatalf("%s (force %d): exit %d, resumed at pc %d: pointer %d, err %v; want %d, %v\n%s",
			c.name, force, st.Exit, pc, gotP, gotErr, wantP, wantErr, res.Format(tr))
	}
	for i := range want {
		if want[i] != tape[i] {
			t.Fatalf("%s (force %d): cell %d = %d, want %d", c.name, force, i, tape[i], want[i])
		}
	}
	return tr.NumSnaps(), true
}

// recordedP is the pointer after one iteration of c's loop.
func recordedP(c lcase) int {
	prog, _ := bf.Parse([]byte(c.src))
	tape := make([]uint64, tapeLen)
	if c.cells == nil {
		for i := range tape {
			tape[i] = 1
		}
	}
	copy(tape, c.cells)
	p, _ := interpret(prog, tape, 1, c.p, 1)
	return p
}

func newLow(t *testing.T) (lowerer, func()) {
	mem := emit.NewMem(0)
	low, err := newLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	return low, func() { low.Close(); mem.Close() }
}

// TestExits runs each loop in machine code to its natural exit, then once
// more for every snapshot with that snapshot's guards forced to fail.
func TestExits(t *testing.T) {
	low, done := newLow(t)
	defer done()
	forced := 0
	for _, c := range cases {
		ns, ran := runCase(t, low, c, -1)
		if !ran {
			continue
		}
		for s := 0; s < ns; s++ {
			runCase(t, low, c, s)
			forced++
		}
	}
	t.Logf("%d forced exits", forced)
	if forced == 0 {
		t.Fatal("no exit was forced")
	}
}
