// Package regalloc assigns machine registers to the values of an irkit
// trace: the stage between the optimized IR and the machine-code lowering
// (record → irkit → regalloc → emit/amd64, emit/arm64).
//
// # The idea: allocate backwards
//
// Following LuaJIT's lj_asm.c, the allocator walks the trace from its last
// instruction to its first. Every use of a value is met before its
// definition, so when an instruction is reached its result's register is
// already known: it is the register the first user asked for (a fixed
// argument register, the two-address form's destination, a PHI's
// register). Operands get a register at their last use, which going
// backwards is the first one seen. When registers run out the allocator
// evicts the value that is cheapest to lose: a constant (rematerialized
// by one instruction), then a value held only so an exit can read it (no
// reload needed), then the value whose next use going backwards is
// farthest away (Belady's rule). An evicted value is reloaded from its
// spill slot just after the instruction that needed its register, and
// stored to the slot just after its definition, once, however often it
// is reloaded. Spill slots are 8-byte cells of a spill area the generated
// code addresses through the state pointer, never the Go stack; Result.NSlots
// is its size in slots.
//
// Loops (loop.go) are allocated from the back edge: PHI right operands
// and loop invariants get registers at the end of the body, PHI left
// operands are hinted to the same registers, and when the walk reaches
// LOOP, whatever still differs between the end of the body and the top is
// reconciled by one parallel move at the back edge (parmove.go), with
// cycles broken through the target's scratch register.
//
// Targets (target.go) describe themselves as data: register classes,
// allocatable sets, the state and scratch registers, the helper-call
// convention and per-opcode constraints (fixed registers, clobbers,
// immediates, temporaries). AMD64 and ARM64 are provided.
//
// # The trade-off
//
// One linear walk with no live-interval construction is fast (well under
// a microsecond per instruction, see the benchmarks) and spills on demand
// with per-use granularity, which suits traces: long, straight, with a
// single loop. It gives up global optimality: a value is split only at
// the points where a register was needed, and the back edge may need
// moves a graph-colouring allocator would avoid.
//
// # The result, and the order of things
//
// Result is plain data. For each instruction, InsRegs gives the result
// register, the operand registers as the instruction reads them, a
// temporary if the opcode asked for one, and two lists of moves: Before
// moves run just before the instruction, After moves just after it, each
// list in execution order. A lowering that emits backwards emits, for each
// instruction from the last to the first: its After moves last to first,
// the instruction, its Before moves last to first; then Entry's moves last
// to first at the very start. A loop trace ends with Tail, the back-edge
// moves in execution order, followed by the jump to LOOP; Top says which
// registers hold which values there. At every guard, Exits and Locs (or
// Where) say where each value of the guard's snapshot is: a register, a
// spill slot, or a constant. The end of the trace has such a record too
// (Exits at Trace.Next()): where a straight trace leaves, where a
// restarting trace writes its last snapshot, and, for a loop, where the
// interrupt check at the back edge leaves through the loop snapshot.
//
// Moves are register←register copies, register←slot reloads,
// slot←register spills and register←constant rematerializations. Within
// one instruction's After list the result's spill store and copy come
// first, then reloads; they never conflict.
//
// # The contract with the lowering
//
// What emit/amd64 and emit/arm64 may rely on, and must honour:
//
//   - Dest may equal Op1 (x86's two-address form: "mov dest, op1; op dest,
//     op2" is then one instruction) but never Op2 or another operand,
//     unless that operand is the same value as Op1. Calls are exempt: their
//     arguments are all read before the result is written.
//   - Operands may sit in registers the instruction clobbers (its Cons
//     Clobber set, a call's caller-saved registers): they are read first.
//     Integer DIV/MOD on amd64 never have the divisor in RAX or RDX.
//   - Op2 = NoReg with a constant operand means "immediate": the opcode's
//     Cons has Imm2 and the constant is within [ImmMin, ImmMax].
//   - Tmp (when Cons asks for one) is distinct from Dest and the operands
//     and holds nothing live; the lowering may destroy it.
//   - Target.Scratch is never allocated: the lowering may use it inside any
//     instruction and inside a move (a float Remat may build the constant
//     there); Tail moves park a value in it to break a cycle (a cross-class
//     Copy through it is a bit-exact move, movq/fmov), but never across a
//     Remat or a slot-to-slot copy.
//   - Calls (CALLN, CALLS, and the ops a target's Cons marks Call) take
//     their arguments in Target.Args order, counted per class, and return in
//     Target.Ret; the helper preserves the state register and the registers
//     outside Target.CallerSaved.
//   - A guard's exit locations hold after the instruction has executed
//     (ADDOV's overflowed result is already written): they never name the
//     guard's Dest.
//   - Spill slot s is the 8-byte word at offset 8*s of the spill area; every
//     value is stored as a full 64-bit word.
//   - A loop trace: the LOOP instruction has no moves and is the back
//     edge's target; the trace ends with Tail and the jump. A trace that
//     restarts (Trace.Looping without LOOP) exits through its end record
//     (Exits at Trace.Next()) and jumps back before the Entry moves.
//   - The back edge of a loop trace is an exit too: the interrupt check
//     (State.Interrupt) leaves the trace after the last instruction's
//     After moves and before the Tail moves, through the loop snapshot,
//     the trace's last (len(Trace.Snaps)-1). Its record is the loop's end
//     record: the last entry of Exits, with Ref = Trace.Next() and Snap =
//     len(Trace.Snaps)-1, so ExitAt(tr.Next()) and Where(tr.Next(), ref)
//     say where every value of the loop snapshot is at that point. The
//     allocation keeps those values alive to the back edge as it does a
//     guard's (a value the body writes to a slot after its last guard and
//     does not carry into the next iteration included); no code branches
//     to that record except the interrupt check, so the lowering gives it
//     no stub of its own beyond the interrupt exit.
//   - An exit record lists each value once, however many interpreter
//     slots of the snapshot hold it.
//   - On a target with FuseLoads, an instruction for which FusedLoad
//     reports true reads its first operand's word in memory: Op1 is then
//     the register of the load's address operand (NoReg for an SLOAD),
//     and the memory word is still the one the load read. A comparison
//     for which FusedLoad2 reports true reads its second operand's field
//     in memory: Op2 is the register of the FLOAD's object. A load whose
//     value nothing else needs has Dest = NoReg, like any pure value no
//     one reads: the lowering emits nothing for it.
//   - On a target with FuseAddrs, an instruction for which FusedAddr
//     reports an AREF or FREF reads that address's base in place of the
//     address (Op1) and, for an AREF indexed by a register, its index in
//     Op2 (through a BCAST between 64-bit words: the BCAST's operand; an
//     i64 index x+k is x, k going to the displacement, for an AREF that
//     gets a register too);
//     Target.Operands says which values each instruction reads, for the
//     allocator, Check and tools alike. An address, a BCAST, an i64 ADD
//     or a load that no instruction emitting code reads gets Dest = NoReg
//     and no operand registers: a dead instruction reads nothing.
//
// # Correctness
//
// Check proves an allocation correct by symbolic execution (check.go), in
// the spirit of the checker Cranelift's regalloc2 is fuzzed with: every
// register and slot carries the set of values it holds, every use must
// read a location holding its value, every exit's recorded locations must
// hold the snapshot's values (the back edge's exit included), and the loop
// is checked at the fixed point of its back edge. The tests also execute every allocation on a model
// register file filled with garbage and compare with irkit's interpreter.
//
// # Figures
//
// On the development machine (shared, heavily loaded), allocating
// 350-400-instruction random traces costs about 100 ns of CPU time per IR
// instruction (BenchmarkAlloc*, metric cpu-ns/ins; wall time is inflated
// 2-4x by the load), with 0 allocations per run once the Allocator and
// Result are warm. Against a forward linear scan (Poletto and Sarkar) on
// the reference traces of TestAgainstBaseline, with the constraints
// removed since the baseline does not model them, the backward allocation
// needs fewer stores plus reloads on every trace and target: 3,231 against
// 4,057 in total when this was written (for example 95 against 165 on a
// 179-instruction loop for amd64, 492 against 670 on a 725-instruction
// loop for arm64). It trades reloads for stores: splitting a value at its
// uses stores it once and reloads it only where the registers ran out, so
// it reloads about 35% less but stores about 20% more. The test logs every
// count, including those on the full targets. Keeping the loop snapshot's
// values to the back edge (for the interrupt exit) changes none of these
// counts; on 600 loops from TestBackEdgeRecord's generators (tailLoops),
// whose snapshots name values computed after the last guard and never read
// again, it costs about 5% more stores inside the loop body (4,808 against
// 4,560 for amd64), the price of those values having a location at the
// back edge at all.
//
// # A worked example
//
// "repeat i = i + 1 until i >= n" over slots 0 (i) and 1 (n), after
// irkit's loop optimization, allocated for amd64 (see Example):
//
//	0001   int  SLOAD  #0    #0   ; rax <- -, -
//	0002   int  SLOAD  #1    #0   ; r14 <- -, -
//	0003 > int  ADDOV  0001  +1   ; rax <- rax, -
//	0004 > int  LT     0003  0002 ; - <- rax, r14   exit{0003:rax}
//	0005   void LOOP
//	0006 > int  ADDOV  0003  +1   ; r15 <- rax, -   exit{0003:rax}
//	0007 > int  LT     0006  0002 ; - <- r15, r14   exit{0006:r15}
//	0008   int  PHI    0003  0006
//	   end exit{0006:r15}
//	  tail copy rax <- r15 (0006)
//
// Walking backwards: the PHI gives 0006 a register at the end of the body
// (r15) and hints it to 0003; the invariant n (0002) gets r14 there too and
// keeps it around the loop. At 0006, an ADDOV guard, 0003 is both the
// operand and a value the exit must restore, and the exit happens after
// the result is written, so 0003 cannot share the result's register r15:
// it gets rax, and the lowering emits "mov r15, rax; add r15, 1; jo exit".
// At LOOP, 0003 is expected in rax but the back edge has the new value in
// r15: Tail copies it. Before the loop, 0003 is born in rax (its first
// user going backwards decided) and 0001 shares it as ADDOV's first
// operand, so the peeled iteration needs no move at all. The exits say
// where the interpreter's slot 0 is: rax at 0004 and 0006, r15 at 0007 and
// at the back edge ("end": the interrupt check's exit through the loop
// snapshot, before the tail copy).
package regalloc
