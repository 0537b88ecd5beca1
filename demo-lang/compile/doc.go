// Package compile turns a demo-lang AST (package syntax) into bytecode
// prototypes (package bytecode): register allocation for locals and
// temporaries, constants, upvalues and closures, jumps for control flow and
// for `and`/`or`/comparisons, multiple results, tail calls and loops.
//
// # Place in the pipeline
//
//	source --syntax.Parse--> AST --compile.Compile--> bytecode.Proto --vm--> results
//
// # The idea
//
// The code generator is Lua 5.1's and LuaJIT's, driven by a tree instead of
// by the parser. Every expression is compiled into a descriptor (expDesc)
// saying where its value is — a constant, a local's slot, an upvalue, a
// global, a table index, a comparison's jump, an instruction whose
// destination is still open, a call — and it becomes instructions only when
// its consumer says where it wants the value. So `x = y + 1` is one ADDVN
// written straight into x's slot, `t.k = 5` uses the string and number
// constants as operands, and `if a < b then` is an ISGE and a JMP with no
// boolean ever materialized. Registers are a stack: locals occupy slots
// 0..n-1 in declaration order, temporaries sit above them and are freed in
// LIFO order, and every statement starts with no temporaries.
//
// Upvalues: when a closure refers to a local of an enclosing function, that
// local's block is marked, and the block emits UCLO at its end; a loop body
// is such a block, so each iteration gets fresh variables, as in Lua 5.1.
// A break out of a loop whose body captured something becomes UCLO (close
// and jump) instead of JMP. Returns and tail calls close upvalues in the VM.
//
// Table constructors follow Lua 5.1's store order: keyed fields are stored
// at once, positional values wait in registers and are stored in batches
// of 50 and at the end (TSETM for a final multiple-result call), so
// {"a", [1] = "b"} holds "a" as in lua5.1 (LuaJIT says "b"). TNEW's
// array size counts a final multiple-result item as one value, so that
// {f(), g()} is built without growing its array part.
//
// Constant folding covers +, -, * and / of two number constants and unary
// minus, only when the IEEE result is exactly what the VM would compute and
// is not NaN; division by zero, % and ^ are left to run time (as Lua 5.1).
//
// # The trade-off
//
// Compiling from a tree costs a pass more than Lua's single-pass compiler,
// but keeps the parser independent and testable and leaves room for
// analyses before code generation. The register discipline is simple and
// fast but not optimal: a temporary is never reused out of LIFO order.
//
// # Worked example
//
//	local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
//
// compiles to
//
//	0000    KSHORT   1   2              -- temporary 1 = 2
//	0001    ISGE     0   1              -- not (n < 2)?
//	0002    JMP      1 => 0004          --   then skip the `then` block
//	0003    RET1     0   2              -- return n
//	0004 => UGET     1   0      ; fib   -- fib is an upvalue of itself
//	0005    SUBVN    2   0   0  ; 1     -- n - 1 straight into the argument slot
//	0006    CALL     1   2   2          -- one argument, one result
//	...
//	0010    ADDVV    1   1   2
//	0011    RET1     1   2
package compile
