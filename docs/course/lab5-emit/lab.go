// Package lab5 is the fifth lab of the jitkit course: writing x86-64
// machine code backwards with emit/amd64 and running it from Go through
// emit.Enter. See README.md.
package lab5

import "github.com/jitkit/jitkit/emit/amd64"

// Frame is what the generated code's state pointer (RDI) points to.
type Frame struct {
	Tape uintptr // address of cell 0; cells are 8-byte words
	P    int64   // the tape pointer
	Len  int64   // the number of cells
}

// Emitter writes, into a, the machine code of the Brainfuck loop
// "[->+<]" at pointer P: while cell P is not 0, decrement it and increment
// cell P+1, both modulo 256. The code follows emit.Enter's contract,
// returns 0 in RAX when the loop is done, and returns 1 without touching
// memory if P or P+1 is not on the tape. Emission is backwards: the first
// call on a emits the last instruction.
type Emitter interface {
	Emit(a *amd64.Asm)
}
