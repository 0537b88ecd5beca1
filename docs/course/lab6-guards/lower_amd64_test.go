package lab6

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

func newLowerer(mem *emit.Mem) (lowerer, error) { return amd64.NewLowerer(mem) }
