//go:build !amd64 && !arm64

package vm

import "unsafe"

// prefetch does nothing where the VM has no prefetch instruction.
func prefetch(p unsafe.Pointer) {}
