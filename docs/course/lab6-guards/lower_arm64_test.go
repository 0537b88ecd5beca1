package lab6

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
)

func newLowerer(mem *emit.Mem) (lowerer, error) { return arm64.NewLowerer(mem) }
