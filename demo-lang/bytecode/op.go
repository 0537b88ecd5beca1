package bytecode

// -- Operand modes ------------------------------------------------------------

// Mode says what an operand field of an instruction means. The disassembler,
// the verifier and SlotName read it from the opcode table; the VM and the
// recorder never need to look at it at run time.
type Mode uint8

// Operand modes, in the spirit of LuaJIT's BCMode.
const (
	MNone  Mode = iota // field unused (must be 0)
	MDst               // a slot the instruction writes
	MBase              // the base slot of a range the instruction reads and/or writes
	MRBase             // a base slot that is only read or only marks the first free slot
	MVar               // a slot the instruction reads
	MStr               // an index into Proto.Strs
	MNum               // an index into Proto.Nums
	MPri               // a primitive: PriNil, PriFalse or PriTrue
	MUv                // an index into the running closure's upvalues (Proto.Upvals)
	MLit               // an unsigned literal
	MSLit              // a signed 16-bit literal (D only)
	MJump              // a jump offset, biased by JumpBias (D only)
	MFunc              // an index into Proto.Protos
)

var modeNames = [...]string{"none", "dst", "base", "rbase", "var", "str", "num", "pri", "uv", "lit", "slit", "jump", "func"}

// String returns the mode's short name, as used in LuaJIT's tables.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode?"
}

// IsSlot reports whether an operand of this mode names a stack slot.
func (m Mode) IsSlot() bool { return m == MDst || m == MBase || m == MRBase || m == MVar }

// Primitive constants (operand mode MPri), used by KPRI, ISEQP, ISNEP, USETP.
const (
	PriNil   = 0
	PriFalse = 1
	PriTrue  = 2
)

// -- The opcode table -----------------------------------------------------------

// Op is a bytecode opcode (the low 8 bits of an instruction).
type Op uint8

// OpInfo describes one opcode: its name, the mode of each operand field and
// its exact semantics. An opcode is in AD form when B is MNone; then CD is the
// mode of the 16-bit D field, otherwise CD is the mode of the 8-bit C field.
type OpInfo struct {
	Name  string
	A     Mode
	B     Mode
	CD    Mode
	Event string // the metamethod the instruction may invoke ("" if none)
	Doc   string // exact semantics, register reads and writes
}

// IsAD reports whether the opcode uses the A|D form.
func (i *OpInfo) IsAD() bool { return i.B == MNone }

// The opcodes. The ORDER MATTERS and is relied on by the compiler, the VM and
// the recorder, exactly as in LuaJIT:
//   - every comparison and unary test has its negation at op^1
//     (ISLT^1 = ISGE, ISEQV^1 = ISNEV, ISTC^1 = ISFC, IST^1 = ISF);
//   - the arithmetic groups are ADD, SUB, MUL, DIV, MOD in that order, and
//     op-ADDVN, op-ADDNV, op-ADDVV give the same arithmetic operator index
//     (ArithVN, ArithNV, ArithVV);
//   - new opcodes are only ever appended before NumOps, never inserted.
const (
	ISLT Op = iota
	ISGE
	ISLE
	ISGT
	ISEQV
	ISNEV
	ISEQS
	ISNES
	ISEQN
	ISNEN
	ISEQP
	ISNEP

	ISTC
	ISFC
	IST
	ISF

	MOV
	NOT
	UNM
	LEN

	ADDVN
	SUBVN
	MULVN
	DIVVN
	MODVN

	ADDNV
	SUBNV
	MULNV
	DIVNV
	MODNV

	ADDVV
	SUBVV
	MULVV
	DIVVV
	MODVV

	POW
	CAT

	KSTR
	KSHORT
	KNUM
	KPRI
	KNIL

	UGET
	USETV
	USETS
	USETN
	USETP
	UCLO
	FNEW

	TNEW
	GGET
	GSET
	TGETV
	TGETS
	TGETB
	TSETV
	TSETS
	TSETB
	TSETM

	CALLM
	CALL
	CALLMT
	CALLT
	ITERC
	VARG

	RETM
	RET
	RET0
	RET1

	FORI
	FORL
	ITERL
	LOOP
	JMP

	NumOps // number of opcodes; not an opcode
)

// Arithmetic operator indexes shared by the VN, NV and VV groups (op - ADDVN,
// op - ADDNV, op - ADDVV).
const (
	ArithAdd = iota
	ArithSub
	ArithMul
	ArithDiv
	ArithMod
)

