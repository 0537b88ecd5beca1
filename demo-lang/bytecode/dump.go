package bytecode

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// -- Disassembler ------------------------------------------------------------------

// Dump writes a listing of p and all its nested prototypes to w in LuaJIT's
// style (children first, as `luajit -bl` does). Each function starts with a
// header line and ends with a blank line:
//
//	-- BYTECODE -- fib.lua:1-5
//	0000    KSHORT   1   2
//	0001    ISGE     0   1
//	0002    JMP      2 => 0005
//	0003    RET1     0   2
//	0004 => GGET     1   0      ; "fib"
//
// A "=>" after the pc marks a jump target. Constant operands get a comment
// with their value. The format is stable: tests compare it as text.
func Dump(w io.Writer, p *Proto) error {
	bw := bufio.NewWriter(w)
	dumpProto(bw, p, 0)
	return bw.Flush()
}

// DumpString returns Dump's output as a string.
func DumpString(p *Proto) string {
	var sb strings.Builder
	Dump(&sb, p)
	return sb.String()
}

func dumpProto(w *bufio.Writer, p *Proto, depth int) {
	if depth > 200 {
		return
	}
	for _, c := range p.Protos {
		if c != nil {
			dumpProto(w, c, depth+1)
		}
	}
	fmt.Fprintf(w, "-- BYTECODE -- %s:%d-%d\n", p.Source, p.FirstLine, p.LastLine)
	targets := make([]bool, len(p.Code)+1)
	for pc, ins := range p.Code {
		if op := ins.Op(); op < NumOps && Ops[op].CD == MJump {
			if t := ins.Target(pc); t >= 0 && t < len(targets) {
				targets[t] = true
			}
		}
	}
	for pc, ins := range p.Code {
		w.WriteString(FormatIns(p, pc, ins, targets[pc]))
		w.WriteByte('\n')
	}
	w.WriteByte('\n')
}

// FormatIns formats one instruction of p (at pc) as one listing line without
// the trailing newline; target marks the pc as a jump target. p may be nil,
// then constants are shown by index only.
func FormatIns(p *Proto, pc int, ins Ins, target bool) string {
	op := ins.Op()
	mark := "  "
	if target {
		mark = "=>"
	}
	if op >= NumOps {
		return fmt.Sprintf("%04d %s BAD    %08x", pc, mark, uint32(ins))
	}
	info := &Ops[op]
	var sb strings.Builder
	fmt.Fprintf(&sb, "%04d %s %-6s", pc, mark, info.Name)
	if info.A == MNone {
		sb.WriteString("    ")
	} else {
		fmt.Fprintf(&sb, " %3d", ins.A())
	}
	var comment string
	if info.IsAD() {
		switch info.CD {
		case MJump:
			fmt.Fprintf(&sb, " => %04d", ins.Target(pc))
		case MSLit:
			fmt.Fprintf(&sb, " %3d", ins.SD())
		default:
			fmt.Fprintf(&sb, " %3d", ins.D())
			comment = operandComment(p, info.CD, ins.D())
		}
	} else {
		fmt.Fprintf(&sb, " %3d %3d", ins.B(), ins.C())
		comment = operandComment(p, info.CD, ins.C())
	}
	if info.A == MUv && comment == "" {
		comment = operandComment(p, MUv, ins.A())
	} else if info.A == MUv {
		comment = operandComment(p, MUv, ins.A()) + " " + comment
	}
	if comment == "" {
		return sb.String()
	}
	s := sb.String()
	if len(s) < 31 {
		s += strings.Repeat(" ", 31-len(s))
	}
	return s + " ; " + comment
}

func operandComment(p *Proto, m Mode, v int) string {
	if p == nil {
		return ""
	}
	switch m {
	case MStr:
		if v < len(p.Strs) {
			return strconv.Quote(p.Strs[v])
		}
	case MNum:
		if v < len(p.Nums) {
			return strconv.FormatFloat(p.Nums[v], 'g', 14, 64)
		}
	case MPri:
		switch v {
		case PriNil:
			return "nil"
		case PriFalse:
			return "false"
		case PriTrue:
			return "true"
		}
	case MUv:
		if v < len(p.Upvals) {
			return p.Upvals[v].Name
		}
	case MFunc:
		if v < len(p.Protos) && p.Protos[v] != nil {
			c := p.Protos[v]
			return fmt.Sprintf("%s:%d", c.Source, c.FirstLine)
		}
	}
	return ""
}
