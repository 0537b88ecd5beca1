package irkit

// Why a recorder in irkit: every tracing JIT needs the same bookkeeping
// between a language's bytecodes and the IR, and getting it wrong gives
// wrong exits, not crashes. The Recorder keeps the slot map (which IR value
// each interpreter slot holds now; a slot is loaded with SLOAD on first
// use and never again), the frame stack of inlined calls, and takes
// snapshots lazily: a guard gets a new snapshot only if a slot was written,
// a frame pushed or popped, or a side effect emitted since the last one;
// otherwise it shares the last one, because re-executing the bytecodes in
// between from the older PC is unobservable. A snapshot lists only the
// slots written since the trace started; the others still hold what the
// interpreter left there.
//
// Slots hold value words, and a snapshot writes back the value word of its
// reference whatever the slot held before. So a NaN-boxing language may
// keep a number unboxed in the slot map (SetSlot with a TNum value) after
// loading the slot boxed (SLOAD TVal, ISNUM, UNBOXN): the number's bits are
// its boxed value, as long as the language boxes every NaN it stores
// canonically; loop optimization accepts the 64-bit type change (see
// loop.go).
//
// The language implements Language (one method: record one bytecode) and
// owns everything language-specific: value representation, which guards a
// bytecode needs, what a frame link slot holds. The discipline is
// LuaJIT's: a bytecode emits all its guards before it writes any slot, so
// an exit resumes at the start of that bytecode and the interpreter
// re-executes it.

import "fmt"

// Language is what a language implements to turn its bytecodes into IR.
// The recorder runs alongside the interpreter: RecordIns sees the live
// interpreter state (to pick the direction of a branch, the type of a
// value), emits the IR of the bytecode at pc through r, and usually lets
// the interpreter execute it. It returns the pc of the next bytecode, and
// done once it has called r.CloseLoop or r.Stop. An error aborts the trace.
type Language interface {
	RecordIns(r *Recorder, pc uint64) (next uint64, done bool, err error)
}

// AbortError is why a recording stopped without a trace.
type AbortError struct {
	PC     uint64
	Reason string
}

// Error formats the abort with its PC and reason.
func (e *AbortError) Error() string {
	return fmt.Sprintf("irkit: trace aborted at pc %d: %s", e.PC, e.Reason)
}

// Recorder maps interpreter slots to IR values while a language records a
// trace, and takes snapshots for its guards. Slots are numbered relative
// to the current frame's base in the methods below and absolutely (from
// the trace's base slot) in snapshots.
type Recorder struct {
	B *Builder
	T *Trace

	// MaxDepth limits inlined frames (default 16); MaxSlots the absolute
	// slot numbers (default and ceiling MaxSnapSlot+1).
	MaxDepth, MaxSlots int

	slots   []Ref
	sflags  []uint8 // per slot: written since start (recWritten) + entry flags
	top     int     // 1 + highest absolute slot touched
	frames  []Frame // outermost first; the innermost PC is pc
	pc      uint64
	startPC uint64
	dirty   bool
	ents    []SnapEntry
	fbuf    []Frame
}

const recWritten = 0x80

// NewRecorder returns a recorder that emits through b.
func NewRecorder(b *Builder) *Recorder {
	return &Recorder{B: b, T: b.T, MaxDepth: 16, MaxSlots: MaxSnapSlot + 1}
}

// Start begins a new trace at pc (the loop header for a loop trace),
// resetting the builder and the trace.
func (r *Recorder) Start(pc uint64) {
	r.B.Reset()
	r.T = r.B.T
	clear(r.slots)
	clear(r.sflags)
	r.slots, r.sflags = r.slots[:0], r.sflags[:0]
	r.top = 0
	r.frames = append(r.frames[:0], Frame{Base: 0, PC: pc})
	r.pc, r.startPC = pc, pc
	r.dirty = true
}

