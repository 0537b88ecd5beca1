package bf

import (
	"io"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
)

func init() {
	newLowerer = func(mem *emit.Mem) (lowerer, *func(int) bool, string, error) {
		l, err := arm64.NewLowerer(mem)
		if err != nil {
			return nil, nil, "", err
		}
		return l, &l.Force, "arm64", nil
	}
	disasm = func(w io.Writer, code []byte, pc uint64) { io.WriteString(w, arm64.Disasm(code)) }
}
