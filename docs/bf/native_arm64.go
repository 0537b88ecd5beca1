package bf

import (
	"io"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/arm64"
)

func init() {
	newLowerer = func(mem *emit.Mem) (lowerer, string, error) {
		l, err := arm64.NewLowerer(mem)
		return l, "arm64", err
	}
	disasm = func(w io.Writer, code []byte, pc uint64) { io.WriteString(w, arm64.Disasm(code)) }
}