// Record drives lang from pc until it reports done, fails, or the trace
// has more than maxIns instructions. It returns nil when a trace was
// recorded (Looping if the language closed the loop).
func (r *Recorder) Record(lang Language, pc uint64, maxIns int) error {
	r.Start(pc)
	for {
		r.SetPC(pc)
		next, done, err := lang.RecordIns(r, pc)
		if err == nil {
			err = r.Err()
		}
		if err != nil {
			if _, ok := err.(*AbortError); !ok {
				err = r.Abort(err.Error())
			}
			return err
		}
		if done {
			return nil
		}
		if r.T.Len() > maxIns {
			return r.Abort("trace too long")
		}
		pc = next
	}
}

// SetPC sets the bytecode being recorded: exits through snapshots taken
// from now on resume there.
func (r *Recorder) SetPC(pc uint64) { r.pc = pc }

// PC is the bytecode being recorded.
func (r *Recorder) PC() uint64 { return r.pc }

// Base is the absolute slot number of the current frame's slot 0.
func (r *Recorder) Base() int { return int(r.frames[len(r.frames)-1].Base) }

// Depth is the number of frames (1 outside inlined calls).
func (r *Recorder) Depth() int { return len(r.frames) }

func (r *Recorder) abs(i int) (int, bool) {
	s := r.Base() + i
	if i < 0 || s >= r.MaxSlots || s > MaxSnapSlot {
		r.Abort(fmt.Sprintf("slot %d out of range", s))
		return 0, false
	}
	for len(r.slots) <= s {
		r.slots = append(r.slots, NoRef)
		r.sflags = append(r.sflags, 0)
	}
	if s >= r.top {
		r.top = s + 1
	}
	return s, true
}

// Slot returns the IR value of slot i of the current frame, emitting a
// load of type ty on first use. A slot already in the map is returned as
// it is, whatever ty says: the language checks T.Ins(ref).T if it cares.
func (r *Recorder) Slot(i int, ty Type) Ref {
	s, ok := r.abs(i)
	if !ok {
		return NoRef
	}
	if r.slots[s] == NoRef {
		r.slots[s] = r.B.SLoad(s, ty)
	}
	return r.slots[s]
}

// Mapped reports whether slot i of the current frame is in the slot map:
// loaded or set since the recording started, and not cleared or dropped
// since. A slot that is not holds, whenever the trace reads it, what the
// interpreter's slot held when the trace was entered.
func (r *Recorder) Mapped(i int) bool {
	s := r.Base() + i
	return i >= 0 && s < len(r.slots) && r.slots[s] != NoRef
}

// SetSlot makes slot i of the current frame hold ref; exits will write it
// back.
func (r *Recorder) SetSlot(i int, ref Ref) { r.SetSlotFlags(i, ref, 0) }

// SetSlotFlags is SetSlot with snapshot entry flags (SnapFrame for a frame
// link, SnapCont, SnapNoRestore).
func (r *Recorder) SetSlotFlags(i int, ref Ref, flags uint8) {
	s, ok := r.abs(i)
	if !ok {
		return
	}
	if !r.T.Valid(ref) {
		r.B.SetErr(ErrBadRef)
		return
	}
	r.slots[s] = ref
	r.sflags[s] = recWritten | flags&0xf
	r.dirty = true
}

// ClearSlot forgets slot i of the current frame: it is dead (e.g. a frame
// link after the call returned) and leaves the snapshots; a later Slot
// loads it again.
func (r *Recorder) ClearSlot(i int) {
	s, ok := r.abs(i)
	if !ok {
		return
	}
	if r.sflags[s]&recWritten != 0 {
		r.dirty = true
	}
	r.slots[s], r.sflags[s] = NoRef, 0
}

// Drop forgets slot i of the current frame and every slot above it: they
// are dead (the frame returned below the trace's base frame, say, and the
// trace ends in its caller) and leave the snapshots.
func (r *Recorder) Drop(i int) {
	s := max(r.Base()+i, 0)
	for k := s; k < len(r.slots); k++ {
		if r.sflags[k]&recWritten != 0 {
			r.dirty = true
		}
		r.slots[k], r.sflags[k] = NoRef, 0
	}
	r.top = min(r.top, s)
}

