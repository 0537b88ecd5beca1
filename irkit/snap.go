package irkit

// Why snapshots live here as flat records: a guard must know, without any
// cost on the fast path, which interpreter state to rebuild when it fails.
// LuaJIT's answer is a snapshot: a sorted list of (slot, ref) pairs taken
// just before a guard, covering every following instruction up to the next
// snapshot. Only slots changed since the trace started are listed (the rest
// still hold the values the interpreter left there), so most snapshots are
// short, and consecutive guards with nothing in between share one. Headers
// and entries are two flat arrays, so a trace owns three slices and no
// per-snapshot objects. The snapshot package builds the compact storage
// encoding and the exit-time restore on top of these records.

import (
	"errors"
	"sort"
)

// SnapEntry is one slot of a snapshot, packed in 32 bits:
//
//	31        20 19  16 15           0
//	+-----------+------+--------------+
//	|   slot    | flags|     ref      |
//	+-----------+------+--------------+
//
// The slot is absolute, counted from the trace's base slot (inlined frames
// have higher slots); ref is the IR value to store there on exit.
type SnapEntry uint32

// Snapshot entry flags.
const (
	// SnapFrame marks a frame link slot: its constant describes the frame
	// below (whatever the language stores there, e.g. a return PC).
	SnapFrame uint8 = 1 << iota
	// SnapCont marks a continuation slot (a language-defined resume
	// marker for a call the interpreter must finish).
	SnapCont
	// SnapNoRestore marks an entry kept for the record (and for liveness)
	// that an exit must not write back.
	SnapNoRestore
	// SnapConst is set automatically when ref is a constant, so a restorer
	// can tell without looking at the IR.
	SnapConst
)

// MaxSnapSlot is the highest slot number a snapshot entry can hold.
const MaxSnapSlot = 1<<12 - 1

// MakeEntry packs a snapshot entry. SnapConst is added when ref is a
// constant. slot must be in 0..MaxSnapSlot.
func MakeEntry(slot int, ref Ref, flags uint8) SnapEntry {
	if ref.IsConst() {
		flags |= SnapConst
	}
	return SnapEntry(uint32(slot)<<20 | uint32(flags&0xf)<<16 | uint32(ref))
}

// Ref is the value the entry restores.
func (e SnapEntry) Ref() Ref { return Ref(e) }

// Slot is the interpreter slot the entry restores.
func (e SnapEntry) Slot() int { return int(e >> 20) }

// Flags are the entry's Snap* flags.
func (e SnapEntry) Flags() uint8 { return uint8(e>>16) & 0xf }

// WithRef returns e restoring r instead (SnapConst recomputed).
func (e SnapEntry) WithRef(r Ref) SnapEntry {
	return MakeEntry(e.Slot(), r, e.Flags()&^SnapConst)
}

// Frame is one interpreter frame of a snapshot, outermost first. Base is
// the frame's first slot (absolute, like entry slots); PC is where the
// interpreter resumes in that frame: for the innermost frame the snapshot's
// own PC, for outer frames the return point of the call they made.
type Frame struct {
	Base uint16
	PC   uint64
}

// Snap is a snapshot header. It covers the instructions from Ref up to the
// Ref of the next snapshot; every guard among them exits through it.
type Snap struct {
	Ref      Ref    // first instruction covered
	NSlots   uint16 // slots in use (the innermost frame's top), for the restorer
	NEnt     uint16 // entries: SnapEntries[Off : Off+NEnt]
	Depth    uint16 // frames: SnapFrames[FrameOff : FrameOff+Depth]
	Flags    uint16 // SnapExitOnly
	Off      uint32
	FrameOff uint32
	PC       uint64 // opaque resume value of the innermost frame
}

// SnapExitOnly, in Snap.Flags, marks a snapshot that is right only when
// its guard fails: it resumes where the failure leads (past a loop the
// recorded path went on in, say), not before the guarded bytecode, so a
// stress mode that makes guards exit while they hold must leave its
// guards alone. Loop optimization copies the flag with the snapshot.
const SnapExitOnly uint16 = 1

// ErrSnap reports a malformed snapshot.
var ErrSnap = errors.New("irkit: bad snapshot")

