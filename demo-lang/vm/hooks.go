package vm

import "math"

// -- JIT hooks ------------------------------------------------------------------
//
// The interpreter counts hotness at loop back edges (FORL, ITERL, LOOP: a
// per-pc counter in Proto.hot, State.hotLoopN iterations: the JIT's HotLoop
// parameter, hotLoopCount without one; a FORL that ends its loop counts
// too, and calls the JIT's loopLeft when that makes it hot) and at function
// entry (Proto.hotCall, hotCallCount calls). When a counter runs out it is
// reset and the hook below is called. These are the attachment points of
// the tracing JIT; until it lands they do nothing, and this file is the one
// the JIT replaces.

// hotLoop is called when the loop whose back edge (FORL, ITERL) or header
// (LOOP) is at pc of p becomes hot. Before the call the interpreter saves
// in L.frames[top].pc the pc at which it would continue (the loop body).
// If the hook changes the interpreter state (it ran a trace that wrote
// slots and moved that pc) it returns true and the interpreter reloads the
// frame from L.frames; returning false continues as if nothing happened.
//
// The JIT's implementation is in jit.go; that of hotCall, called when a
// function becomes hot, in jit_recurse.go.

// setHotLoop makes loops hot after n back edges (n <= 0: hotLoopCount),
// from the first trigger on: the counters of the prototypes already
// loaded start again from n.
func (L *State) setHotLoop(n int) {
	L.hotLoopN = hotLoopCount
	if n > 0 {
		L.hotLoopN = int16(min(n, math.MaxInt16))
	}
	for _, p := range L.protos {
		for i := range p.hot {
			p.hot[i] = L.hotLoopN
		}
	}
}
