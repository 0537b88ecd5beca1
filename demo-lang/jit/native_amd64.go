package jit

import (
	"strings"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- The amd64 pieces of the machine-code backend (native_native.go) ------------

// archName names the backend in -jv lines.
const archName = "amd64"

// lowerer is the host's lowering from allocated IR to machine code.
type lowerer = amd64.Lowerer

func newLowerer(mem *emit.Mem) (*lowerer, error) { return amd64.NewLowerer(mem) }

// archCode is what running an amd64 trace needs beyond its emit.Trace:
// nothing, it is entered with emit.Enter.
type archCode struct{}

// lower compiles t, allocated as res, into executable memory. Float POW
// has no machine-code helper on amd64: such traces are refused and stay
// interpreted.
func lower(l *lowerer, t *irkit.Trace, res *regalloc.Result) (*emit.Trace, archCode, error) {
	code, err := l.Compile(t, res)
	return code, archCode{}, err
}

// enter runs code on st and returns its status word.
func (archCode) enter(code *emit.Trace, st *emit.State) uint64 {
	return emit.Enter(code.Entry, uintptr(unsafe.Pointer(st)))
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