// AddSnap appends a snapshot covering the instructions emitted from now on.
// entries need not be sorted (they are sorted by slot; a slot must appear
// once); frames are outermost first and may be nil for a single frame at
// base 0 resuming at pc. If the last snapshot covers no instruction yet, it
// is replaced. AddSnap returns the snapshot's index.
func (t *Trace) AddSnap(pc uint64, nslots int, entries []SnapEntry, frames []Frame) (int, error) {
	if nslots < 0 || nslots > MaxSnapSlot+1 {
		return -1, ErrSnap
	}
	for _, e := range entries {
		if !t.Valid(e.Ref()) || e.Slot() >= nslots && nslots > 0 {
			return -1, ErrSnap
		}
	}
	if n := len(t.Snaps); n > 0 && t.Snaps[n-1].Ref == t.nins {
		last := t.Snaps[n-1]
		if int(last.Off)+int(last.NEnt) == len(t.SnapEntries) {
			t.SnapEntries = t.SnapEntries[:last.Off]
		}
		if int(last.FrameOff)+int(last.Depth) == len(t.SnapFrames) {
			t.SnapFrames = t.SnapFrames[:last.FrameOff]
		}
		t.Snaps = t.Snaps[:n-1]
	}
	s := Snap{Ref: t.nins, NSlots: uint16(nslots), PC: pc,
		Off: uint32(len(t.SnapEntries)), NEnt: uint16(len(entries)),
		FrameOff: uint32(len(t.SnapFrames))}
	t.SnapEntries = append(t.SnapEntries, entries...)
	es := t.SnapEntries[s.Off:]
	if !sort.SliceIsSorted(es, func(i, j int) bool { return es[i].Slot() < es[j].Slot() }) {
		sortEntries(es)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Slot() == es[i-1].Slot() {
			t.SnapEntries = t.SnapEntries[:s.Off]
			return -1, ErrSnap
		}
	}
	if len(frames) == 0 {
		t.SnapFrames = append(t.SnapFrames, Frame{Base: 0, PC: pc})
	} else {
		t.SnapFrames = append(t.SnapFrames, frames...)
	}
	s.Depth = uint16(len(t.SnapFrames) - int(s.FrameOff))
	t.Snaps = append(t.Snaps, s)
	return len(t.Snaps) - 1, nil
}

// sortEntries is an insertion sort by slot: entries are few and usually
// nearly sorted, and it does not allocate.
func sortEntries(es []SnapEntry) {
	for i := 1; i < len(es); i++ {
		e := es[i]
		j := i
		for ; j > 0 && es[j-1].Slot() > e.Slot(); j-- {
			es[j] = es[j-1]
		}
		es[j] = e
	}
}

// NumSnaps is the number of snapshots.
func (t *Trace) NumSnaps() int { return len(t.Snaps) }

// Entries returns the entries of snapshot i, sorted by slot (nil if there
// is no snapshot i).
func (t *Trace) Entries(i int) []SnapEntry {
	if i < 0 || i >= len(t.Snaps) {
		return nil
	}
	s := &t.Snaps[i]
	return t.SnapEntries[s.Off : s.Off+uint32(s.NEnt)]
}

// Frames returns the frames of snapshot i, outermost first (nil if there
// is no snapshot i).
func (t *Trace) Frames(i int) []Frame {
	if i < 0 || i >= len(t.Snaps) {
		return nil
	}
	s := &t.Snaps[i]
	return t.SnapFrames[s.FrameOff : s.FrameOff+uint32(s.Depth)]
}

// SnapOf returns the index of the snapshot in force at instruction r: the
// last one whose Ref is <= r. It returns -1 if there is none.
func (t *Trace) SnapOf(r Ref) int {
	i := sort.Search(len(t.Snaps), func(i int) bool { return t.Snaps[i].Ref > r })
	return i - 1
}

// GuardSnap returns the snapshot the guard at r exits through, and false
// if r is not a guard or no snapshot covers it.
func (t *Trace) GuardSnap(r Ref) (int, bool) {
	if !r.IsIns() || r >= t.nins || !t.ir[r-t.lo].T.IsGuard() {
		return -1, false
	}
	i := t.SnapOf(r)
	return i, i >= 0
}

// SinkITOF rewrites every snapshot entry that restores ITOF(x), x a TInt,
// to restore x itself, and returns how many it rewrote. The conversion
// then happens only when an exit is taken, in the restorer, instead of on
// every run through the trace: a loop index narrowed to int32 whose only
// float use is the interpreter's slot (an array index, an unused loop
// variable) no longer converts it on each iteration, and DCE drops the
// ITOF and its PHI. Use it only if every restore of the language boxes a
// TInt entry as the double ITOF makes (snapshot restorers get the IR
// type; set Interp.Box for the IR interpreter). Frame link and
// continuation entries are left alone. Run it after LoopOpt and before
// DCE.
func (t *Trace) SinkITOF() int {
	n := 0
	for i, e := range t.SnapEntries {
		r := e.Ref()
		if r.IsConst() || r < First || r >= t.nins || e.Flags()&(SnapFrame|SnapCont) != 0 {
			continue
		}
		ins := t.Ins(r)
		if ins.Op != ITOF || !ins.Op1.IsIns() || t.Ins(ins.Op1).T.Base() != TInt {
			continue
		}
		t.SnapEntries[i] = e.WithRef(ins.Op1)
		n++
	}
	return n
}