// Ops is the single source of truth about every opcode, indexed by Op.
//
// Notation in Doc: A, B, C, D are the operand fields; "slot X" is frame slot
// X of the running function (base[X]); Strs[D], Nums[D], Protos[D] are the
// prototype's constant tables; "uv D" is the running closure's upvalue D.
// "Jumps" means pc = pc+1 + (D - JumpBias). MULTRES is a VM register holding
// the number of values produced by the last multiple-result instruction
// (CALLM/CALL with B=0, VARG with B=0) that the next M-instruction (CALLM,
// CALLMT, RETM, TSETM) consumes: those values sit in consecutive slots
// starting exactly where the consumer expects its variable part to start.
var Ops = [NumOps]OpInfo{
	// Comparisons. Each is immediately followed by a JMP, which is taken when
	// the condition holds and skipped otherwise (pc += 2 in effect).
	ISLT:  {"ISLT", MVar, MNone, MVar, "lt", "if slot A < slot D then take the following JMP"},
	ISGE:  {"ISGE", MVar, MNone, MVar, "lt", "if NOT (slot A < slot D) then take the following JMP (differs from >= for NaN; __lt negated)"},
	ISLE:  {"ISLE", MVar, MNone, MVar, "le", "if slot A <= slot D then take the following JMP"},
	ISGT:  {"ISGT", MVar, MNone, MVar, "le", "if NOT (slot A <= slot D) then take the following JMP (differs from > for NaN; __le negated)"},
	ISEQV: {"ISEQV", MVar, MNone, MVar, "eq", "if slot A == slot D (raw equality, then __eq for two tables) take the following JMP"},
	ISNEV: {"ISNEV", MVar, MNone, MVar, "eq", "if slot A ~= slot D take the following JMP"},
	ISEQS: {"ISEQS", MVar, MNone, MStr, "", "if slot A == Strs[D] take the following JMP"},
	ISNES: {"ISNES", MVar, MNone, MStr, "", "if slot A ~= Strs[D] take the following JMP"},
	ISEQN: {"ISEQN", MVar, MNone, MNum, "", "if slot A == Nums[D] (a number equal to it) take the following JMP"},
	ISNEN: {"ISNEN", MVar, MNone, MNum, "", "if slot A ~= Nums[D] take the following JMP"},
	ISEQP: {"ISEQP", MVar, MNone, MPri, "", "if slot A == primitive D (nil/false/true) take the following JMP"},
	ISNEP: {"ISNEP", MVar, MNone, MPri, "", "if slot A ~= primitive D take the following JMP"},

	// Unary tests, also followed by a JMP. The copying forms implement the
	// value result of `and`/`or`.
	ISTC: {"ISTC", MDst, MNone, MVar, "", "if slot D is truthy then slot A = slot D and take the following JMP"},
	ISFC: {"ISFC", MDst, MNone, MVar, "", "if slot D is falsy (nil/false) then slot A = slot D and take the following JMP"},
	IST:  {"IST", MNone, MNone, MVar, "", "if slot D is truthy take the following JMP"},
	ISF:  {"ISF", MNone, MNone, MVar, "", "if slot D is falsy take the following JMP"},

	// Unary operations.
	MOV: {"MOV", MDst, MNone, MVar, "", "slot A = slot D"},
	NOT: {"NOT", MDst, MNone, MVar, "", "slot A = not slot D (true if D is nil/false)"},
	UNM: {"UNM", MDst, MNone, MVar, "unm", "slot A = -slot D (string coerced to number; else __unm)"},
	LEN: {"LEN", MDst, MNone, MVar, "len", "slot A = #slot D (string length or table border; __len is ignored for tables)"},

	// Arithmetic. Numbers operate as IEEE doubles; strings are coerced to
	// numbers as in Lua 5.1; otherwise the metamethod is called with the
	// operands in source order (for NV forms the constant is the LEFT operand).
	ADDVN: {"ADDVN", MDst, MVar, MNum, "add", "slot A = slot B + Nums[C]"},
	SUBVN: {"SUBVN", MDst, MVar, MNum, "sub", "slot A = slot B - Nums[C]"},
	MULVN: {"MULVN", MDst, MVar, MNum, "mul", "slot A = slot B * Nums[C]"},
	DIVVN: {"DIVVN", MDst, MVar, MNum, "div", "slot A = slot B / Nums[C]"},
	MODVN: {"MODVN", MDst, MVar, MNum, "mod", "slot A = slot B % Nums[C] (a - floor(a/b)*b)"},
	ADDNV: {"ADDNV", MDst, MVar, MNum, "add", "slot A = Nums[C] + slot B"},
	SUBNV: {"SUBNV", MDst, MVar, MNum, "sub", "slot A = Nums[C] - slot B"},
	MULNV: {"MULNV", MDst, MVar, MNum, "mul", "slot A = Nums[C] * slot B"},
	DIVNV: {"DIVNV", MDst, MVar, MNum, "div", "slot A = Nums[C] / slot B"},
	MODNV: {"MODNV", MDst, MVar, MNum, "mod", "slot A = Nums[C] % slot B"},
	ADDVV: {"ADDVV", MDst, MVar, MVar, "add", "slot A = slot B + slot C"},
	SUBVV: {"SUBVV", MDst, MVar, MVar, "sub", "slot A = slot B - slot C"},
	MULVV: {"MULVV", MDst, MVar, MVar, "mul", "slot A = slot B * slot C"},
	DIVVV: {"DIVVV", MDst, MVar, MVar, "div", "slot A = slot B / slot C"},
	MODVV: {"MODVV", MDst, MVar, MVar, "mod", "slot A = slot B % slot C"},
	POW:   {"POW", MDst, MVar, MVar, "pow", "slot A = slot B ^ slot C (C pow())"},
	CAT:   {"CAT", MDst, MRBase, MRBase, "concat", "slot A = slot B .. slot B+1 .. ... .. slot C (B < C; numbers become %.14g strings; __concat applied right to left); slots B..C may be clobbered"},

	// Constants.
	KSTR:   {"KSTR", MDst, MNone, MStr, "", "slot A = Strs[D]"},
	KSHORT: {"KSHORT", MDst, MNone, MSLit, "", "slot A = number int16(D)"},
	KNUM:   {"KNUM", MDst, MNone, MNum, "", "slot A = Nums[D]"},
	KPRI:   {"KPRI", MDst, MNone, MPri, "", "slot A = primitive D (0 nil, 1 false, 2 true)"},
	KNIL:   {"KNIL", MBase, MNone, MBase, "", "slots A..D (inclusive) = nil"},

	// Upvalues and closures.
	UGET:  {"UGET", MDst, MNone, MUv, "", "slot A = uv D"},
	USETV: {"USETV", MUv, MNone, MVar, "", "uv A = slot D"},
	USETS: {"USETS", MUv, MNone, MStr, "", "uv A = Strs[D]"},
	USETN: {"USETN", MUv, MNone, MNum, "", "uv A = Nums[D]"},
	USETP: {"USETP", MUv, MNone, MPri, "", "uv A = primitive D"},
	UCLO:  {"UCLO", MRBase, MNone, MJump, "", "close every open upvalue of this frame that refers to a slot >= A (copy the value into the upvalue and detach it), then jump by D (often a jump to the next instruction)"},
	FNEW: {"FNEW", MDst, MNone, MFunc, "", "slot A = new closure of Protos[D]; for each Protos[D].Upvals[i]: if FromLocal, the (shared, open) upvalue of this frame's slot Index, " +
		"else this closure's upvalue Index"},

	// Tables and globals. Globals are the table _G, indexed by a string constant.
	TNEW:  {"TNEW", MDst, MNone, MLit, "", "slot A = new table; D&0x7ff = array part size hint, D>>11 = hash size hint h (0: none, else 1<<(h-1) entries)"},
	GGET:  {"GGET", MDst, MNone, MStr, "index", "slot A = _G[Strs[D]]"},
	GSET:  {"GSET", MVar, MNone, MStr, "newindex", "_G[Strs[D]] = slot A"},
	TGETV: {"TGETV", MDst, MVar, MVar, "index", "slot A = slot B[slot C]"},
	TGETS: {"TGETS", MDst, MVar, MStr, "index", "slot A = slot B[Strs[C]]"},
	TGETB: {"TGETB", MDst, MVar, MLit, "index", "slot A = slot B[C] (C a literal number 0..255)"},
	TSETV: {"TSETV", MVar, MVar, MVar, "newindex", "slot B[slot C] = slot A"},
	TSETS: {"TSETS", MVar, MVar, MStr, "newindex", "slot B[Strs[C]] = slot A"},
	TSETB: {"TSETB", MVar, MVar, MLit, "newindex", "slot B[C] = slot A (C a literal number 0..255)"},
	TSETM: {"TSETM", MBase, MNone, MNum, "", "for i = 0, MULTRES-1: slot A-1[Nums[D] + i] = slot A+i (raw sets; the table is in slot A-1; Nums[D] is an integer)"},

	// Calls. The callee is in slot A and its arguments in A+1, A+2, ...; the
	// callee frame's slot 0 is the caller's slot A+1. Results are written
	// starting at slot A.
	CALLM:  {"CALLM", MBase, MLit, MLit, "call", "call slot A with args A+1 .. A+C+MULTRES (C fixed args, then MULTRES more); B-1 results into A..A+B-2 (B=0: all results into A.., MULTRES = their count)"},
	CALL:   {"CALL", MBase, MLit, MLit, "call", "call slot A with C-1 args A+1 .. A+C-1; B-1 results into A..A+B-2, padded with nil (B=0: all results into A.., MULTRES = their count)"},
	CALLMT: {"CALLMT", MBase, MNone, MLit, "call", "tail call: close this frame's open upvalues, then return slot A(A+1 .. A+D+MULTRES) (D fixed args, then MULTRES more)"},
	CALLT:  {"CALLT", MBase, MNone, MLit, "call", "tail call: close this frame's open upvalues, then return slot A(A+1 .. A+D-1) (D-1 args)"},
	ITERC: {"ITERC", MBase, MLit, MLit, "call", "generic for step: slot A, A+1, A+2 = slot A-3, A-2, A-1 (generator, state, control); call A(A+1, A+2) (C is always 3); " +
		"B-1 results into A..A+B-2 padded with nil"},
	VARG: {"VARG", MBase, MLit, MLit, "", "B-1 varargs into A..A+B-2, padded with nil (B=0: all varargs into A.., MULTRES = their count); C = the function's number of fixed params"},

	// Returns. Each closes the frame's open upvalues first (the compiler
	// emits no UCLO before a return or a tail call; unlike LuaJIT).
	RETM: {"RETM", MBase, MNone, MLit, "", "return slots A .. A+D+MULTRES-1 (D fixed values, then MULTRES more)"},
	RET:  {"RET", MRBase, MNone, MLit, "", "return D-1 values: slots A .. A+D-2"},
	RET0: {"RET0", MRBase, MNone, MLit, "", "return no values (D = 1)"},
	RET1: {"RET1", MRBase, MNone, MLit, "", "return slot A (D = 2)"},

	// Loops and branches. FORL, ITERL and LOOP are the loop headers where the
	// VM counts hotness; the interpreter runs LOOP as a no-op.
	FORI: {"FORI", MBase, MNone, MJump, "", "numeric for init: slots A idx, A+1 stop, A+2 step, A+3 visible copy; coerce A..A+2 to numbers (errors: 'for' initial value/limit/step must be a number); " +
		"if (step >= 0 ? idx <= stop : idx >= stop) then slot A+3 = idx and fall into the body, else jump by D (past the FORL)"},
	FORL:  {"FORL", MBase, MNone, MJump, "", "numeric for loop: idx = idx + step; if (step >= 0 ? idx <= stop : idx >= stop) then slot A+3 = idx and jump by D (to the body, FORI+1)"},
	ITERL: {"ITERL", MBase, MNone, MJump, "", "generic for loop: if slot A ~= nil then slot A-1 = slot A (new control value) and jump by D (to the body)"},
	LOOP:  {"LOOP", MRBase, MNone, MJump, "", "while/repeat loop header: no-op for the interpreter (hot counter); D jumps to the loop exit, A is the first free slot"},
	JMP:   {"JMP", MRBase, MNone, MJump, "", "jump by D; A is the first free slot at this point (informational, for the recorder)"},
}

// String returns the opcode's name.
func (o Op) String() string {
	if o < NumOps {
		return Ops[o].Name
	}
	return "BAD"
}

// Info returns the table row of a valid opcode.
func (o Op) Info() *OpInfo { return &Ops[o] }

// IsCmp reports whether o is a comparison or unary test (ISLT..ISF), i.e. an
// instruction that must be followed by a JMP.
func (o Op) IsCmp() bool { return o <= ISF }

// Negate returns the comparison or test with the opposite condition
// (ISLT <-> ISGE, ISEQV <-> ISNEV, ISTC <-> ISFC, IST <-> ISF, ...).
func (o Op) Negate() Op { return o ^ 1 }

// IsArith reports whether o is one of the ADDVN..MODVV arithmetic opcodes.
func (o Op) IsArith() bool { return o >= ADDVN && o <= MODVV }

// OpByName returns the opcode with the given name.
func OpByName(name string) (Op, bool) {
	for i := range Ops {
		if Ops[i].Name == name {
			return Op(i), true
		}
	}
	return 0, false
}
