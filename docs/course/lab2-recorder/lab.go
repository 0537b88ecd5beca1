// Package lab2 is the second lab of the jitkit course: a trace recorder
// that turns one iteration of a Brainfuck loop into irkit IR with guards
// and snapshots. See README.md.
package lab2

import (
	"github.com/jitkit/jitkit/docs/bf"
	"github.com/jitkit/jitkit/irkit"
)

// Recorder records one iteration of the loop of prog whose body starts at
// pc head (the instruction after its "["), from the state the interpreter
// has there: the tape and the pointer p. It executes that iteration on
// tape, as the interpreter would, and returns the trace: interpreter slot 0
// is the pointer (TInt); cells are memory at the tape's address. A looping
// trace (Recorder.CloseLoop) runs further iterations until a guard fails;
// a trace may also stop (Recorder.Stop) or the recording abort (an error).
// The tape stays alive and in place while the trace runs.
type Recorder interface {
	Record(prog *bf.Program, head int, tape []uint64, p int) (*irkit.Trace, error)
}
