package bf

import "fmt"

// -- Programs --------------------------------------------------------------------

// Op kinds. A program is a flat slice of Ins: runs of + - and of < > are
// merged into one instruction (the classic first optimization of a
// Brainfuck interpreter), and each bracket knows its partner.
const (
	OpAdd   uint8 = iota // cell += N (mod 256)
	OpMove               // pointer += N
	OpOut                // write the cell as a byte
	OpIn                 // read a byte into the cell (0 at end of input)
	OpOpen               // [ : if the cell is 0, go to N+1 (N: the matching ])
	OpClose              // ] : if the cell is not 0, go to N+1 (N: the matching [)
)

var opNames = [...]string{"ADD", "MOVE", "OUT", "IN", "OPEN", "CLOSE"}

// Ins is one instruction of a compiled program.
type Ins struct {
	Op uint8
	N  int32
}

// String prints the instruction as the dumps show it: "ADD -3", "OPEN 7".
func (i Ins) String() string {
	if int(i.Op) >= len(opNames) {
		return "?"
	}
	if i.Op == OpOut || i.Op == OpIn {
		return opNames[i.Op]
	}
	return fmt.Sprintf("%s %d", opNames[i.Op], i.N)
}

// Program is a parsed Brainfuck program. The pc of an instruction is its
// index in Code; a trace's snapshots name pcs.
type Program struct {
	Code []Ins
}

// SyntaxError reports an unmatched bracket.
type SyntaxError struct {
	Offset int // byte offset in the source
	Msg    string
}

// Error formats the error with its offset.
func (e *SyntaxError) Error() string { return fmt.Sprintf("bf: offset %d: %s", e.Offset, e.Msg) }

// Parse compiles source into a Program. Every byte other than the eight
// commands is a comment. Unmatched brackets are an error.
func Parse(src []byte) (*Program, error) {
	p := &Program{}
	var open []int // pcs of unmatched [
	var at []int   // source offsets of unmatched [
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '+', '-', '<', '>':
			op, d := OpAdd, int32(1)
			if c == '<' || c == '>' {
				op = OpMove
			}
			if c == '-' || c == '<' {
				d = -1
			}
			if n := len(p.Code); n > 0 && p.Code[n-1].Op == op {
				last := &p.Code[n-1]
				if op == OpAdd {
					last.N = (last.N + d) & 255
				} else {
					last.N += d
				}
				if last.N == 0 {
					p.Code = p.Code[:n-1]
				}
				continue
			}
			if op == OpAdd {
				d &= 255
			}
			p.Code = append(p.Code, Ins{Op: op, N: d})
		case '.':
			p.Code = append(p.Code, Ins{Op: OpOut})
		case ',':
			p.Code = append(p.Code, Ins{Op: OpIn})
		case '[':
			open = append(open, len(p.Code))
			at = append(at, i)
			p.Code = append(p.Code, Ins{Op: OpOpen})
		case ']':
			if len(open) == 0 {
				return nil, &SyntaxError{Offset: i, Msg: "unmatched ]"}
			}
			o := open[len(open)-1]
			open, at = open[:len(open)-1], at[:len(at)-1]
			p.Code[o].N = int32(len(p.Code))
			p.Code = append(p.Code, Ins{Op: OpClose, N: int32(o)})
		}
		if len(p.Code) > 1<<30 {
			return nil, &SyntaxError{Offset: i, Msg: "program too long"}
		}
	}
	if len(open) > 0 {
		return nil, &SyntaxError{Offset: at[len(at)-1], Msg: "unmatched ["}
	}
	return p, nil
}
