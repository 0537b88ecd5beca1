package irkit

// Why one table: the dump, the verifier, CSE, fold, DCE and the interpreter
// must agree on what each opcode's operands are and what it may do. Each
// opcode is declared exactly once, below, with its operand kinds and flags;
// everything else reads opInfo and nothing else hard-codes an opcode's
// properties.

// Op is an IR opcode.
type Op uint8

// Operand kinds of the opcode table.
const (
	ModeNone uint8 = iota // operand unused (must be 0)
	ModeRef               // a Ref to a constant or an earlier instruction
	ModeLit               // a 16-bit literal (slot number, offset, tag, helper id)
	ModeK                 // constant payload (constants only)
)

// Opcode flags.
const (
	FComm  uint16 = 1 << iota // commutative (integer types only: float NaN payloads forbid swapping)
	FGuard                    // always a guard: may leave the trace
	FSide                     // side effect: never removed, never CSE'd
	FLoad                     // reads memory: CSE'd only with no store since
	FStore                    // writes memory
	FNoVal                    // produces no value
	FConst                    // a constant
	FCall                     // a helper call (op1 = args, op2 = helper id)
	FCmp                      // a comparison guard (result type = operand type)
)

// OpInfo describes one opcode.
type OpInfo struct {
	Name         string
	Mode1, Mode2 uint8
	Flags        uint16
}

// The opcodes. Semantics are those of the IR interpreter (interp.go),
// which is normative; the comment of each group summarises them.
const (
	NOP  Op = iota // no operation (also what DCE leaves behind)
	BASE           // the pseudo-instruction at Bias

	// Constants (below Bias only).
	KINT // int32 (TInt) or boolean (TBool)
	KI64 // int64
	KNUM // float64, by bit pattern
	KPTR // address
	KVAL // language value word

	// Comparison guards: leave the trace unless the relation holds. The
	// instruction's type is its operands' type. Integers compare signed
	// (EQ..GT) or unsigned (ULT..UGT). Floats: EQ LT GE LE GT are ordered
	// (false on NaN), NE is true on NaN, and ULT UGE ULE UGT mean
	// "unordered or <" etc., so every comparison has an exact negation.
	EQ
	NE
	LT
	GE
	LE
	GT
	ULT
	UGE
	ULE
	UGT

	// Arithmetic on TInt and TI64 (wrapping) and TNum (IEEE); ADD and SUB
	// also on TPtr (pointer plus or minus a TI64 or TPtr). Integer DIV
	// truncates, MOD takes the dividend's sign; x/0 = 0, x%0 = x,
	// MIN/-1 = MIN and MIN%-1 = 0 (arm64's sdiv+msub results): they never
	// trap. Float MOD is math.Mod, POW is math.Pow. Integer POW is
	// repeated wrapping multiplication; a negative exponent gives 0
	// unless the base is 1 or -1. MIN(a,b) = a<b ? a : b and
	// MAX(a,b) = a>b ? a : b (so for floats MIN(NaN,1)=1, MIN(1,NaN)=NaN).
	ADD
	SUB
	MUL
	DIV
	MOD
	POW
	MIN
	MAX
	NEG // integer wrapping negation; float flips the sign bit
	ABS // integer wrapping (ABS(MIN) = MIN); float clears the sign bit
	FLOOR
	CEIL
	SQRT

	// Overflow-checked integer arithmetic: guards that leave the trace if
	// the result does not fit in the type.
	ADDOV
	SUBOV
	MULOV

	// Bit operations on TInt and TI64. Shift and rotate counts are taken
	// modulo the width (32 or 64), as both x86 and arm64 do.
	BNOT
	BAND
	BOR
	BXOR
	BSHL
	BSHR // logical
	BSAR // arithmetic
	BROL
	BROR

	// Conversions. ITOF: TInt/TI64 to TNum (round to nearest). FTOI: TNum
	// to TInt/TI64 truncating toward zero, saturating out of range, NaN
	// gives 0 (arm64 fcvtzs; x86 needs a fix-up). FTOIX: a guard, leaves
	// the trace unless the float converts exactly (no fraction, in range,
	// not NaN; -0 passes as 0). SEXT/ZEXT: TInt to TI64. TRUNC: TI64 to
	// TInt. BCAST: reinterpret the bits between the 64-bit types.
	ITOF
	FTOI
	FTOIX
	SEXT
	ZEXT
	TRUNC
	BCAST

	// Value boxing, parameterized by the trace's BoxLayout (never by a
	// language): ISNUM guards that a value word holds a number, ISTAG
	// guards that it holds tag #op2. UNBOXN reinterprets a value word as
	// TNum; UNBOXP extracts the payload (TPtr or TI64). BOXN boxes a
	// number, replacing every NaN by the layout's canonical NaN; BOXP
	// boxes payload op1 with tag #op2.
	ISNUM
	ISTAG
	UNBOXN
	UNBOXP
	BOXN
	BOXP

	// Memory. Interpreter slots: SLOAD #slot #flags, SSTORE #slot value;
	// slot i lives at slot base + 8*i. SLOAD's flags are the language's
	// own (irkit keeps them and CSE tells loads with different flags
	// apart). Object fields: FREF obj #ofs is the
	// address obj+ofs; FLOAD obj #ofs loads from it; FSTORE fref value.
	// Arrays of 8-byte elements: AREF base idx is base+8*idx; ALOAD aref;
	// ASTORE aref value. Raw memory: XLOAD ptr #flags; XSTORE ptr value.
	// A load or store of type T touches T.Size() bytes.
	SLOAD
	SSTORE
	FREF
	FLOAD
	FSTORE
	AREF
	ALOAD
	ASTORE
	XLOAD
	XSTORE

	// Helper calls: CARG pairs up arguments (CARG(CARG(a,b),c) is a,b,c);
	// CALLN calls a pure helper, CALLS one with side effects.
	CARG
	CALLN
	CALLS

	// Loops: LOOP separates the peeled iteration from the loop body; PHI
	// a b (after the body) sets a to b's value at the back edge.
	LOOP
	PHI

	NumOps
)

