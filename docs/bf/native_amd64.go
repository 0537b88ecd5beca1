package bf

import (
	"io"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

func init() {
	newLowerer = func(mem *emit.Mem) (lowerer, string, error) {
		l, err := amd64.NewLowerer(mem)
		return l, "amd64", err
	}
	disasm = func(w io.Writer, code []byte, pc uint64) { amd64.Dump(w, code, pc, amd64.GNU) }
}
