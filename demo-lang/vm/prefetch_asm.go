//go:build amd64 || arm64

package vm

import "unsafe"

// prefetch asks the CPU to bring the cache line at p in without waiting
// for it (PREFETCHT0 on amd64, PRFM PLDL1KEEP on arm64). It never faults,
// whatever p is; it is an assembly function because Go has no prefetch
// a package outside the runtime can use.
//
//go:noescape
func prefetch(p unsafe.Pointer)
