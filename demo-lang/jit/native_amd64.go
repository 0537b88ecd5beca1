package jit

import (
	"strings"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- The amd64 pieces of the machine-code backend (native_native.go) ------------
//
// The lowering runs with call-outs on (amd64.Lowerer.Callouts): float POW
// has no machine-code helper (math.Pow is Go code), so at a POW the trace
// returns emit.StatusCall to Go, enterServing computes math.Pow and
// re-enters the trace where it left off, instead of the trace being
// refused and interpreted.

// archName names the backend in -jv lines.
const archName = "amd64"

// lowerer is the host's lowering from allocated IR to machine code.
type lowerer = amd64.Lowerer

func newLowerer(mem *emit.Mem) (*lowerer, error) { return withCallouts(amd64.NewLowerer(mem)) }

// archCode is what running an amd64 trace needs beyond its emit.Trace
// (whose Callouts list its call-outs): nothing.
type archCode struct{}

// lower compiles t, allocated as res, into executable memory.
func lower(l *lowerer, t *irkit.Trace, res *regalloc.Result) (*emit.Trace, archCode, error) {
	code, err := l.Compile(t, res)
	return code, archCode{}, err
}

// enter runs code on st, serving call-outs, and returns the final status
// word.
func (archCode) enter(b *backend, code *emit.Trace, st *emit.State) uint64 {
	return enterServing(b, code.Entry, st)
}

// disasm returns the GNU-syntax disassembly of code loaded at addr.
func disasm(code []byte, addr uintptr) string {
	lines, err := amd64.Disasm(code, uint64(addr), amd64.GNU)
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l.String())
		sb.WriteByte('\n')
	}
	if err != nil {
		sb.WriteString(err.Error() + "\n")
	}
	return sb.String()
}

// assembleLink installs the link stub l (see emit.Link).
func assembleLink(b *backend, l *emit.Link) (emit.Block, error) {
	// Direct jumps if the stub lands near the traces (it does, in one
	// emit.Mem), through a register otherwise.
	for _, near := range []bool{true, false} {
		nl := *l
		nl.Near = near
		a := amd64.New(emit.NewBuf(64 + 24*len(l.Moves)))
		if err := amd64.AssembleLink(a, &nl); err != nil {
			return emit.Block{}, err
		}
		blk, err := a.Install(b.mem)
		if err == nil || !near {
			return blk, err
		}
	}
	return emit.Block{}, nil // not reached
}

// siteTarget decodes where the exit site at (in code, loaded at base)
// jumps.
func siteTarget(code []byte, base, at uintptr) (uintptr, error) {
	return amd64.JmpTarget(code, base, at)
}

// patchExit points every branch of exit of f at target.
func patchExit(f *native, exit int, target uintptr) error {
	for _, s := range f.code.SitesOf(exit) {
		p, err := amd64.PatchJmp(s.Addr, target)
		if err != nil {
			return err
		}
		if err := f.b.mem.Patch(s.Addr, p[:]); err != nil {
			return err
		}
	}
	return nil
}

// patchSite points the branch at (an exit site's Direct branch) at
// target.
func patchSite(f *native, at, target uintptr) error {
	p, err := amd64.PatchJmp(at, target)
	if err != nil {
		return err
	}
	return f.b.mem.Patch(at, p[:])
}

// archCanLink: every amd64 trace can be linked; call-outs are served for
// whichever trace is running (enterServing).
func archCanLink(from, to *native) error { return nil }
