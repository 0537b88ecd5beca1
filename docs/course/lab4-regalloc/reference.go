//go:build !student

package lab4

import (
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// reference is regalloc's own checker.
type reference struct{}

func newImpl() Checker { return reference{} }

// Check calls regalloc.Check.
func (reference) Check(tr *irkit.Trace, res *regalloc.Result) error { return regalloc.Check(tr, res) }
