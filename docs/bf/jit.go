package bf

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/snapshot"
)

// -- The JIT: hot counters, traces, running them ---------------------------------

// Stats counts what the JIT did.
type Stats struct {
	Traces   int // traces compiled
	Native   int // of which to machine code
	Aborts   int // recordings that aborted
	Black    int // loops blacklisted after repeated aborts
	Entries  int // times a trace was entered
	Exits    int // times a trace exited (every entry ends in one exit)
	HotExits int // exits guard.Tracker reported hot (no side traces yet)
}

// trace is one compiled loop.
type trace struct {
	id    guard.TraceID
	head  int          // the pc of the loop's first instruction
	ir    *irkit.Trace // the optimized IR (run by irkit.Interp without code)
	code  *emit.Trace  // machine code, or nil
	snaps *snapshot.Map
	force func(int) bool // the exits guard.Stress forces (nil: none)
}

type jit struct {
	vm     *VM
	traces []*trace // by head pc; nil: none
	hot    []int32  // by head pc: back edges counted towards recording
	black  []bool   // by head pc: never record again
	all    []*trace
	track  *guard.Tracker
	starts *guard.Starts
	in     irkit.Interp
	be     backend // nil: no machine code on this host
	state  emit.State
	spill  []uint64
	frames snapshot.Slots
	stats  Stats
}

// maxSpill bounds the spill area; a trace that needs more runs on the
// IR interpreter.
const maxSpill = 256

func newJIT(vm *VM) *jit {
	n := len(vm.prog.Code) + 1
	j := &jit{vm: vm, traces: make([]*trace, n), hot: make([]int32, n), black: make([]bool, n),
		track: guard.NewTracker(&vm.opt.Opt.Params), starts: guard.NewStarts(1),
		spill: make([]uint64, maxSpill)}
	j.in.MaxIter = 1 << 62 // loops end by their own guards, as in machine code
	if !vm.opt.Interp {
		if be, err := newBackend(); err == nil {
			j.be = be
		} else {
			j.logf("[no machine code: %v]\n", err)
		}
	}
	j.frames.Words = vm.slots
	return j
}

func (j *jit) pin(p *runtime.Pinner) { p.Pin(&j.spill[0]) }

func (j *jit) close() error {
	var err error
	if j.be != nil {
		for _, t := range j.all {
			if t.code != nil {
				err = errors.Join(err, j.be.free(t.code))
				t.code = nil
			}
		}
		err = errors.Join(err, j.be.close())
		j.be = nil
	}
	return err
}

func (j *jit) logf(format string, args ...any) {
	if j.vm.opt.Log != nil {
		fmt.Fprintf(j.vm.opt.Log, format, args...)
	}
}

// loop is called each time the interpreter is about to run the body of the
// loop starting at head with the tape pointer at p. It returns where the
// interpreter goes on.
func (j *jit) loop(head, p int) (int, int, error) {
	if t := j.traces[head]; t != nil {
		return j.enter(t, p)
	}
	if j.black[head] {
		return head, p, nil
	}
	j.hot[head]++
	if int(j.hot[head]) < j.vm.opt.Opt.HotLoop {
		return head, p, nil
	}
	j.hot[head] = 0
	return j.record(head, p)
}

// enter runs trace t from its head with the tape pointer at p, restores the
// interpreter state from the exit's snapshot and returns the pc to resume
// at and the tape pointer.
func (j *jit) enter(t *trace, p int) (int, int, error) {
	vm := j.vm
	vm.slots[0] = uint64(int64(int32(p)))
	j.stats.Entries++
	var exit int
	var pc uint64
	if t.code != nil {
		st := &j.state
		st.Exit = 0
		status := emit.Enter(t.code.Entry, j.stateAddr())
		if k := emit.StatusKind(status); k != emit.StatusExit && k != emit.StatusInterrupt {
			return 0, 0, fmt.Errorf("bf: trace %d returned status %#x", t.id, status)
		}
		if err := t.snaps.RestoreState(st, &j.frames); err != nil {
			return 0, 0, fmt.Errorf("bf: trace %d exit %d: %w", t.id, st.Exit, err)
		}
		exit, pc = int(st.Exit), j.frames.PC
	} else {
		j.in.Force = t.force
		ex, err := j.in.Run(t.ir, vm.slots)
		if err != nil {
			return 0, 0, fmt.Errorf("bf: trace %d: %w", t.id, err)
		}
		exit, pc = ex.Snap, ex.PC
	}
	j.stats.Exits++
	if j.track.Exit(t.id, exit) == guard.RecordSide {
		j.stats.HotExits++
	}
	return int(pc), int(int32(vm.slots[0])), nil
}

// record records the loop at head while interpreting it, then compiles
// the trace. It returns where the interpreter goes on: the recorder ran
// the interpreter meanwhile.
func (j *jit) record(head, p int) (int, int, error) {
	b := irkit.NewBuilder(nil)
	r := irkit.NewRecorder(b)
	rec := &recorder{vm: j.vm, p: p, head: head}
	err := r.Record(rec, uint64(head), j.vm.opt.Opt.MaxRecord)
	if rec.err != nil { // the program itself failed while recording
		return 0, 0, rec.err
	}
	if err == nil {
		err = j.install(head, b)
	}
	if err != nil {
		j.stats.Aborts++
		wait, black := j.starts.Abort(uint64(head))
		j.black[head] = black
		j.hot[head] = -int32(wait)
		if black {
			j.stats.Black++
		}
		j.logf("[abort loop at pc %d: %v]\n", head, err)
	}
	return rec.pc, rec.p, nil
}

// install optimizes a recorded trace, compiles it and makes the loop at
// head enter it from now on.
func (j *jit) install(head int, b *irkit.Builder) error {
	t := b.T
	t.DCE()
	if t.Looping && j.vm.opt.Opt.Flags&guard.Loop != 0 {
		// No DCE after LoopOpt: irkit's DCE drops a PHI whose left value
		// is used only inside the loop body and by no snapshot (its
		// fixpoint never revisits the PHI), which breaks loops that keep
		// a cell value in a register across the back edge.
		if err := b.LoopOpt(); err != nil {
			return err
		}
	}
	if err := t.Verify(); err != nil {
		return err
	}
	tr := &trace{id: j.track.NewTrace(t.NumSnaps()), head: head, ir: t}
	tr.force = j.vm.opt.Stress.Forcer(tr.id) // forced guards exit, on both paths
	path := "irkit.Interp"
	if j.be != nil {
		code, snaps, err := j.be.compile(t, tr.force)
		switch {
		case err != nil:
			j.logf("[trace %d: no machine code: %v]\n", tr.id, err)
		case code.NSpill > maxSpill:
			j.be.free(code)
			j.logf("[trace %d: no machine code: %d spill slots]\n", tr.id, code.NSpill)
		default:
			tr.code, tr.snaps = code, snaps
			path = j.be.name()
			j.stats.Native++
		}
	}
	j.traces[head] = tr
	j.all = append(j.all, tr)
	j.starts.Success(uint64(head))
	j.stats.Traces++
	kind := "loop"
	if !t.Looping && t.Loop == irkit.NoRef {
		kind = "stop"
	}
	j.logf("[trace %d at pc %d: %s, %d IR, %d snapshots, %s]\n", tr.id, head, kind, t.Len(), t.NumSnaps(), path)
	return nil
}
