//go:build amd64 || arm64

package jit

import (
	"unsafe"

	"github.com/jitkit/jitkit/emit"
)

// enterServing enters machine code at entry on st and serves the
// call-outs to Go (emit.StatusCall: float POW as math.Pow) of whichever
// trace makes them — links move a run from trace to trace, and
// State.Trace names the one running — until a status that is not a
// call-out, which it returns. Both lowerings run with call-outs on, so a
// trace that needs Go is compiled rather than refused.
func enterServing(b *backend, entry uintptr, st *emit.State) uint64 {
	for {
		s := emit.Enter(entry, uintptr(unsafe.Pointer(st)))
		who := b.trace(st.Trace)
		if who == nil {
			return s
		}
		next, ok := who.code.Serve(st, s)
		if !ok {
			return s
		}
		entry = next
	}
}

// withCallouts turns call-outs on in the host's new lowering.
func withCallouts(l *lowerer, err error) (*lowerer, error) {
	if err != nil {
		return nil, err
	}
	l.Callouts = true
	return l, nil
}
