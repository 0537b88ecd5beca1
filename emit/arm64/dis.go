package arm64

import (
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

// Disasm returns one line per instruction word of code: offset, word and
// GNU-syntax disassembly, for dumps and tests. Words that do not decode
// (data) are shown as .word.
func Disasm(code []byte) string {
	var sb strings.Builder
	for i := 0; i+4 <= len(code); i += 4 {
		w := binary.LittleEndian.Uint32(code[i:])
		fmt.Fprintf(&sb, "%04x  %08x  %s\n", i, w, DisasmWord(w))
	}
	return sb.String()
}

// DisasmWord returns the GNU-syntax text of one instruction word.
func DisasmWord(w uint32) string {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], w)
	inst, err := arm64asm.Decode(b[:])
	if err != nil {
		return fmt.Sprintf(".word %#08x", w)
	}
	return arm64asm.GNUSyntax(inst)
}
