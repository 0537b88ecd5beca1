//go:build !amd64 && !arm64

package jit

import "github.com/jitkit/jitkit/demo-lang/vm"

// NativeBackend returns the machine-code backend of this host, or nil
// when there is none: traces then run on irkit's IR interpreter.
func NativeBackend() vm.Backend { return nil }

// nativeBackend is NativeBackend: there is none.
func nativeBackend(keepAlloc bool) vm.Backend { return nil }
