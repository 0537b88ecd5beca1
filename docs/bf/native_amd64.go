package bf

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

func init() {
	newLowerer = func(mem *emit.Mem) (lowerer, string, error) {
		l, err := amd64.NewLowerer(mem)
		return l, "amd64", err
	}
}
