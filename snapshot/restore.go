package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- The language's side ----------------------------------------------------

// Frames is what a language implements so that Restore can rebuild its
// interpreter state after an exit. For one exit Restore calls, in order:
//
//   - SetFrame once per frame, outermost first, depth 0, 1, ...: depth 0
//     is the frame the trace was entered in, the others are inlined calls
//     the interpreter must now materialize. base is the frame's first slot
//     (absolute, counted from the trace's base slot); pc is where that
//     frame resumes: the return point of its call for an outer frame, the
//     exit's PC for the innermost one.
//   - SetSlot once per slot the exit restores, in ascending slot order.
//     bits is the value as the IR holds it (TInt sign-extended, TBool 0 or
//     1, TNum the float64's bits, TPtr and TVal the raw word) and ty its IR
//     type: the language boxes it into its own slot representation (an
//     int32 becomes a double for a language whose numbers are all
//     doubles). flags are the entry's irkit.Snap* flags: SnapFrame marks
//     a frame link slot (the language's own frame record, a constant the
//     recorder stored with SetSlotFlags), SnapCont a continuation,
//     SnapConst a value the trace never computed (a constant rebuilt here).
//   - SetPC once, last: the interpreter resumes at pc in the innermost
//     frame, whose top slot is nslots-1.
//
// Slots the exit does not name are untouched: they still hold what the
// interpreter left there when it entered the trace.
type Frames interface {
	SetFrame(depth, base int, pc uint64)
	SetSlot(slot int, ty irkit.Type, flags uint8, bits uint64)
	SetPC(pc uint64, nslots int)
}

// -- Restore ----------------------------------------------------------------

// Restore rebuilds the interpreter state of exit i through f. regs is the
// exit state's register file (emit.State.Regs: general register n at n,
// float register n at 32+n) and spill the spill area, at least NumSpill
// words. Restore does not allocate; its cost is a few nanoseconds per slot
// plus f's methods.
func (m *Map) Restore(i int, regs *[64]uint64, spill []uint64, f Frames) error {
	if i < 0 || i >= len(m.offs) {
		return ErrExit
	}
	if regs == nil || f == nil {
		return ErrNil
	}
	if len(spill) < m.nspill {
		return ErrSpill
	}
	r := reader{b: m.data, i: int(m.offs[i])}
	r.uv() // snapshot number
	pc := r.uv()
	nslots := int(r.uv())
	depth := int(r.uv())
	base := 0
	for d := 0; d < depth; d++ {
		base += int(unzig(r.uv()))
		var fpc uint64
		if d == depth-1 {
			fpc = pc + uint64(unzig(r.uv()))
		} else {
			fpc = r.uv()
		}
		f.SetFrame(d, base, fpc)
	}
	n := int(r.uv())
	if r.bad {
		return ErrBad // unreachable for a map from Encoder or Decode
	}
	// The entry loop is the hot path: one-byte varints are read inline.
	// The map was validated when it was built or decoded, so every index
	// below is in range (and Go's bounds checks back that up).
	b, p := m.data, r.i
	slot := -1
	consts := m.consts
	for e := 0; e < n; e++ {
		d := uint64(b[p])
		if d < 0x80 {
			p++
		} else {
			d, p = uvAt(b, p)
		}
		slot += int(d) + 1
		tk := b[p]
		p++
		ty := irkit.Type(tk & 7)
		var w uint64
		switch tk >> 6 {
		case byte(InReg):
			w = regs[b[p]&(MaxRegs-1)]
			p++
		case byte(InSpill):
			v := uint64(b[p])
			if v < 0x80 {
				p++
			} else {
				v, p = uvAt(b, p)
			}
			w = spill[v]
		default:
			v := uint64(b[p])
			if v < 0x80 {
				p++
			} else {
				v, p = uvAt(b, p)
			}
			w = consts[v]
		}
		flags := tk >> 3 & 7
		if flags&irkit.SnapNoRestore != 0 {
			continue
		}
		if tk>>6 == byte(InConst) {
			flags |= irkit.SnapConst
		}
		f.SetSlot(slot, ty, flags, irkit.Norm(ty, w))
	}
	f.SetPC(pc, nslots)
	return nil
}

// uvAt reads the multi-byte uvarint at b[p:] of a validated record.
func uvAt(b []byte, p int) (uint64, int) {
	v, n := binary.Uvarint(b[p:])
	if n <= 0 {
		return 0, len(b) // unreachable for a validated record; the caller's next read fails
	}
	return v, p + n
}

