// Package lab1 is the first lab of the jitkit course: a Brainfuck
// interpreter, the baseline every later lab makes faster. See README.md.
package lab1

import "io"

// Interpreter runs Brainfuck programs: 30,000 byte cells that wrap
// around, the pointer starting at cell 0, "," storing 0 at the end of
// input. Run returns an error (and must not panic) for a program with
// unmatched brackets or one that moves the pointer off the tape and then
// touches a cell.
type Interpreter interface {
	Run(src []byte, in io.Reader, out io.Writer) error
}
