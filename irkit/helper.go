package irkit

import (
	"errors"
	"sync"
)

// HelperFunc is the Go implementation of a helper: it receives the
// argument words (as the interpreter holds them: TInt sign-extended, TNum
// as bits) and returns the result word. It must not retain args.
type HelperFunc func(args []uint64) uint64

// MaxArgs is the most arguments a helper call may pass.
const MaxArgs = 8

// Helper describes a function a trace may call. CALLN may name only pure
// helpers; CALLS any.
type Helper struct {
	Name   string
	Fn     HelperFunc
	Args   []Type
	Result Type // TVoid for none
	Pure   bool // no side effects, result depends on the arguments only
	// Addr is the machine-code address of the helper, set by a backend.
	// The IR interpreter ignores it and calls Fn.
	Addr uintptr
}

// Helpers is a table of helpers; CALLN and CALLS name entries by index.
// Registration is safe for concurrent use; lookups during recording and
// interpretation read a snapshot of the table without locking.
type Helpers struct {
	mu   sync.Mutex
	list []Helper
}

// DefaultHelpers is the process-wide helper table, used by traces whose
// Helpers field is nil.
var DefaultHelpers = &Helpers{}

// ErrHelper reports a bad helper registration or call.
var ErrHelper = errors.New("irkit: bad helper")

// Register adds h and returns its id.
func (hs *Helpers) Register(h Helper) (uint16, error) {
	if h.Fn == nil || len(h.Args) > MaxArgs || h.Name == "" {
		return 0, ErrHelper
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if len(hs.list) >= 0xffff {
		return 0, ErrHelper
	}
	// Copy-on-write keeps earlier slices handed out by Get valid.
	n := make([]Helper, len(hs.list)+1)
	copy(n, hs.list)
	n[len(hs.list)] = h
	hs.list = n
	return uint16(len(hs.list) - 1), nil
}

// Get returns helper id, or nil.
func (hs *Helpers) Get(id uint16) *Helper {
	hs.mu.Lock()
	l := hs.list
	hs.mu.Unlock()
	if int(id) >= len(l) {
		return nil
	}
	return &l[id]
}

// Len is the number of registered helpers.
func (hs *Helpers) Len() int {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return len(hs.list)
}

// helpers returns the trace's helper table.
func (t *Trace) helpers() *Helpers {
	if t.Helpers != nil {
		return t.Helpers
	}
	return DefaultHelpers
}

// Helper returns the helper a CALLN/CALLS instruction names, or nil.
func (t *Trace) Helper(id uint16) *Helper { return t.helpers().Get(id) }