// Emit emits an instruction. A guard first gets a snapshot (a new one only
// if something happened since the last); an instruction with side effects
// makes the next guard take a new one.
func (r *Recorder) Emit(op Op, ty Type, a, c Ref) Ref {
	if op.IsGuard() {
		r.snap(false)
	}
	ref := r.B.Emit(op, ty, a, c)
	if op.Has(FSide) {
		r.dirty = true
	}
	return ref
}

// Guard emits the guard op (a comparison, ISNUM, ISTAG, ...) and returns
// the builder's error, e.g. ErrGuardFails when fold proves it fails.
func (r *Recorder) Guard(op Op, a, c Ref) error {
	r.Emit(op, TVoid, a, c)
	return r.Err()
}

// Snapshot forces a snapshot of the current state now.
func (r *Recorder) Snapshot() { r.snap(true) }

func (r *Recorder) snap(force bool) {
	if !r.dirty && !force && len(r.T.Snaps) > 0 {
		return
	}
	if r.B.Err() != nil {
		return
	}
	r.ents = r.ents[:0]
	for s := 0; s < len(r.slots); s++ {
		if f := r.sflags[s]; f&recWritten != 0 {
			r.ents = append(r.ents, MakeEntry(s, r.slots[s], f&0xf))
		}
	}
	r.fbuf = append(r.fbuf[:0], r.frames...)
	r.fbuf[len(r.fbuf)-1].PC = r.pc
	if _, err := r.T.AddSnap(r.pc, r.top, r.ents, r.fbuf); err != nil {
		r.B.SetErr(err)
		return
	}
	r.dirty = false
}

// Call enters an inlined call whose frame starts at slot base of the
// current frame; the current frame resumes at retPC when the callee
// returns. The language sets the callee's slots (arguments, a frame link
// with SnapFrame) itself.
func (r *Recorder) Call(base int, retPC uint64) error {
	if len(r.frames) >= r.MaxDepth {
		return r.Abort("call depth exceeds MaxDepth")
	}
	s, ok := r.abs(base)
	if !ok || base <= 0 {
		return r.Abort("bad frame base")
	}
	r.frames[len(r.frames)-1].PC = retPC
	r.frames = append(r.frames, Frame{Base: uint16(s)})
	r.dirty = true
	return nil
}

// Return leaves the innermost inlined frame. Its slots are dead from now
// on: they leave the slot map and the snapshots. The language moves the
// results into the caller's slots before.
func (r *Recorder) Return() error {
	if len(r.frames) <= 1 {
		return r.Abort("return from the trace's base frame")
	}
	b := int(r.frames[len(r.frames)-1].Base)
	r.frames = r.frames[:len(r.frames)-1]
	for s := b; s < len(r.slots); s++ {
		r.slots[s], r.sflags[s] = NoRef, 0
	}
	r.top = b
	r.dirty = true
	return nil
}

// CloseLoop ends the trace as a loop back to its start: the loop
// snapshot records the slots for the next iteration. The trace is then
// ready for B.LoopOpt.
func (r *Recorder) CloseLoop() error {
	if len(r.frames) != 1 {
		return r.Abort("loop closed inside an inlined call")
	}
	r.SetPC(r.startPC)
	r.snap(true)
	r.T.Looping = true
	return r.Err()
}

// Stop ends the trace at pc: running off its end exits to the interpreter
// at pc with the current slots.
func (r *Recorder) Stop(pc uint64) error {
	r.SetPC(pc)
	r.snap(true)
	return r.Err()
}

// Abort stops the recording with a reason; it returns (and records in the
// builder) an *AbortError.
func (r *Recorder) Abort(reason string) error {
	err := &AbortError{PC: r.pc, Reason: reason}
	if r.B.Err() == nil {
		r.B.SetErr(err)
	}
	return r.B.Err()
}

// Err is the recording's first error.
func (r *Recorder) Err() error { return r.B.Err() }
