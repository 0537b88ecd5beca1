package emit

import (
	"math"
	"unsafe"

	"github.com/jitkit/jitkit/irkit"
)

// -- Call-outs: a trace asks Go to compute something ----------------------------
//
// Generated code never calls Go. Where a trace needs Go code (a helper
// with only Helper.Fn, math.Pow, math.Mod, integer POW without a
// machine-code helper) a lowering with call-outs on compiles the call as
// a return to Go: the trace saves the registers the allocator expects to
// survive a call into State.Regs, stores the arguments in State.Args and
// returns StatusCall | n. The driver (Trace.Run, or a VM's own loop) runs
// Callouts[n].Call on State.Args, stores the result in State.Ret and
// enters the code again at Callouts[n].Resume, where the trace reloads
// those registers and the result and goes on. What a call-out computes is
// described here, once for every architecture; how its registers are
// saved is each lowering's business (emit/amd64, emit/arm64).

// CalloutKind says what a call-out computes.
type CalloutKind uint8

// The call-out kinds.
const (
	CallHelper CalloutKind = iota // Helper.Fn on the arguments
	CallPow                       // math.Pow (float POW)
	CallMod                       // math.Mod (float MOD)
	CallIPow                      // integer POW, irkit's wrapping semantics
)

// Callout is one call from a trace to Go.
type Callout struct {
	Kind   CalloutKind
	Helper *irkit.Helper // CallHelper only
	Type   irkit.Type    // the result type
	NArgs  int
	Args   [irkit.MaxArgs]irkit.Type
	// Resume is where the trace continues once State.Ret holds the result.
	Resume uintptr
}

// Call computes the call-out on the argument words (as the trace stored
// them in State.Args, which it normalizes in place for their types) and
// returns the result word, normalized for its type.
func (co *Callout) Call(args []uint64) uint64 {
	n := min(co.NArgs, len(args))
	in := args[:n]
	for i := range in {
		in[i] = irkit.Norm(co.Args[i], in[i])
	}
	if co.Kind != CallHelper && n < 2 {
		return 0
	}
	switch co.Kind {
	case CallPow:
		return math.Float64bits(math.Pow(math.Float64frombits(in[0]), math.Float64frombits(in[1])))
	case CallMod:
		return math.Float64bits(math.Mod(math.Float64frombits(in[0]), math.Float64frombits(in[1])))
	case CallIPow:
		if co.Type.Base() == irkit.TInt {
			return irkit.Norm(irkit.TInt, uint64(irkit.IPow(int64(int32(in[0])), int64(int32(in[1])))))
		}
		return uint64(irkit.IPow(int64(in[0]), int64(in[1])))
	}
	if co.Helper == nil || co.Helper.Fn == nil {
		return 0
	}
	return irkit.Norm(co.Type, co.Helper.Fn(in))
}

// Serve runs the call-out that status word s asks for, stores its result
// in st.Ret and returns the address to enter the code at to resume the
// trace. ok is false if s is not a StatusCall of one of t's call-outs.
func (t *Trace) Serve(st *State, s uint64) (resume uintptr, ok bool) {
	n := StatusNum(s)
	if StatusKind(s) != StatusCall || n >= len(t.Callouts) {
		return 0, false
	}
	co := &t.Callouts[n]
	st.Ret = co.Call(st.Args[:])
	return co.Resume, true
}

// Run enters the trace on st and serves its call-outs (Serve) until it
// exits or is interrupted, and returns the final status word. A VM whose
// traces are linked into one another serves the call-outs of whichever
// trace is running (State.Trace) instead. st, and the slots and spill area
// it points to, must stay alive and unmoved.
func (t *Trace) Run(st *State) uint64 {
	entry := t.Entry
	for {
		s := Enter(entry, uintptr(unsafe.Pointer(st)))
		next, ok := t.Serve(st, s)
		if !ok {
			return s
		}
		entry = next
	}
}
