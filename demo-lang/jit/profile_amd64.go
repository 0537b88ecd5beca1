package jit

// CodeRange is the executable memory of a machine-code trace (for the
// perf map).
func (n *native) CodeRange() (uintptr, int) { return n.code.Block.Addr, n.code.Block.Size }
