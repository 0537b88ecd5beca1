package amd64

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// -- Disassembly -------------------------------------------------------------

// Syntax selects the assembly dialect of a disassembly.
type Syntax uint8

// Dialects: GNU (AT&T, as objdump prints it), Go (Plan 9, as go tool
// objdump prints it) and Intel.
const (
	GNU Syntax = iota
	Go
	Intel
)

// Line is one disassembled instruction.
type Line struct {
	Addr  uint64 // address of the first byte
	Bytes []byte // the encoding (aliases the input)
	Text  string // the instruction, or "(bad)" if it does not decode
}

// String formats a line as "addr:  bytes  text", like objdump.
func (l Line) String() string {
	var hex strings.Builder
	for i, c := range l.Bytes {
		if i > 0 {
			hex.WriteByte(' ')
		}
		fmt.Fprintf(&hex, "%02x", c)
	}
	return fmt.Sprintf("%04x  %-30s %s", l.Addr, hex.String(), l.Text)
}

// Disasm decodes code, whose first byte is at address pc, into lines. A
// byte sequence that does not decode becomes a one-byte "(bad)" line and
// decoding resumes after it; the error reports the first such place.
func Disasm(code []byte, pc uint64, syn Syntax) ([]Line, error) {
	var lines []Line
	var first error
	for i := 0; i < len(code); {
		in, err := x86asm.Decode(code[i:], 64)
		addr := pc + uint64(i)
		if err != nil || in.Len == 0 {
			if first == nil {
				first = fmt.Errorf("amd64: cannot decode at %#x: %v", addr, err)
			}
			lines = append(lines, Line{Addr: addr, Bytes: code[i : i+1], Text: "(bad)"})
			i++
			continue
		}
		var text string
		switch syn {
		case Go:
			text = x86asm.GoSyntax(in, addr, nil)
		case Intel:
			text = x86asm.IntelSyntax(in, addr, nil)
		default:
			text = x86asm.GNUSyntax(in, addr, nil)
		}
		lines = append(lines, Line{Addr: addr, Bytes: code[i : i+in.Len], Text: text})
		i += in.Len
	}
	return lines, first
}

// Dump writes the disassembly of code to w, one line per instruction.
func Dump(w io.Writer, code []byte, pc uint64, syn Syntax) error {
	lines, derr := Disasm(code, pc, syn)
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return derr
}
