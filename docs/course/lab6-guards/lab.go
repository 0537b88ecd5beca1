// Package lab6 is the sixth lab of the jitkit course: the exit path of
// machine code. A guard fails, the exit stub saves registers, and the
// interpreter's state must be rebuilt exactly from the snapshot. See
// README.md.
package lab6

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// Restorer rebuilds the interpreter state after compiled trace code of tr
// (allocated for target) returned through an exit: st.Exit is the exit's
// snapshot number, st.Regs the saved registers, spill the spill area. It
// writes every slot the snapshot names into slots, as the IR value word
// (irkit.Norm of the value's type), and returns the pc the interpreter
// resumes at.
type Restorer interface {
	Restore(tr *irkit.Trace, code *emit.Trace, target *regalloc.Target, st *emit.State, spill, slots []uint64) (pc uint64, err error)
}
