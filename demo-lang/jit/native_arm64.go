package jit

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- The arm64 pieces of the machine-code backend (native_native.go) ------------
//
// The lowering runs with call-outs on, as on amd64, so a trace with a
// float POW (math.Pow is Go code, with no machine-code twin) is compiled
// rather than refused; at the POW the trace returns emit.StatusCall to Go,
// enterServing computes math.Pow and re-enters the trace where it left
// off. A trace without call-outs runs exactly as under emit.Enter.

// archName names the backend in -jv lines.
const archName = "arm64"

// lowerer is the host's lowering from allocated IR to machine code.
type lowerer = arm64.Lowerer

func newLowerer(mem *emit.Mem) (*lowerer, error) { return withCallouts(arm64.NewLowerer(mem)) }

// archCode is what running an arm64 trace needs beyond its emit.Trace:
// its jump table, which linking writes (arm64.Code.Link).
type archCode struct{ c *arm64.Code }

// lower compiles t, allocated as res, into executable memory.
func lower(l *lowerer, t *irkit.Trace, res *regalloc.Result) (*emit.Trace, archCode, error) {
	c, err := l.CompileCode(t, res)
	if err != nil {
		return nil, archCode{}, err
	}
	return &c.Trace, archCode{c}, nil
}

// enter runs the code on st, serving call-outs, and returns the final
// status word.
func (a archCode) enter(b *backend, code *emit.Trace, st *emit.State) uint64 {
	return enterServing(b, code.Entry, st)
}

// disasm returns the GNU-syntax disassembly of code loaded at addr, one
// instruction word a line (literal pools show as .word).
func disasm(code []byte, addr uintptr) string {
	var sb strings.Builder
	for i := 0; i+4 <= len(code); i += 4 {
		w := binary.LittleEndian.Uint32(code[i:])
		fmt.Fprintf(&sb, "%04x  %08x  %s\n", uint64(addr)+uint64(i), w, arm64.DisasmWord(w))
	}
	return sb.String()
}

// archCanLink: every arm64 trace can be linked; call-outs are served for
// whichever trace is running (enter).
func archCanLink(from, to *native) error { return nil }

// assembleLink installs the link stub l (see emit.Link).
func assembleLink(b *backend, l *emit.Link) (emit.Block, error) {
	a := arm64.New(emit.NewBuf(128 + 32*len(l.Moves)))
	if err := arm64.AssembleLink(a, l); err != nil {
		return emit.Block{}, err
	}
	return a.Install(b.mem)
}

// siteTarget decodes where the exit site at (in code, loaded at base)
// jumps.
func siteTarget(code []byte, base, at uintptr) (uintptr, error) {
	return arm64.BTarget(code, base, at)
}

// patchExit points exit of f at target: one store into its jump slot.
func patchExit(f *native, exit int, target uintptr) error { return f.ac.c.Link(exit, target) }

// patchSite would patch an exit site's Direct branch, which arm64 code
// does not have (emit.ExitSite.Direct is always zero).
func patchSite(f *native, at, target uintptr) error {
	return fmt.Errorf("jit: arm64 exits have no direct branch (site %#x)", at)
}
