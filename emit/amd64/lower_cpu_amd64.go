package amd64

import (
	"unsafe"

	"github.com/jitkit/jitkit/emit"
)

// hasSSE41 runs the cpuid probe assembled with the helpers (eax=1; cpuid;
// return ecx) and tests the SSE4.1 bit, which roundsd (FLOOR, CEIL) needs.
func hasSSE41(probe uintptr) bool {
	var st emit.State
	ecx := emit.Enter(probe, uintptr(unsafe.Pointer(&st)))
	return ecx&(1<<19) != 0
}
