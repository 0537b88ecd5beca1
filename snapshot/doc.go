// Package snapshot turns the snapshots of a compiled trace into a compact
// exit map and restores an interpreter's frames from a trace's exit state.
// It sits at the exit end of the jitkit pipeline:
//
//	record (irkit.Recorder takes snapshots) → optimize → regalloc → emit
//	   → snapshot.BuildSnaps or Build (one Map per compiled trace)
//	   → run ──guard fails──▶ exit stub ──▶ snapshot.Restore ──▶ interpreter
//
// # What irkit already does, and what this package adds
//
// irkit owns the in-trace records: while a language records, the Recorder
// takes a snapshot before a guard only if a slot was written, a frame
// pushed or popped, or a side effect emitted since the last one (so
// guards with nothing observable between them share a snapshot), lists
// only the slots written since the trace began, and keeps the frames of
// inlined calls (irkit.Frame: base slot, resume PC) with each snapshot.
// A snapshot entry (irkit.SnapEntry, 32 bits: slot, flags, IR reference)
// names an IR value; the allocator then says, per guard, where that value
// is when the guard fails (regalloc.Result: a register, a spill slot, or
// a constant).
//
// This package resolves the two at compile time. Build (or BuildSnaps, for
// a lowering that moves each snapshot's values into one canonical set of
// locations) writes, for every exit, one self-contained byte record: the
// snapshot number, PC, top slot, frames, and for each restored slot its
// IR type, its flags and its location, with constants replaced by their
// values. After that the trace's IR and its allocation can be dropped: the
// Map is all an exit needs. Restore reads one record forward and calls
// the language back through Frames.
//
// # The encoding, and the trade-off
//
// Records are uvarint streams (see Map for the layout): an entry is
// usually three bytes, a slot delta, a tag byte (location kind, flags,
// type) and a register number; constants are interned once per map as
// 64-bit words. Per-exit offsets give O(1) access, and exits whose records
// are identical (guards sharing a snapshot and its locations) store it
// once. Measured on demo-lang's traces (the conformance corpus and the
// syntax test programs with the JIT on, amd64: 39 traces, 468 snapshots,
// 841 guards, 2859 restored entries): a per-snapshot map (BuildSnaps,
// what demo-lang builds) takes 11.9 KB in all, 25.5 bytes per snapshot;
// a per-guard map (Build) 13.9 KB, 4.9 bytes per entry, 16.5 per exit,
// about half of it the per-exit index. Keeping irkit's records plus the
// allocation's locations instead would take 62 KB (74 bytes per exit),
// and the IR on top for types and constants. LuaJIT's form (a 12-byte
// header and 4 bytes per entry) would take 28.9 bytes per snapshot here,
// but it works only with the trace's whole IR and per-instruction
// register and spill fields kept alive as long as the trace can exit. On
// the larger random traces of TestSize (1529 exits, 14144 entries) records
// take 3.0 bytes per entry and the map 44 bytes per exit, against 139 for
// irkit's records plus locations. The price of ours: a record is read
// sequentially (no random access to the k-th entry, which restore never
// needs), and a map is built once per trace, with allocation.
//
// # The language's side
//
// A language implements Frames: SetFrame for each frame (outermost first;
// frame 0 is the one the trace was entered in, the others are inlined
// calls to rebuild), SetSlot for each restored slot with the value's IR
// type, so the language boxes it (an int32 becomes a double for a language
// whose numbers are doubles; a value flagged irkit.SnapFrame is the frame
// link the recorder stored), and SetPC last, where the interpreter
// resumes. Slots is a ready implementation over a []uint64. Restore does
// not allocate; values the trace never computed (constants) are rebuilt
// from the map. Sunk allocations are not part of irkit's IR yet; when they
// are, they will be rebuilt here too.
//
// # The exit path, worked through
//
// The trace of Example, recorded at pc 10 with x in slot 0: y = x + 5 is
// written to slot 1, then f(y) is inlined with its frame at slot 3 and a
// frame link (a constant, flagged SnapFrame) in slot 2; f computes
// h = y * 0.5 into its slot 1 (absolute slot 4) and at pc 101 guards
// y < 50. The guard's snapshot as irkit dumps it, its allocation for
// amd64, and the two exits of the Map (the guard's and the trace end's):
//
//	....        SNAP   #0   pc=101 {0@12 3@101} [ 1:0002 2:{0xfffb0000000000f0}|F 3:0002 4:0004 ]
//	0005 > int  LT     0002  +50             ; - <- rax, - exit{0002:rax 0002:rax 0004:x0}
//
//	exit 0 guard 0005: snap 0 pc=101 top=5 frames=[0@12 3@101] 1:int=g0 2:val=#0xfffb0000000000f0!frame 3:int=g0 4:num=f0
//	exit 1 guard 0006: snap 1 pc=102 top=5 frames=[0@12 3@102] 1:int=g0 2:val=#0xfffb0000000000f0!frame 3:int=g0 4:num=f0
//
// When x = 60:
//
//  1. The guard's compare fails and its branch goes to the exit stub.
//  2. The stub (emit/amd64) moves the snapshot's values into their
//     canonical locations, stores the live registers into State.Regs
//     (general register n at Regs[n], float register n at Regs[32+n];
//     spilled values are already in the spill area at State.Spill), writes
//     the exit number (the snapshot number, as guard numbers exits) into
//     State.Exit and returns.
//  3. emit.Enter returns the status word emit.StatusExit | 0.
//  4. The VM calls m.RestoreState(&state, frames) (or m.Restore with the
//     exit number, the register file and the spill area). Restore reads
//     exit 0's record: SetFrame(0, 0, 12), SetFrame(1, 3, 101); SetSlot(1,
//     int, 65) from Regs[0], normalized (a TInt register holds the int32
//     in its low half only); SetSlot(2, val, 0xfffb...f0) with SnapFrame
//     and SnapConst from the map's constants; SetSlot(3, int, 65);
//     SetSlot(4, num, 32.5) from Regs[32]; SetPC(101, 5).
//  5. The language boxes each value (65 becomes the double 65.0), rebuilds
//     the call frame of f from the frame link and SetFrame(1, 3, 101), and
//     the caller's frame to resume at pc 12 when f returns.
//  6. guard.Tracker.Exit counts the exit (a hot one gets a side trace), and
//     the interpreter resumes at pc 101 inside f, re-executing the guarded
//     bytecode.
//
// # Using it
//
// After a backend compiled a trace (emit/amd64 and emit/arm64 give every
// snapshot one canonical set of exit locations, emit.Trace.Locs):
//
//	code, err := lowerer.Compile(tr, res)
//	m, err := snapshot.BuildSnaps(tr, lowerer.Target(), code.Locs)
//	// ... keep m with the code; drop tr and res if nothing else needs them.
//	status := emit.Enter(code.Entry, uintptr(unsafe.Pointer(&state)))
//	if emit.StatusKind(status) != emit.StatusCall {
//		err = m.RestoreState(&state, frames) // guard exits and interrupts alike
//	}
//
// Build instead makes one exit per guard from a regalloc.Result, for a
// lowering that leaves each guard's values where the allocation had them
// (Restore then takes the guard's exit number). A trace that ran off its
// end without a snapshot reports emit.NoExit, which has nothing to restore
// (ErrExit).
//
// # Testing and figures
//
// TestRandomExits records random traces (loops, inlined calls, constants of
// every type, register pressure), allocates them for amd64 and arm64, and
// fails each guard in turn through irkit's interpreter; the exit state is
// simulated from the interpreter's values and the allocation's locations,
// with garbage everywhere else, and the restored slots, frames and PC must
// equal the interpreter's (about 4,400 exits; per-guard maps with Restore
// and per-snapshot maps with RestoreState). TestNativeExits does the same
// with real machine code from the host's backend (amd64 natively, arm64
// under qemu), including interrupt exits at a loop's back edge that are
// restored and resumed on the interpreter; TestNativeLowertest restores
// the exits of emit/lowertest's random traces (every guard kind, memory,
// SSTORE, high pressure). Encodings round-trip exactly (TestRoundTrip,
// FuzzDecode, FuzzRoundTrip), and Decode accepts only maps that restore.
//
// BenchmarkRestore restores every exit of 50 recorded loop traces (about
// 13 slots per exit): 6-12 ns of CPU time per restored slot with a Frames
// that only stores, 8-12 ns through Slots with a boxing function, with 0
// allocations (TestNoAllocs checks it). These are figures from the shared
// development machine under a load of 12-18 on 2 CPUs; wall time there is
// 3-5x the CPU time.
package snapshot
