package irkit

// The dump format follows LuaJIT's -jdump, one instruction per line:
//
//	0007 > int  ADDOV  0005  +1
//
// ref (counted from Bias), '>' for a guard, the type, the opcode, then the
// operands: another instruction as its 4-digit ref, a constant as its
// value (+5, 1.5, -0, nan:0x7ff8000000000001, [0x1000] for an address,
// {0x...} for a value word, 5LL for an int64), a literal as #n, a helper
// by name. Snapshots appear before the first instruction they cover:
//
//	....        SNAP   #0   pc=12 [ 1:0003 2:+5 ]
//
// The format is stable: tests compare dumps as text.

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Dump writes the trace in the dump format.
func (t *Trace) Dump(w io.Writer) error {
	var sb strings.Builder
	si := 0
	for r := First; r < t.nins; r++ {
		for si < len(t.Snaps) && t.Snaps[si].Ref <= r {
			t.writeSnap(&sb, si)
			si++
		}
		ins := t.ir[r-t.lo]
		if ins.Op == LOOP {
			fmt.Fprintf(&sb, "%04d ------ LOOP ------------\n", int(r-Bias))
			continue
		}
		sb.WriteString(t.InsString(r))
		sb.WriteByte('\n')
	}
	for ; si < len(t.Snaps); si++ {
		t.writeSnap(&sb, si)
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// String returns the dump of the trace.
func (t *Trace) String() string {
	var sb strings.Builder
	t.Dump(&sb)
	return sb.String()
}

// InsString formats instruction r as one dump line (without newline).
func (t *Trace) InsString(r Ref) string {
	if !t.Valid(r) {
		return fmt.Sprintf("%04d invalid", int(r)-int(Bias))
	}
	ins := t.ir[r-t.lo]
	if ins.Op.IsConst() {
		return "KONST " + t.KString(r)
	}
	g := ' '
	if ins.T.IsGuard() {
		g = '>'
	}
	info := ins.Op.Info()
	s := fmt.Sprintf("%04d %c %-4s %-6s", int(r-Bias), g, ins.T.String(), ins.Op.String())
	if ins.Op == NOP {
		return strings.TrimRight(s, " ")
	}
	o1 := t.operandString(ins, info.Mode1, ins.Op1, false)
	o2 := t.operandString(ins, info.Mode2, ins.Op2, true)
	if o1 != "" {
		s += fmt.Sprintf(" %-5s", o1)
	}
	if o2 != "" {
		s += " " + o2
	}
	return strings.TrimRight(s, " ")
}

func (t *Trace) operandString(ins Ins, mode uint8, r Ref, second bool) string {
	switch mode {
	case ModeNone:
		return ""
	case ModeLit:
		if second && ins.Op.Has(FCall) {
			if h := t.Helper(uint16(r)); h != nil {
				return h.Name
			}
		}
		return "#" + strconv.Itoa(int(r))
	}
	return t.RefString(r)
}

// RefString formats an operand: an instruction as its 4-digit number, a
// constant as its value.
func (t *Trace) RefString(r Ref) string {
	switch {
	case r == Bias:
		return "base"
	case r.IsConst():
		return t.KString(r)
	case r == NoRef:
		return "----"
	}
	return fmt.Sprintf("%04d", int(r-Bias))
}

// KString formats constant r as dumps show it.
func (t *Trace) KString(r Ref) string {
	w, ok := t.KWord(r)
	if !ok {
		return "k?"
	}
	k := t.ir[r-t.lo]
	switch k.Op {
	case KINT:
		if k.T.Base() == TBool {
			if w != 0 {
				return "true"
			}
			return "false"
		}
		if int32(w) >= 0 {
			return "+" + strconv.Itoa(int(int32(w)))
		}
		return strconv.Itoa(int(int32(w)))
	case KI64:
		return strconv.FormatInt(int64(w), 10) + "LL"
	case KNUM:
		return FormatNum(w)
	case KPTR:
		return fmt.Sprintf("[0x%x]", w)
	case KVAL:
		return fmt.Sprintf("{0x%016x}", w)
	}
	return "k?"
}

// FormatNum formats float64 bits for dumps: shortest round-trip decimal,
// -0 distinct from 0, NaNs with their payload.
func FormatNum(bits uint64) string {
	f := math.Float64frombits(bits)
	switch {
	case f != f:
		return fmt.Sprintf("nan:0x%016x", bits)
	case math.IsInf(f, 1):
		return "+inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0 && bits != 0:
		return "-0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func (t *Trace) writeSnap(sb *strings.Builder, i int) {
	s := t.Snaps[i]
	fmt.Fprintf(sb, "....        SNAP   #%-3d pc=%d", i, s.PC)
	if s.Depth > 1 {
		sb.WriteString(" {")
		for j, f := range t.Frames(i) {
			if j > 0 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(sb, "%d@%d", f.Base, f.PC)
		}
		sb.WriteString("}")
	}
	sb.WriteString(" [")
	for _, e := range t.Entries(i) {
		fmt.Fprintf(sb, " %d:%s", e.Slot(), t.RefString(e.Ref()))
		if f := e.Flags(); f&(SnapFrame|SnapCont|SnapNoRestore) != 0 {
			sb.WriteByte('|')
			if f&SnapFrame != 0 {
				sb.WriteByte('F')
			}
			if f&SnapCont != 0 {
				sb.WriteByte('C')
			}
			if f&SnapNoRestore != 0 {
				sb.WriteByte('N')
			}
		}
	}
	sb.WriteString(" ]\n")
}