// RestoreState restores the exit a trace reported through its state
// block: State.Exit is the snapshot number (guard policy: exit numbers are
// snapshot numbers), the registers are State.Regs and the spill area is
// the NumSpill words at State.Spill. It fails with ErrAmbiguous if guards
// of that snapshot keep its values in different places; a lowering that
// numbers exits per guard calls Restore with the exit number instead.
func (m *Map) RestoreState(st *emit.State, f Frames) error {
	if st == nil {
		return ErrNil
	}
	i, err := m.ExitOfSnap(int(st.Exit))
	if err != nil {
		return err
	}
	var spill []uint64
	if m.nspill > 0 {
		if st.Spill == 0 {
			return ErrSpill
		}
		spill = unsafe.Slice((*uint64)(addrPtr(st.Spill)), m.nspill)
	}
	return m.Restore(i, &st.Regs, spill, f)
}

// addrPtr turns the spill area's address into a pointer without a
// uintptr-to-pointer conversion go vet would flag: the owner of the State
// keeps the spill area alive and in place while traces use it.
func addrPtr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// -- Building a map from a compiled trace -------------------------------------

// Build resolves every exit of an allocated trace, one exit per exit
// record of res (each guard, and the trace end): the snapshot it restores,
// with each entry's value located where res says it is at that guard, and
// constants replaced by their values. Entries marked SnapNoRestore are left
// out. The trace and the allocation may be dropped afterwards.
func Build(tr *irkit.Trace, res *regalloc.Result) (*Map, error) {
	var e Encoder
	return e.Build(tr, res)
}

// Build is Build with the encoder's buffers.
func (e *Encoder) Build(tr *irkit.Trace, res *regalloc.Result) (*Map, error) {
	e.Reset()
	if res == nil || res.Target == nil {
		return nil, fmt.Errorf("%w: allocation without a target", ErrBad)
	}
	regIdx := stateIndex(res.Target)
	var x Exit
	for _, ex := range res.Exits {
		if uint64(ex.Off)+uint64(ex.N) > uint64(len(res.Locs)) {
			return nil, fmt.Errorf("%w: exit at %04d: locations out of range", ErrBad, int(ex.Ref-irkit.Bias))
		}
		if err := resolve(tr, &regIdx, int(ex.Snap), res.Locs[ex.Off:ex.Off+ex.N], &x); err != nil {
			return nil, fmt.Errorf("exit at %04d: %w", int(ex.Ref-irkit.Bias), err)
		}
		if _, err := e.Add(ex.Ref, &x); err != nil {
			return nil, err
		}
	}
	return e.finish(tr), nil
}

// BuildSnaps resolves one exit per snapshot, for a lowering that moves the
// values of every guard of a snapshot into one canonical set of locations
// (emit.Trace.Locs): locs(n) says where snapshot n's values are after exit
// n, in target's register numbering. A snapshot that no code exits through
// (locs empty while it names instructions) gets no exit. ExitOfSnap, and
// RestoreState, then find exit n by the snapshot number the trace reports;
// Guard(i) is the first instruction the snapshot covers.
func BuildSnaps(tr *irkit.Trace, target *regalloc.Target, locs func(snap int) []regalloc.RefLoc) (*Map, error) {
	var e Encoder
	return e.BuildSnaps(tr, target, locs)
}

// BuildSnaps is BuildSnaps with the encoder's buffers.
func (e *Encoder) BuildSnaps(tr *irkit.Trace, target *regalloc.Target, locs func(snap int) []regalloc.RefLoc) (*Map, error) {
	e.Reset()
	if target == nil || locs == nil {
		return nil, fmt.Errorf("%w: no target or locations", ErrBad)
	}
	regIdx := stateIndex(target)
	var x Exit
	for si := 0; si < tr.NumSnaps(); si++ {
		ls := locs(si)
		if err := resolve(tr, &regIdx, si, ls, &x); err != nil {
			if len(ls) == 0 && errors.Is(err, errNoLoc) {
				continue
			}
			return nil, fmt.Errorf("snapshot %d: %w", si, err)
		}
		if _, err := e.Add(tr.Snaps[si].Ref, &x); err != nil {
			return nil, err
		}
	}
	return e.finish(tr), nil
}

// finish takes the map and gives every snapshot of tr an index entry.
func (e *Encoder) finish(tr *irkit.Trace) *Map {
	m := e.Map()
	for len(m.bySnap) < tr.NumSnaps() {
		m.bySnap = append(m.bySnap, -1)
	}
	return m
}

