package bf

import (
	"io"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

func init() {
	newLowerer = func(mem *emit.Mem) (lowerer, *func(int) bool, string, error) {
		l, err := amd64.NewLowerer(mem)
		if err != nil {
			return nil, nil, "", err
		}
		return l, &l.Force, "amd64", nil
	}
	disasm = func(w io.Writer, code []byte, pc uint64) { amd64.Dump(w, code, pc, amd64.GNU) }
}
