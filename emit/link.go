package emit

// -- Links: an exit that continues in another trace --------------------------------
//
// An exit stub leaves the values of its snapshot in State.Regs, the spill
// area and the trace's constants, then jumps to the trace's exit handler,
// which returns to Go; Go writes the values into the interpreter's slots
// (snapshot restore) and, if the exit has a side trace, enters it. A link
// does the same without Go: the exit's patchable jump (Trace.Sites) is
// retargeted to a link stub, a small block of code that
//
//  1. leaves through the original handler (Slow) when the Go runtime wants
//     the goroutine (the stack guard word holds StackPreempt) or the VM set
//     State.Interrupt, exactly as if the exit were not linked, so a chain
//     of linked traces that never reaches a loop back edge still yields;
//  2. writes every value of the exit's snapshot into its interpreter slot
//     (Moves), as Go's restore would;
//  3. moves State.Slots by SlotsDelta slots when the next trace's base
//     frame is another one (a side trace that started in a caller's frame
//     links to a loop in the callee), and stores Token in State.Trace, so
//     that whoever reads the state after the run knows which trace's exit
//     it is looking at and where its slot 0 is;
//  4. jumps to Target, the entry of the trace that continues (a side
//     trace of the exit, or the root trace a side trace ends in), which
//     loads what it needs from the slots as if Go had entered it.
//
// A link may depend on what the traces cannot see, such as the frames
// below the running one (a side trace that returns into its caller and
// calls the function again is right only under the caller it was recorded
// with). Whoever enters the code describes that in State.Key, and a keyed
// link (Key nonzero) takes its slow path unless State.Key equals its Key,
// so Go handles the exit. A link whose next trace runs somewhere the entry's
// description no longer holds (a lower frame) sets DropKey: its stub zeroes
// State.Key, and no keyed link is taken for the rest of the run.
//
// A direct link (Link.Direct) is reached before the exit code has saved
// anything, where the target offers it (ExitSite.Direct): it stores each
// value from its register straight into its slot, so the values cross
// memory once, and its slow path does the exit code's work itself.
//
// The slots are then exactly what the interpreter would see at the
// exit's PC, so any trace that starts there may follow. Snapshots with
// inlined frames (frames the interpreter must rebuild) cannot be linked:
// rebuilding frame records is the VM's business.

// LinkFrom says where a LinkMove's value is when the link stub runs.
type LinkFrom uint8

// Sources of a LinkMove.
const (
	// FromReg: Val indexes State.Regs (general register n at n, float
	// register n at 32+n), as snapshot restore reads them.
	FromReg LinkFrom = iota
	// FromSpill: Val is a spill slot, the word at State.Spill+8*Val.
	FromSpill
	// FromConst: Val is the word itself.
	FromConst
)

// LinkMove is one word a link stub writes into the interpreter slots.
type LinkMove struct {
	Slot int32    // the word at State.Slots+8*Slot
	From LinkFrom // where the value is
	Val  uint64   // register index, spill slot or constant, by From
	// IntToNum stores the int32 in the value's low half as a float64 (a
	// narrowed integer going back to a slot of a language whose numbers
	// are doubles).
	IntToNum bool
}

// Link describes a link stub (see above).
type Link struct {
	Moves []LinkMove
	Token uint32 // stored in State.Trace before the jump to Target
	// SlotsDelta is added to State.Slots (in slots, after the moves):
	// the next trace's slot 0 relative to this one's.
	SlotsDelta int32
	Target     uintptr // the entry of the trace that continues
	Slow       uintptr // the exit's own handler, for when Go wants control back
	// Key, if nonzero, makes the link conditional: it is taken only while
	// State.Key holds Key (checked after the interrupt checks, before
	// any move); otherwise the stub leaves through Slow.
	Key uint64
	// DropKey zeroes State.Key before the jump to Target.
	DropKey bool
	// Direct makes the stub of a direct link, reached from an exit site's
	// Direct address before the exit code has run (see ExitSite): a
	// FromReg move's value is in the register itself (Val numbered as in
	// State.Regs), not yet in State.Regs. On its slow path the stub first
	// stores the registers Saves lists into their State.Regs words and
	// puts Exit in the exit-number register, as the exit code it replaces
	// would have, then goes to Slow.
	Direct bool
	Saves  []uint8
	Exit   uint32
	// NoCheck leaves out step 1, the preemption and interrupt checks.
	// It is for a link after which machine code reaches a checked link
	// or back edge within a bounded time, not merely a bounded number of
	// links: a goroutine preemption (and so a GC) waits for that check.
	// demo-lang does not use it: its recursive calls link without a
	// return in between up to the frame limit (200,000), and a call's
	// body has no bound on its length.
	NoCheck bool
	// Near, on amd64, reaches Target and Slow with rel32 jumps instead
	// of through a register: installing the stub (Asm.Install) then
	// fails unless it lands within 2 GiB of both.
	Near bool
}
