package guard

import "fmt"

// -- Exits, hot exits and side-trace links -------------------------------------

// TraceID names a trace in a Tracker. IDs start at 1, so 0 means "none".
type TraceID uint32

// Decision is what the language should do after an exit was taken.
type Decision uint8

const (
	// Stay: resume in the interpreter; nothing else to do.
	Stay Decision = iota
	// RecordSide: this exit is hot; record a side trace from its snapshot,
	// then report the outcome with Link or SideAborted.
	RecordSide
)

// Patcher retargets the branch of an exit at the entry of another trace. The
// backend implements it (on amd64 by rewriting a jump's displacement, on
// arm64 perhaps through a jump table in data memory), keeping code memory
// never writable and executable at once.
type Patcher interface {
	PatchExit(parent TraceID, exit int, side TraceID) error
}

// exitState is the bookkeeping of one exit of one trace.
type exitState struct {
	count uint32  // times taken since the last side-trace attempt
	total uint64  // times taken in all
	tries uint8   // side-trace recordings that aborted
	side  TraceID // the linked side trace, or 0
}

type traceState struct {
	parent TraceID // 0 for a root trace
	root   TraceID
	exit   int // the parent's exit this side trace starts from
	sides  int // side traces linked below this root (roots only)
	exits  []exitState
}

// Tracker holds the exit counters and links of every trace of a JIT.
// It is not safe for concurrent use; a VM owns one.
type Tracker struct {
	p      *Params
	traces []traceState // index TraceID-1
}

// NewTracker returns a Tracker that decides by p; later changes to *p take
// effect at once.
func NewTracker(p *Params) *Tracker { return &Tracker{p: p} }

// NewTrace registers a root trace with nexits exits (snapshots).
func (t *Tracker) NewTrace(nexits int) TraceID {
	t.traces = append(t.traces, traceState{exits: make([]exitState, nexits)})
	id := TraceID(len(t.traces))
	t.traces[id-1].root = id
	return id
}

// NewSide registers a side trace that starts at exit of parent, before it is
// linked. It counts against the root's MaxSide.
func (t *Tracker) NewSide(parent TraceID, exit, nexits int) (TraceID, error) {
	if _, err := t.exit(parent, exit); err != nil {
		return 0, err
	}
	root := t.traces[parent-1].root
	if t.traces[root-1].sides >= t.p.MaxSide {
		return 0, fmt.Errorf("trace %d has %d side traces (maxside)", root, t.traces[root-1].sides)
	}
	t.traces[root-1].sides++
	t.traces = append(t.traces, traceState{parent: parent, root: root, exit: exit, exits: make([]exitState, nexits)})
	return TraceID(len(t.traces)), nil
}

func (t *Tracker) exit(tr TraceID, exit int) (*exitState, error) {
	if tr == 0 || int(tr) > len(t.traces) {
		return nil, fmt.Errorf("no trace %d", tr)
	}
	ex := t.traces[tr-1].exits
	if exit < 0 || exit >= len(ex) {
		return nil, fmt.Errorf("trace %d has no exit %d", tr, exit)
	}
	return &ex[exit], nil
}

// Exit counts one taking of exit of trace tr and says what to do next.
// Out-of-range arguments are a bug in the caller and return Stay.
func (t *Tracker) Exit(tr TraceID, exit int) Decision {
	e, err := t.exit(tr, exit)
	if err != nil {
		return Stay
	}
	e.total++
	if e.side != 0 || int(e.tries) >= t.p.TrySide {
		return Stay
	}
	e.count++
	if int(e.count) >= t.p.HotExit {
		e.count = 0
		return RecordSide
	}
	return Stay
}

// SideAborted records that the side trace recorded from exit of tr did not
// compile. After TrySide failures the exit is never tried again.
func (t *Tracker) SideAborted(tr TraceID, exit int) {
	if e, err := t.exit(tr, exit); err == nil && e.tries < 255 {
		e.tries++
	}
}

// Link records that side, registered with NewSide from exit of tr, compiled,
// and asks p to retarget the exit at it.
func (t *Tracker) Link(tr TraceID, exit int, side TraceID, p Patcher) error {
	e, err := t.exit(tr, exit)
	if err != nil {
		return err
	}
	if side == 0 || int(side) > len(t.traces) || t.traces[side-1].parent != tr || t.traces[side-1].exit != exit {
		return fmt.Errorf("trace %d was not registered as a side trace of trace %d exit %d", side, tr, exit)
	}
	if e.side != 0 {
		return fmt.Errorf("exit %d of trace %d is already linked to trace %d", exit, tr, e.side)
	}
	if p != nil {
		if err := p.PatchExit(tr, exit, side); err != nil {
			return err
		}
	}
	e.side = side
	return nil
}

// ExitInfo describes one exit for dumps and tools.
type ExitInfo struct {
	Taken uint64  // times taken through the interpreter
	Tries int     // failed side-trace attempts
	Side  TraceID // the linked side trace, or 0
}

// Info reports the state of exit of trace tr.
func (t *Tracker) Info(tr TraceID, exit int) (ExitInfo, error) {
	e, err := t.exit(tr, exit)
	if err != nil {
		return ExitInfo{}, err
	}
	return ExitInfo{Taken: e.total, Tries: int(e.tries), Side: e.side}, nil
}

// Parent returns the trace and exit a side trace starts from; ok is false
// for a root trace or an unknown ID.
func (t *Tracker) Parent(tr TraceID) (parent TraceID, exit int, ok bool) {
	if tr == 0 || int(tr) > len(t.traces) || t.traces[tr-1].parent == 0 {
		return 0, 0, false
	}
	s := t.traces[tr-1]
	return s.parent, s.exit, true
}

// NumExits is the number of exits of trace tr (0 for an unknown trace).
func (t *Tracker) NumExits(tr TraceID) int {
	if tr == 0 || int(tr) > len(t.traces) {
		return 0
	}
	return len(t.traces[tr-1].exits)
}

// NumTraces is the number of traces registered.
func (t *Tracker) NumTraces() int { return len(t.traces) }
