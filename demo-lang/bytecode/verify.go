package bytecode

import (
	"fmt"
	"math"
)

// -- Verifier ----------------------------------------------------------------------

// Verify checks that a prototype (and, recursively, its children) is well
// formed: every opcode is valid, every slot operand is below FrameSize, every
// constant, upvalue and child index is in range, every jump lands inside the
// code, every comparison is followed by a JMP, the code cannot fall off its
// end, and the debug tables match the code. An interpreter may run verified
// bytecode without bounds checks on operands. The compiler's tests and fuzz
// targets verify everything it produces.
func Verify(p *Proto) error {
	return verify(p, nil, 0)
}

func verify(p *Proto, parent *Proto, depth int) error {
	if depth > 200 {
		return fmt.Errorf("bytecode: prototypes nested too deeply")
	}
	fail := func(pc int, format string, args ...any) error {
		return fmt.Errorf("bytecode: %s:%d: pc %d: %s", p.Source, p.FirstLine, pc, fmt.Sprintf(format, args...))
	}
	n := len(p.Code)
	if n == 0 {
		return fail(0, "empty code")
	}
	if p.FrameSize < 1 || p.FrameSize > MaxSlots {
		return fail(0, "frame size %d out of range", p.FrameSize)
	}
	if p.NumParams < 0 || p.NumParams > p.FrameSize {
		return fail(0, "%d params with frame size %d", p.NumParams, p.FrameSize)
	}
	if len(p.Lines) != n {
		return fail(0, "%d line entries for %d instructions", len(p.Lines), n)
	}
	fs := p.FrameSize
	slot := func(pc int, what string, s, hi int) error {
		if s < 0 || s >= hi {
			return fail(pc, "%s slot %d out of range (frame size %d)", what, s, fs)
		}
		return nil
	}
	for pc, ins := range p.Code {
		op := ins.Op()
		if op >= NumOps {
			return fail(pc, "bad opcode %d", op)
		}
		info := &Ops[op]
		a := ins.A()
		// A operand.
		switch info.A {
		case MDst, MVar, MBase:
			if err := slot(pc, "A", a, fs); err != nil {
				return err
			}
		case MRBase:
			if a > fs {
				return fail(pc, "base %d beyond frame size %d", a, fs)
			}
		case MUv:
			if a >= len(p.Upvals) {
				return fail(pc, "upvalue %d out of range", a)
			}
		case MNone:
			if a != 0 {
				return fail(pc, "unused A is %d", a)
			}
		}
		// B (ABC form) and C/D operands.
		if !info.IsAD() {
			if err := verifyOperand(p, pc, info.B, ins.B(), fail); err != nil {
				return err
			}
			if err := verifyOperand(p, pc, info.CD, ins.C(), fail); err != nil {
				return err
			}
		} else {
			if info.CD == MJump {
				t := ins.Target(pc)
				if t < 0 || t >= n {
					return fail(pc, "jump target %d outside code", t)
				}
			} else if err := verifyOperand(p, pc, info.CD, ins.D(), fail); err != nil {
				return err
			}
		}
		if op.IsCmp() && (pc+1 >= n || p.Code[pc+1].Op() != JMP) {
			return fail(pc, "%s not followed by JMP", info.Name)
		}
		// Ranges.
		d := ins.D()
		b, c := ins.B(), ins.C()
		switch op {
		case KNIL:
			if d < a {
				return fail(pc, "KNIL range %d..%d", a, d)
			}
		case CAT:
			if b >= c {
				return fail(pc, "CAT range %d..%d", b, c)
			}
		case CALL, CALLM:
			hi := a + c
			if op == CALL {
				hi = a + c - 1
				if c < 1 {
					return fail(pc, "CALL with C=0")
				}
			}
			if hi >= fs || a+b-2 >= fs {
				return fail(pc, "call range beyond frame")
			}
		case CALLT:
			if d < 1 || a+d-1 >= fs {
				return fail(pc, "tail call range beyond frame")
			}
		case CALLMT:
			if a+d >= fs {
				return fail(pc, "tail call range beyond frame")
			}
		case ITERC:
			if a < 3 || a+2 >= fs || a+b-2 >= fs || c != 3 {
				return fail(pc, "bad ITERC")
			}
		case ITERL:
			if a < 1 {
				return fail(pc, "bad ITERL")
			}
		case VARG:
			if a+b-2 >= fs {
				return fail(pc, "VARG range beyond frame")
			}
		case RET:
			if d < 1 || a+d-2 >= fs {
				return fail(pc, "RET range beyond frame")
			}
		case RET0:
			if d != 1 {
				return fail(pc, "RET0 with D=%d", d)
			}
		case RET1:
			if d != 2 || a >= fs {
				return fail(pc, "bad RET1")
			}
		case RETM:
			if a+d > fs {
				return fail(pc, "RETM range beyond frame")
			}
		case FORI, FORL:
			if a+3 >= fs {
				return fail(pc, "for loop slots beyond frame")
			}
		case TSETM:
			if a < 1 {
				return fail(pc, "TSETM without table slot")
			}
			if x := p.Nums[d]; x != math.Trunc(x) || x < 1 {
				return fail(pc, "TSETM start index %v", x)
			}
		}
	}
	switch p.Code[n-1].Op() {
	case RET, RET0, RET1, RETM, CALLT, CALLMT, JMP:
	default:
		return fail(n-1, "code may fall off its end")
	}
	for i, v := range p.Vars {
		if int(v.Slot) >= fs || v.StartPC < 0 || v.EndPC < v.StartPC || int(v.EndPC) > n {
			return fail(0, "bad variable info %d (%q)", i, v.Name)
		}
	}
	if parent != nil {
		for i, uv := range p.Upvals {
			if uv.FromLocal && (uv.Index < 0 || uv.Index >= parent.FrameSize) ||
				!uv.FromLocal && (uv.Index < 0 || uv.Index >= len(parent.Upvals)) {
				return fail(0, "upvalue %d (%q) refers outside its parent", i, uv.Name)
			}
		}
	}
	for _, c := range p.Protos {
		if c == nil {
			return fail(0, "nil child prototype")
		}
		if err := verify(c, p, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func verifyOperand(p *Proto, pc int, m Mode, v int, fail func(int, string, ...any) error) error {
	ok := true
	switch m {
	case MNone:
		ok = v == 0
	case MDst, MVar, MBase:
		ok = v < p.FrameSize
	case MRBase:
		ok = v <= p.FrameSize
	case MStr:
		ok = v < len(p.Strs)
	case MNum:
		ok = v < len(p.Nums)
	case MPri:
		ok = v <= PriTrue
	case MUv:
		ok = v < len(p.Upvals)
	case MFunc:
		ok = v < len(p.Protos)
	case MLit, MSLit:
	}
	if !ok {
		return fail(pc, "%s operand %d out of range", m, v)
	}
	return nil
}
