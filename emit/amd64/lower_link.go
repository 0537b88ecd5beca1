package amd64

// -- Linking exits to side traces ---------------------------------------------------
//
// Every exit stub ends with a jmp rel32 to the common handler. Linking a
// side trace rewrites that jump (emit.Mem.Patch flips one page to
// read-write and back, never writable and executable at once) to jump to
// the side trace's entry instead. The stub's register saves still run
// first, so a side trace starts with the parent's exit values where the
// parent's emit.Trace.Locs says (State.Regs and the spill area) and RDI
// holding the state: it reads them as a snapshot restorer would, and the
// side trace needs no knowledge of the parent's register assignment. It
// returns to Enter's caller with its own status. The price, against
// LuaJIT's patching of the guard's branch itself, is the stores and loads
// through State.Regs on a linked exit: a few nanoseconds per exit taken,
// nothing on the fast path.

import (
	"fmt"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/guard"
)

// Linker knows the compiled traces of a guard.Tracker by TraceID and
// patches exits to side traces: it implements guard.Patcher.
type Linker struct {
	Mem    *emit.Mem
	traces []*emit.Trace // index TraceID-1
}

// Add records the compiled trace with id.
func (k *Linker) Add(id guard.TraceID, t *emit.Trace) error {
	if id == 0 || t == nil {
		return fmt.Errorf("amd64: Linker.Add: bad trace %d", id)
	}
	for len(k.traces) < int(id) {
		k.traces = append(k.traces, nil)
	}
	k.traces[id-1] = t
	return nil
}

// Trace returns the compiled trace with id, or nil.
func (k *Linker) Trace(id guard.TraceID) *emit.Trace {
	if id == 0 || int(id) > len(k.traces) {
		return nil
	}
	return k.traces[id-1]
}

// PatchExit retargets every branch of exit of parent to side's entry.
func (k *Linker) PatchExit(parent guard.TraceID, exit int, side guard.TraceID) error {
	p, s := k.Trace(parent), k.Trace(side)
	if p == nil || s == nil {
		return fmt.Errorf("amd64: PatchExit: unknown trace (parent %d, side %d)", parent, side)
	}
	n := 0
	for _, st := range p.Sites {
		if int(st.Exit) != exit {
			continue
		}
		b, err := PatchJmp(st.Addr, s.Entry)
		if err != nil {
			return err
		}
		if err := k.Mem.Patch(st.Addr, b[:]); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("amd64: PatchExit: trace %d has no branch for exit %d", parent, exit)
	}
	return nil
}

var _ guard.Patcher = (*Linker)(nil)