var errNoLoc = errors.New("snapshot: value without a location")

// stateIndex maps target's registers to their index in emit.State.Regs
// (0xff for none): general register n at n, float register n at 32+n.
func stateIndex(t *regalloc.Target) [regalloc.MaxRegs]uint8 {
	var idx [regalloc.MaxRegs]uint8
	fpr := t.Regs[regalloc.FPR]
	for r := regalloc.Reg(0); r < regalloc.MaxRegs; r++ {
		switch {
		case fpr.Has(r) && r-fpr.Low() < 32:
			idx[r] = uint8(32 + r - fpr.Low())
		case !fpr.Has(r) && r < 32:
			idx[r] = uint8(r)
		default:
			idx[r] = 0xff
		}
	}
	return idx
}

// resolve fills x with snapshot si of tr, its values located by locs.
func resolve(tr *irkit.Trace, regIdx *[regalloc.MaxRegs]uint8, si int, locs []regalloc.RefLoc, x *Exit) error {
	if si < 0 || si >= tr.NumSnaps() {
		return fmt.Errorf("%w: snapshot %d", ErrBad, si)
	}
	s := &tr.Snaps[si]
	x.Snap, x.PC, x.NSlots = si, s.PC, int(s.NSlots)
	x.Frames = append(x.Frames[:0], tr.Frames(si)...)
	x.Entries = x.Entries[:0]
	for _, se := range tr.Entries(si) {
		flags := se.Flags()
		if flags&irkit.SnapNoRestore != 0 {
			continue
		}
		ref := se.Ref()
		en := Entry{Slot: se.Slot(), Type: tr.Ins(ref).T.Base(), Flags: flags &^ irkit.SnapConst}
		loc := regalloc.ConstLoc(ref)
		if !ref.IsConst() {
			loc = regalloc.LocNone
			for _, rl := range locs {
				if rl.Ref == ref {
					loc = rl.Loc
					break
				}
			}
		}
		switch {
		case loc.IsReg():
			if loc.Reg() >= regalloc.MaxRegs || regIdx[loc.Reg()] == 0xff {
				return fmt.Errorf("%w: slot %d: register %d", ErrBad, en.Slot, loc.Reg())
			}
			en.Kind, en.Val = InReg, uint64(regIdx[loc.Reg()])
		case loc.IsSlot():
			en.Kind, en.Val = InSpill, uint64(loc.Slot())
		case loc.IsConst():
			w, ok := tr.KWord(loc.Const())
			if !ok {
				return fmt.Errorf("%w: slot %d: constant %d", ErrBad, en.Slot, loc.Const())
			}
			en.Kind, en.Val, en.Flags = InConst, w, en.Flags|irkit.SnapConst
		default:
			return fmt.Errorf("%w: slot %d holds %04d", errNoLoc, en.Slot, int(ref-irkit.Bias))
		}
		x.Entries = append(x.Entries, en)
	}
	return nil
}

// -- A ready Frames -------------------------------------------------------------

// Slots is a Frames for an interpreter whose slots are one flat []uint64
// of value words, as irkit's interpreter and generated code see them. It
// serves tests, tools and languages that need nothing more.
type Slots struct {
	// Words are the slots; SetSlot grows it when a slot lies beyond.
	Words []uint64
	// Box converts a restored IR value to the language's word; nil stores
	// the IR value word as it is (what irkit's interpreter does).
	Box func(ty irkit.Type, bits uint64) uint64
	// Stack, PC and Top are the frames, resume PC and top of the last
	// restore.
	Stack []irkit.Frame
	PC    uint64
	Top   int
}

// SetFrame records frame depth.
func (s *Slots) SetFrame(depth, base int, pc uint64) {
	if depth == 0 {
		s.Stack = s.Stack[:0]
	}
	s.Stack = append(s.Stack, irkit.Frame{Base: uint16(base), PC: pc})
}

// SetSlot stores the (boxed) value into Words.
func (s *Slots) SetSlot(slot int, ty irkit.Type, flags uint8, bits uint64) {
	for slot >= len(s.Words) {
		s.Words = append(s.Words, 0)
	}
	if s.Box != nil {
		bits = s.Box(ty, bits)
	}
	s.Words[slot] = bits
}

// SetPC records the resume point.
func (s *Slots) SetPC(pc uint64, nslots int) { s.PC, s.Top = pc, nslots }
