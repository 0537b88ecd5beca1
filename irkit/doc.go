// Package irkit is the intermediate representation of jitkit's tracing JIT:
// the stage between a language's recorder and the register allocator
// (record → irkit: fold, CSE, DCE, loop optimization → regalloc → emit).
//
// # The idea
//
// A trace is a straight line of instructions with guards as its only
// control flow. Each instruction (Ins) is 8 bytes: an opcode, a result type
// with a guard flag, two 16-bit operands and a Prev link that chains all
// instructions of the same opcode. Instructions live in one flat slice and
// refer to each other by index (Ref). Constants are interned and live
// below Bias, instructions above it, so "is this a constant?" is one
// compare. The opcode table (op.go) is the single description of every
// opcode; the dump, the verifier, CSE, fold, DCE and the interpreter read
// it.
//
// Builder.Emit folds each instruction with table-driven rules (fold.go),
// forwards a load from the store just before it, looks it up on its
// opcode's chain (CSE, cse.go), and only then appends it: redundancy never
// enters the trace. DCE and loop optimization (peeling
// with copy-substitution, after LuaJIT) are passes over the finished
// trace. Snapshots record, for every guard, which interpreter slots an exit
// must restore. The Interp executes a trace on concrete slots and real
// memory; it defines the meaning of every opcode and is the oracle the
// optimizations, and later the backends, are tested against.
//
// A language drives all this through the Recorder (recorder.go): a slot
// map with loads on first use, lazy snapshots before guards, and abort
// with a reason. irkit knows no language and no architecture; value boxing
// is parameterized by a BoxLayout held on the trace.
//
// # The trade-off
//
// 16-bit references cap a trace at about 32,000 instructions and as many
// constants, far more than a useful trace needs, and keep every
// instruction in a single cache line with seven others. Rules that fold on
// emission must be local: they see the new instruction and its operands'
// instructions, never the uses. Global facts (dead code, loop invariance)
// are left to the two passes.
//
// # A worked example
//
// A loop "repeat i = i + 1 until not (i < n)" over slots 0 (i) and 1 (n)
// records as
//
//	....        SNAP   #0   pc=0 [ ]
//	0001   int  SLOAD  #0    #0
//	0002   int  SLOAD  #1    #0
//	0003 > int  ADDOV  0001  +1
//	....        SNAP   #1   pc=1 [ 0:0003 ]
//	0004 > int  LT     0003  0002
//	....        SNAP   #2   pc=0 [ 0:0003 ]
//
// Snapshot #2 is the loop snapshot: at the back edge slot 0 holds 0003.
// Loop optimization keeps this as the peeled first iteration and emits
// the body again after LOOP, with slot 0's load replaced by 0003. The
// copy of 0002 (the load of n) is found by CSE, so n is loaded once,
// before the loop, and a PHI carries i around the back edge:
//
//	0005 ------ LOOP ------------
//	....        SNAP   #3   pc=0 [ 0:0003 ]
//	0006 > int  ADDOV  0003  +1
//	....        SNAP   #4   pc=1 [ 0:0006 ]
//	0007 > int  LT     0006  0002
//	....        SNAP   #5   pc=0 [ 0:0006 ]
//	0008   int  PHI    0003  0006
//
// See Example for the code that produces this.
//
// # Figures
//
// Measured on the shared 2-core development machine (go test -bench,
// CPU time per instruction, since the wall clock there is unreliable):
// Emit with fold and CSE costs about 27 ns per instruction on a dependent,
// recorder-like stream (a quarter of the emits fold or CSE away), about 46
// ns when most instructions are found by CSE after long chain walks, and
// 12 ns for a plain append; 0 allocations per instruction once a Builder
// has been used (TestEmitZeroAlloc asserts it). The property test checks
// 20,000 random traces (about 15,900 compared after the ones fold proves
// to exit are set aside; about 14,000 loop-optimized, 6,000 of which loop
// at run time, 2,500 whose PHIs are all kept alive by the loop body alone)
// in about five seconds.
//
// # The API others build on
//
// Building: NewBuilder, Builder.Emit (fold, CSE, append), the constant
// makers (Builder.KInt, KI64, KNum, KPtr, KVal, K; Trace.KInt ... return an
// error instead of a sticky one), Builder.Guard, SLoad, Call, Err, Reset;
// Builder.SlotsDisjoint (a language's promise that no trace addresses
// the slot area through memory, which lets slot loads survive memory
// stores and vice versa; cse.go); Builder.LoopOpt and Trace.DCE; Trace.Verify; Trace.Dump, String,
// InsString, RefString, KString.
//
// Reading a trace: refs First..Trace.Next()-1 are the instructions,
// Trace.KLow()..Bias-1 the constants; Trace.Ins(ref) is the 8-byte Ins;
// Ins.Op.Info() its table entry (operand modes and F* flags), Op.HasValue,
// Op.IsGuard, Type.Base, Type.IsGuard, Type.Size; Trace.Operands and
// Trace.CallArgs list the references an instruction uses; Trace.KWord,
// KIntValue, KNumValue give a constant's value; Trace.Loop is the LOOP
// instruction (PHIs follow the loop body); Trace.Helper(id) is a call's
// helper (Helper.Addr is for the backends to fill).
//
// Snapshots: Trace.Snaps (headers: first covered Ref, PC, NSlots, frames),
// Trace.Entries(i) (SnapEntry: Slot, Ref, Flags), Trace.Frames(i),
// Trace.SnapOf(ref) and Trace.GuardSnap(ref) for the snapshot a guard
// exits through.
//
// Recording: a language implements Language and drives a Recorder (Slot,
// SetSlot, SetSlotFlags, ClearSlot, Emit, Guard, Snapshot, Call, Return,
// CloseLoop, Stop, Abort); see recorder.go.
//
// Running: Interp.Run executes a trace on a []uint64 of slots; Interp.Force
// makes chosen guards exit although they hold (stress mode).
//
// # Semantics the backends must match
//
// The interpreter (interp.go, eval.go) is normative; in short:
//   - Value words: TInt is held sign-extended to 64 bits, TBool as 0 or 1,
//     TNum as its IEEE bits. Slot i lives at slots base + 8*i and holds the
//     whole word; SLOAD of TInt reads the low 32 bits, of TBool the low byte.
//     Memory loads and stores touch Type.Size() bytes (1, 4 or 8).
//   - Integer arithmetic wraps. DIV truncates, MOD has the dividend's sign;
//     x/0 = 0, x%0 = x, MIN/-1 = MIN, MIN%-1 = 0 (no traps). Shift and
//     rotate counts are taken modulo the width.
//   - Floats follow IEEE exactly: MOD is math.Mod, POW is math.Pow,
//     MIN(a,b) = a<b ? a : b, MAX(a,b) = a>b ? a : b, NEG and ABS touch only
//     the sign bit.
//   - FTOI truncates and saturates, NaN gives 0; FTOIX is the guarded,
//     exact form. ITOF rounds to nearest.
//   - Comparisons on floats: EQ LT LE GT GE are false on NaN, NE and the
//     U-forms true; Op.Negate gives exact negations.
//   - BOXN canonicalizes every NaN (BoxLayout.CanonNaN).
package irkit
