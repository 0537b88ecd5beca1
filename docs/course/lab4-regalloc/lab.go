// Package lab4 is the fourth lab of the jitkit course: understanding a
// register allocation by checking it. See README.md.
package lab4

import (
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// Checker decides whether res is a correct register allocation of the
// straight-line trace tr (no LOOP, not looping): executed symbolically,
// every instruction must read each operand from a location that holds
// it, and every exit must find each snapshot value where res says it is.
// It returns nil for a correct allocation and an error naming the first
// violation otherwise.
type Checker interface {
	Check(tr *irkit.Trace, res *regalloc.Result) error
}
