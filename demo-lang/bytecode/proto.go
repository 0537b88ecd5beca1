package bytecode

// -- Function prototypes -----------------------------------------------------------

// Proto is a compiled function: its code, constants, upvalue descriptors and
// debug information. A chunk compiles to one vararg Proto with no parameters
// whose nested functions are in Protos. Protos are immutable once compiled;
// a VM may attach its own per-Proto data (interned strings, hot counters)
// in a side table keyed by *Proto or by an index it assigns.
type Proto struct {
	Code []Ins // the instructions; pc indexes this slice

	// Constants. Numbers are IEEE doubles. The "GC constants" are split by
	// kind into two typed slices so the interpreter never type-switches:
	// strings (KSTR, GGET/GSET, TGETS/TSETS, ISEQS, USETS) and child
	// prototypes (FNEW).
	Nums   []float64
	Strs   []string
	Protos []*Proto

	Upvals    []UpvalDesc // how FNEW fills this function's upvalues
	NumParams int         // fixed parameters, in slots 0..NumParams-1
	IsVararg  bool        // declared with ...
	FrameSize int         // slots used, 1..MaxSlots

	// Debug information.
	Source    string  // chunk name as it appears in messages, e.g. "fib.lua"
	Name      string  // a name for listings ("main chunk", "fib", "t.m", "<anonymous>")
	FirstLine int     // line of `function` (0 for the main chunk)
	LastLine  int     // line of the closing `end` (or the last line of the chunk)
	Lines     []int32 // Lines[pc] is the source line of Code[pc]
	Vars      []VarInfo
}

// UpvalDesc describes where a closure's upvalue comes from when FNEW creates
// it in the parent function's frame.
type UpvalDesc struct {
	Name      string // source name of the captured variable
	FromLocal bool   // true: the parent's frame slot Index; false: the parent's upvalue Index
	Index     int
}

// VarInfo records that local variable Name lives in Slot while
// StartPC <= pc < EndPC. Entries are in order of declaration; internal
// variables of for loops have names in parentheses ("(for index)",
// "(for limit)", "(for step)", "(for generator)", "(for state)",
// "(for control)"), as in Lua 5.1.
type VarInfo struct {
	Name    string
	StartPC int32
	EndPC   int32
	Slot    uint8
}

// Line returns the source line of the instruction at pc (0 if unknown).
func (p *Proto) Line(pc int) int {
	if pc >= 0 && pc < len(p.Lines) {
		return int(p.Lines[pc])
	}
	return 0
}

// VarName returns the name of the local variable in slot at pc, or "" if the
// slot holds no named local there (a temporary).
func (p *Proto) VarName(pc, slot int) string {
	name := ""
	for i := range p.Vars {
		v := &p.Vars[i]
		if int(v.Slot) == slot && int(v.StartPC) <= pc && pc < int(v.EndPC) {
			name = v.Name // the innermost (latest declared) wins
		}
	}
	return name
}

// SlotName explains what value slot held when the instruction at pc was
// about to execute, for error messages in Lua 5.1's words: it returns a
// kind ("local", "global", "field", "method" or "upvalue") and a name, or
// ("", "") when nothing better than the type can be said. The VM builds e.g.
// "attempt to call global 'foo' (a nil value)" from it.
//
// How the name is found (LuaJIT's lj_debug_slotname, Lua 5.1's getobjname):
//   - if a named local lives in slot at pc, it is that local;
//   - otherwise scan backwards from pc-1 for the instruction that last wrote
//     slot: GGET names a global (its string constant), TGETS a field (its
//     string constant; "method" when the instruction just before it is the
//     MOV of the same object into A+1, the shape `obj:m(...)` compiles to),
//     UGET an upvalue (the Upvals name), MOV continues the search with its
//     source slot; any other writer, or an instruction that writes a range
//     of slots including slot (calls, VARG, KNIL), ends the search.
//
// The backwards scan ignores control flow, as both Lua 5.1 and LuaJIT do.
func (p *Proto) SlotName(pc, slot int) (kind, name string) {
	if pc > len(p.Code) {
		pc = len(p.Code)
	}
	for guard := 0; guard < 256; guard++ { // each MOV hop restarts; bound the hops
		if n := p.VarName(pc, slot); n != "" {
			return "local", n
		}
		found := false
		for q := pc - 1; q >= 0 && !found; q-- {
			ins := p.Code[q]
			op := ins.Op()
			if op >= NumOps {
				return "", ""
			}
			info := &Ops[op]
			a := ins.A()
			switch info.A {
			case MBase:
				if slot >= a && (op != KNIL || slot <= ins.D()) {
					return "", ""
				}
			case MDst:
				if a != slot {
					continue
				}
				switch op {
				case MOV:
					slot = ins.D()
					pc = q
					found = true
				case GGET:
					return "global", p.str(ins.D())
				case TGETS:
					if q > 0 {
						prev := p.Code[q-1]
						if prev.Op() == MOV && prev.A() == a+1 && prev.D() == ins.B() {
							return "method", p.str(ins.C())
						}
					}
					return "field", p.str(ins.C())
				case UGET:
					if d := ins.D(); d < len(p.Upvals) {
						return "upvalue", p.Upvals[d].Name
					}
					return "", ""
				default:
					return "", ""
				}
			}
		}
		if !found {
			return "", ""
		}
	}
	return "", ""
}

func (p *Proto) str(i int) string {
	if i >= 0 && i < len(p.Strs) {
		return p.Strs[i]
	}
	return "?"
}
