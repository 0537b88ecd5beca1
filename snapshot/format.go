package snapshot

import (
	"fmt"
	"strings"

	"github.com/jitkit/jitkit/irkit"
)

// String renders an entry as "4:num=f0": slot, type and location (gN and
// fN are general and float registers of the exit state, [s] a spill slot,
// #v a constant's word), with "!frame", "!cont" and "!norestore" for flags.
func (e Entry) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d:%s=", e.Slot, e.Type)
	switch e.Kind {
	case InReg:
		if e.Val < 32 {
			fmt.Fprintf(&sb, "g%d", e.Val)
		} else {
			fmt.Fprintf(&sb, "f%d", e.Val-32)
		}
	case InSpill:
		fmt.Fprintf(&sb, "[%d]", e.Val)
	case InConst:
		fmt.Fprintf(&sb, "#%#x", e.Val)
	default:
		sb.WriteString("?")
	}
	if e.Flags&irkit.SnapFrame != 0 {
		sb.WriteString("!frame")
	}
	if e.Flags&irkit.SnapCont != 0 {
		sb.WriteString("!cont")
	}
	if e.Flags&irkit.SnapNoRestore != 0 {
		sb.WriteString("!norestore")
	}
	return sb.String()
}

// String renders an exit record on one line:
// "snap 1 pc=101 top=5 frames=[0@12 3@101] 1:int=g0 2:val=#0xfffb0000000000f0!frame ...".
func (x Exit) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "snap %d pc=%d top=%d frames=[", x.Snap, x.PC, x.NSlots)
	for i, f := range x.Frames {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%d@%d", f.Base, f.PC)
	}
	sb.WriteByte(']')
	for _, e := range x.Entries {
		sb.WriteByte(' ')
		sb.WriteString(e.String())
	}
	return sb.String()
}

// String dumps the map, one exit a line, prefixed by the exit number and
// its guard.
func (m *Map) String() string {
	var sb strings.Builder
	var x Exit
	for i := range m.offs {
		fmt.Fprintf(&sb, "exit %d guard %04d: ", i, int(m.guards[i])-int(irkit.Bias))
		if _, err := m.decode(m.data[m.offs[i]:], &x); err != nil {
			fmt.Fprintf(&sb, "%v\n", err)
			continue
		}
		sb.WriteString(x.String())
		sb.WriteByte('\n')
	}
	return sb.String()
}
