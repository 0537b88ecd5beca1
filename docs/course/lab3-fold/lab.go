// Package lab3 is the third lab of the jitkit course: constant folding,
// algebraic simplification and common-subexpression elimination over
// irkit IR. See README.md.
package lab3

import "github.com/jitkit/jitkit/irkit"

// Optimizer rewrites a raw trace, recorded without fold and CSE
// (irkit.Builder.NoFold and NoCSE), into an equivalent trace that is no
// larger: run on the same slots, it must exit through a snapshot with the
// same PC and leave the same slot values. The raw traces of the tests are
// straight lines of integer arithmetic and comparison guards on slots,
// ending in a snapshot. raw must not be modified.
type Optimizer interface {
	Optimize(raw *irkit.Trace) (*irkit.Trace, error)
}