var opInfo = [NumOps]OpInfo{
	NOP:  {"NOP", ModeNone, ModeNone, FNoVal},
	BASE: {"BASE", ModeNone, ModeNone, FNoVal},

	KINT: {"KINT", ModeK, ModeK, FConst},
	KI64: {"KI64", ModeK, ModeNone, FConst},
	KNUM: {"KNUM", ModeK, ModeNone, FConst},
	KPTR: {"KPTR", ModeK, ModeNone, FConst},
	KVAL: {"KVAL", ModeK, ModeNone, FConst},

	EQ:  {"EQ", ModeRef, ModeRef, FGuard | FCmp | FNoVal | FComm},
	NE:  {"NE", ModeRef, ModeRef, FGuard | FCmp | FNoVal | FComm},
	LT:  {"LT", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	GE:  {"GE", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	LE:  {"LE", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	GT:  {"GT", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	ULT: {"ULT", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	UGE: {"UGE", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	ULE: {"ULE", ModeRef, ModeRef, FGuard | FCmp | FNoVal},
	UGT: {"UGT", ModeRef, ModeRef, FGuard | FCmp | FNoVal},

	ADD:   {"ADD", ModeRef, ModeRef, FComm},
	SUB:   {"SUB", ModeRef, ModeRef, 0},
	MUL:   {"MUL", ModeRef, ModeRef, FComm},
	DIV:   {"DIV", ModeRef, ModeRef, 0},
	MOD:   {"MOD", ModeRef, ModeRef, 0},
	POW:   {"POW", ModeRef, ModeRef, 0},
	MIN:   {"MIN", ModeRef, ModeRef, 0},
	MAX:   {"MAX", ModeRef, ModeRef, 0},
	NEG:   {"NEG", ModeRef, ModeNone, 0},
	ABS:   {"ABS", ModeRef, ModeNone, 0},
	FLOOR: {"FLOOR", ModeRef, ModeNone, 0},
	CEIL:  {"CEIL", ModeRef, ModeNone, 0},
	SQRT:  {"SQRT", ModeRef, ModeNone, 0},

	ADDOV: {"ADDOV", ModeRef, ModeRef, FGuard | FComm},
	SUBOV: {"SUBOV", ModeRef, ModeRef, FGuard},
	MULOV: {"MULOV", ModeRef, ModeRef, FGuard | FComm},

	BNOT: {"BNOT", ModeRef, ModeNone, 0},
	BAND: {"BAND", ModeRef, ModeRef, FComm},
	BOR:  {"BOR", ModeRef, ModeRef, FComm},
	BXOR: {"BXOR", ModeRef, ModeRef, FComm},
	BSHL: {"BSHL", ModeRef, ModeRef, 0},
	BSHR: {"BSHR", ModeRef, ModeRef, 0},
	BSAR: {"BSAR", ModeRef, ModeRef, 0},
	BROL: {"BROL", ModeRef, ModeRef, 0},
	BROR: {"BROR", ModeRef, ModeRef, 0},

	ITOF:  {"ITOF", ModeRef, ModeNone, 0},
	FTOI:  {"FTOI", ModeRef, ModeNone, 0},
	FTOIX: {"FTOIX", ModeRef, ModeNone, FGuard},
	SEXT:  {"SEXT", ModeRef, ModeNone, 0},
	ZEXT:  {"ZEXT", ModeRef, ModeNone, 0},
	TRUNC: {"TRUNC", ModeRef, ModeNone, 0},
	BCAST: {"BCAST", ModeRef, ModeNone, 0},

	ISNUM:  {"ISNUM", ModeRef, ModeNone, FGuard | FNoVal},
	ISTAG:  {"ISTAG", ModeRef, ModeLit, FGuard | FNoVal},
	UNBOXN: {"UNBOXN", ModeRef, ModeNone, 0},
	UNBOXP: {"UNBOXP", ModeRef, ModeNone, 0},
	BOXN:   {"BOXN", ModeRef, ModeNone, 0},
	BOXP:   {"BOXP", ModeRef, ModeLit, 0},

	SLOAD:  {"SLOAD", ModeLit, ModeLit, FLoad},
	SSTORE: {"SSTORE", ModeLit, ModeRef, FStore | FSide | FNoVal},
	FREF:   {"FREF", ModeRef, ModeLit, 0},
	FLOAD:  {"FLOAD", ModeRef, ModeLit, FLoad},
	FSTORE: {"FSTORE", ModeRef, ModeRef, FStore | FSide | FNoVal},
	AREF:   {"AREF", ModeRef, ModeRef, 0},
	ALOAD:  {"ALOAD", ModeRef, ModeNone, FLoad},
	ASTORE: {"ASTORE", ModeRef, ModeRef, FStore | FSide | FNoVal},
	XLOAD:  {"XLOAD", ModeRef, ModeLit, FLoad},
	XSTORE: {"XSTORE", ModeRef, ModeRef, FStore | FSide | FNoVal},

	CARG:  {"CARG", ModeRef, ModeRef, FNoVal},
	CALLN: {"CALLN", ModeRef, ModeLit, FCall},
	CALLS: {"CALLS", ModeRef, ModeLit, FCall | FSide | FStore},

	LOOP: {"LOOP", ModeNone, ModeNone, FSide | FNoVal},
	PHI:  {"PHI", ModeRef, ModeRef, FSide | FNoVal},
}

// Info returns the table entry of op (a zero OpInfo for an unknown op).
func (o Op) Info() OpInfo {
	if o >= NumOps {
		return OpInfo{}
	}
	return opInfo[o]
}

// String is the opcode's name as dumps print it.
func (o Op) String() string {
	if o >= NumOps {
		return "OP?"
	}
	return opInfo[o].Name
}

// Has reports whether op has all of the flags f.
func (o Op) Has(f uint16) bool { return o < NumOps && opInfo[o].Flags&f == f }

// IsGuard reports whether op always is a guard.
func (o Op) IsGuard() bool { return o.Has(FGuard) }

// HasValue reports whether op produces a value a register must hold.
func (o Op) HasValue() bool { return o < NumOps && opInfo[o].Flags&FNoVal == 0 }

// IsConst reports whether op is a constant opcode.
func (o Op) IsConst() bool { return o.Has(FConst) }

// OpByName returns the opcode with the given dump name.
func OpByName(name string) (Op, bool) {
	for i := range opInfo {
		if opInfo[i].Name == name {
			return Op(i), true
		}
	}
	return 0, false
}

// Negate returns the comparison that holds exactly when o does not, for
// operands of type t (NaNs included for TNum), and false if o is no
// comparison. Integers: LT and GE are each other's negation; floats: LT
// and UGE ("unordered or >=").
func (o Op) Negate(t Type) (Op, bool) {
	fl := t.Base() == TNum
	switch o {
	case EQ:
		return NE, true
	case NE:
		return EQ, true
	case LT:
		if fl {
			return UGE, true
		}
		return GE, true
	case GE:
		if fl {
			return ULT, true
		}
		return LT, true
	case LE:
		if fl {
			return UGT, true
		}
		return GT, true
	case GT:
		if fl {
			return ULE, true
		}
		return LE, true
	case ULT:
		if fl {
			return GE, true
		}
		return UGE, true
	case UGE:
		if fl {
			return LT, true
		}
		return ULT, true
	case ULE:
		if fl {
			return GT, true
		}
		return UGT, true
	case UGT:
		if fl {
			return LE, true
		}
		return ULE, true
	}
	return 0, false
}
