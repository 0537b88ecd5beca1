package emit

import "unsafe"

// -- The state block of a running trace ------------------------------------------

// State is the block of memory a compiled trace reaches through its state
// register (RDI on amd64, X0 on arm64). Both lowerings use this one layout,
// so the code that enters traces, restores snapshots and serves call-outs is
// the same on every architecture.
//
//	+0    Slots      address of interpreter slot 0 (slot i: the word at Slots+8*i)
//	+8    Spill      address of the spill area (spill slot s: the word at Spill+8*s)
//	+16   Interrupt  nonzero asks a running trace to exit at its next loop back edge
//	+20   Exit       the exit taken (a snapshot number), written by the exit code
//	+24   Regs       the registers at the exit: 32 general registers by hardware
//	                 number, then 32 floating-point registers (their 64-bit bit
//	                 patterns), as regalloc's locations name them
//	+536  Args       arguments of a call-out to Go, then its result in Ret
//	+608  Trace      the token of the trace running now: the caller sets it
//	                 at entry, a link stub (Link) when it jumps to another trace
//	+616  Key        a word the caller sets at entry for keyed links
//	                 (Link.Key): only a link whose Key equals it is taken
//
// The trace stores the live registers into Regs at an exit, so snapshot
// restore can read any value from the location the allocation gives it: a
// register (Regs), a spill slot (Spill area) or a constant (the trace).
// Go writes Interrupt with an atomic store from any goroutine; the trace
// reads it with a plain load at each back edge, which is enough on amd64 and
// arm64 for a flag that is eventually seen (at most one more iteration).
//
// State holds no Go pointers: Slots and Spill are addresses, so the memory
// they point to must be kept alive by its owner while a trace runs.
type State struct {
	Slots     uintptr
	Spill     uintptr
	Interrupt uint32
	Exit      uint32
	Regs      [64]uint64
	Args      [8]uint64
	Ret       uint64
	Trace     uint32
	Key       uint64
}

// Offsets of the State fields, for the lowerings' addressing.
const (
	StateSlots     = int32(unsafe.Offsetof(State{}.Slots))
	StateSpill     = int32(unsafe.Offsetof(State{}.Spill))
	StateInterrupt = int32(unsafe.Offsetof(State{}.Interrupt))
	StateExit      = int32(unsafe.Offsetof(State{}.Exit))
	StateRegs      = int32(unsafe.Offsetof(State{}.Regs))
	StateArgs      = int32(unsafe.Offsetof(State{}.Args))
	StateRet       = int32(unsafe.Offsetof(State{}.Ret))
	StateTrace     = int32(unsafe.Offsetof(State{}.Trace))
	StateKey       = int32(unsafe.Offsetof(State{}.Key))
)

// GPR is the saved general register with hardware number n.
func (s *State) GPR(n int) uint64 { return s.Regs[n] }

// FPR is the saved bit pattern of the floating-point register numbered n.
func (s *State) FPR(n int) uint64 { return s.Regs[32+n] }

// -- Preemption ---------------------------------------------------------------------

// When the Go runtime wants a goroutine to stop (a stop-the-world for GC,
// or the scheduler's 10 ms time slice) it stores StackPreempt into that
// goroutine's stack guard word: the word at offset 16 of the g structure
// that every Go function prologue compares the stack pointer with, so its
// place is fixed by Go's own assembly on every architecture. Enter leaves
// the address of that word on the stack for generated code, at
// GuardSlotAMD64(SP) or GuardSlotARM64(SP) on entry, and every loop back
// edge of a trace loads it and leaves through its interrupt exit when it
// holds StackPreempt. A runtime.GC() started by any goroutine therefore
// completes within one loop iteration of a running trace, and traces are
// time-sliced as if they were Go code, with no timer. The word is only
// read. State.Interrupt remains for the VM's own reasons (limits,
// cancellation).
const (
	// StackPreempt is runtime.stackPreempt, uintptr(-1314): a sign-extended
	// 32-bit immediate on amd64, cmn #1314 on arm64.
	StackPreempt = ^uint64(1313)
	// GuardSlotAMD64 is the offset from RSP, at a trace's entry, of the
	// word holding the stack guard word's address (above the return
	// address). Side traces entered from an exit see the same RSP.
	GuardSlotAMD64 = 8
	// GuardSlotARM64 is the offset from SP, at a trace's entry, of the word
	// holding the stack guard word's address.
	GuardSlotARM64 = 0
)

// -- Status words ------------------------------------------------------------------

// A trace returns a 64-bit status word: the kind in the high 32 bits, the
// exit (snapshot) number or call-out number in the low 32 bits.
const (
	// StatusExit: a guard failed; State.Exit and the low word name the
	// exit; State.Regs hold the registers the exit's snapshot needs.
	StatusExit uint64 = 0
	// StatusInterrupt: State.Interrupt was set; the trace left at its loop
	// back edge through the exit in the low word, exactly like a guard exit,
	// so the interpreter resumes at the loop head.
	StatusInterrupt uint64 = 1 << 32
	// StatusCall: the trace asks Go to run call-out number (low word) on
	// State.Args, store the result in State.Ret and re-enter the trace at
	// its resume address; every register was saved in State.Regs and is
	// reloaded from there on resume.
	StatusCall uint64 = 2 << 32
)

// StatusKind and StatusNum split a status word.
func StatusKind(s uint64) uint64 { return s &^ 0xFFFFFFFF }

// StatusNum is the exit or call-out number of a status word.
func StatusNum(s uint64) int { return int(uint32(s)) }
