// Package bytecode defines demo-lang's instruction set: the opcodes and what
// each one does, their 32-bit encoding, function prototypes (Proto) with
// constants and debug information, a verifier and a disassembler.
//
// # Place in the pipeline
//
//	source --syntax--> AST --compile--> bytecode.Proto --vm--> results
//	                                          |
//	                                          +--recorder--> irkit IR --> machine code
//
// The compiler (demo-lang/compile) produces Protos; the interpreter
// (demo-lang/vm) runs them; the trace recorder reads the same instructions
// one at a time and turns each into IR. This package is the contract
// between the three and has no dependencies of its own.
//
// # The idea: LuaJIT's bytecode, nearly unchanged
//
// The instruction set is LuaJIT 2.1's (lj_bc.h), so everyone on the project
// shares one mental model and LuaJIT's documentation and listings read the
// same way. The properties that make it good for both a fast interpreter and
// a tracing recorder:
//
//   - Fixed 32-bit instructions, op|A|C|B or op|A|D (see Ins). Decoding is a
//     shift and a mask; an interpreter loop is `ins := code[pc]; switch
//     ins.Op()` over a flat []Ins.
//   - Register machine: operands are frame slots (0..249), not a stack, so a
//     typical statement is one instruction and the recorder maps slots
//     one-to-one to IR references.
//   - Specialization by operand kind: ADDVN (slot + number constant) or
//     ISEQS (slot == string constant) tell both the interpreter and the
//     recorder statically what kind of operand they see; the recorder emits
//     no type guard for a constant.
//   - Comparisons are always followed by a JMP, and every test has its
//     negation at op^1, so the compiler inverts a condition by flipping one
//     bit and the recorder sees which way a branch went from the pc.
//   - Loops are explicit: FORI/FORL (numeric for), ITERC/ITERL (generic
//     for) and LOOP (while/repeat) mark the loop headers where the VM counts
//     hotness and starts recording.
//
// What is left out of LuaJIT's set: the JIT-internal variants (IFORL, JFORL,
// JLOOP, ...; the VM keeps hot counters itself), function header opcodes
// (FUNCF/FUNCV: the VM knows NumParams and IsVararg from the Proto),
// ISTYPE/ISNUM, KCDATA, TGETR/TSETR, TDUP, and ITERN/ISNEXT.
//
// # The trade-off
//
// Specialized opcodes mean more opcodes (74) and more cases in the
// interpreter and the recorder, in exchange for fewer instructions executed,
// fewer type checks and simpler traces. Fixed-width encoding limits frames to
// 250 slots, ABC-form constant operands to 256 constants (the compiler falls
// back to loading the constant into a temporary slot beyond that) and D to
// 65536 entries; the compiler reports those limits as errors.
//
// # Conventions the VM must know
//
// Calls: the callee is in slot A, arguments in A+1...; results are written
// back starting at slot A. MULTRES: instructions that produce a variable
// number of values (CALL/CALLM with B=0, VARG with B=0) set it; the next
// M-instruction (CALLM, CALLMT, RETM, TSETM) consumes it. Numeric for uses
// four slots: base idx, base+1 stop, base+2 step, base+3 the visible loop
// variable. Generic for: base generator, base+1 state, base+2 control, the
// loop variables from base+3, which is where ITERC calls the generator.
// Upvalues: FNEW creates a closure and fills its upvalues from the child
// Proto's Upvals (a slot of the creating frame, shared while it is open, or
// an upvalue of the creating closure); UCLO closes the open upvalues of
// slots >= A when a scope with captured locals ends (each loop iteration
// therefore gets fresh upvalues), and returns close them all. Error names:
// Proto.SlotName says whether a value came from a local, a global, a field,
// a method or an upvalue, for messages such as
// "attempt to call global 'foo' (a nil value)".
//
// Every opcode's exact semantics are in its row of the Ops table.
//
// # Worked example
//
// The Lua function
//
//	local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
//
// compiles to (Dump output; "=>" marks jump targets)
//
//	-- BYTECODE -- fib.lua:1-1
//	0000    KSHORT   1   2
//	0001    ISGE     0   1
//	0002    JMP      1 => 0004
//	0003    RET1     0   2
//	0004 => UGET     1   0          ; fib
//	0005    SUBVN    2   0   0      ; 1
//	0006    CALL     1   2   2
//	0007    UGET     2   0          ; fib
//	0008    SUBVN    3   0   1      ; 2
//	0009    CALL     2   2   2
//	0010    ADDVV    1   1   2
//	0011    RET1     1   2
//
// `n < 2` becomes ISGE n, 2 + JMP: the jump skips the `then` block when
// NOT (n < 2), which is also right for NaN.
package bytecode
