package snapshot

// Why a second form of the snapshots: irkit's records (Trace.Snaps and the
// packed 32-bit SnapEntry) name IR references, so reading them at an exit
// needs the whole trace and the allocation's per-guard location lists, and
// a value's type is one more lookup in the IR. A compiled trace lives much
// longer than its IR. The Map resolves every exit once, at compile time,
// into a self-contained byte record: for each slot, its type and where the
// value is at that exit (a register of the exit state, a spill slot, or a
// constant's value). The IR and the allocation can then be dropped, and
// Restore is one forward pass over a few bytes per slot.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/jitkit/jitkit/irkit"
)

// -- Decoded records --------------------------------------------------------

// Kind says where an entry's value is at the exit.
type Kind uint8

// Location kinds.
const (
	// InReg: Entry.Val is an index into the exit state's registers
	// (emit.State.Regs): general register n at n, float register n at 32+n.
	InReg Kind = iota
	// InSpill: Entry.Val is a spill slot, the word at Spill+8*Val.
	InSpill
	// InConst: Entry.Val is the value word itself (a constant of the trace:
	// TInt sign-extended, TBool 0 or 1, TNum its bits).
	InConst
	numKinds
)

var kindNames = [numKinds]string{"reg", "spill", "const"}

// String names the kind.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "kind?"
}

// Entry is one slot an exit restores, resolved to a location.
type Entry struct {
	Slot  int        // absolute interpreter slot (from the trace's base)
	Type  irkit.Type // the value's IR type (base type, no guard flag)
	Flags uint8      // irkit.Snap* flags; SnapConst is set exactly when Kind is InConst
	Kind  Kind
	Val   uint64 // register index, spill slot or constant word, by Kind
}

// Exit is the decoded record of one exit: what Restore does for it.
type Exit struct {
	Snap    int           // the irkit snapshot the exit restores
	PC      uint64        // where the interpreter resumes (the innermost frame)
	NSlots  int           // slots in use, the innermost frame's top
	Frames  []irkit.Frame // outermost first; the last one's PC is where it resumes
	Entries []Entry       // sorted by slot, each slot once
}

// -- Limits and errors ------------------------------------------------------

// Limits of the encoding (checked by Encoder.Add and Decode).
const (
	MaxSlot  = irkit.MaxSnapSlot // highest slot number
	MaxDepth = 255               // frames per exit
	MaxRegs  = 64                // the exit state's register file
	MaxSpill = 1 << 16           // spill slots (a trace has fewer values than that)
	entFlags = irkit.SnapFrame | irkit.SnapCont | irkit.SnapNoRestore
)

// Errors.
var (
	// ErrBad reports a malformed exit record or encoded map.
	ErrBad = errors.New("snapshot: malformed exit record")
	// ErrExit reports an exit number the map does not have.
	ErrExit = errors.New("snapshot: no such exit")
	// ErrAmbiguous reports a snapshot whose guards keep its values in
	// different places, so the snapshot number alone cannot name an exit.
	ErrAmbiguous = errors.New("snapshot: guards of this snapshot exit with different locations")
	// ErrNil reports a nil register file, state block or Frames.
	ErrNil = errors.New("snapshot: nil exit state or frames")
	// ErrSpill reports a spill area smaller than the map needs.
	ErrSpill = errors.New("snapshot: spill area too small")
)

// -- The map ----------------------------------------------------------------

// Map holds the exits of one compiled trace in the compact encoding. In a
// map from Build, exit i is the allocation's exit record i (guards by IR
// position, then the trace end if it has one); in a map from BuildSnaps,
// exits follow the snapshots, and ExitOfSnap finds the one a trace
// reports. Identical records are stored once. A Map is immutable and safe
// for concurrent Restores.
//
// The record of an exit is a byte string (uvarints unless noted; zz is a
// zigzag-signed uvarint):
//
//	snap pc nslots depth
//	depth × frame:   zz(base - previous base)  outer: pc   innermost: zz(pc - snap pc)
//	nent
//	nent × entry:    slot - previous slot - 1   tk   loc
//
//	tk (one byte):   7 6 | 5 4 3 | 2 1 0
//	                 kind| flags | type      flags: frame, cont, norestore
//	loc:             reg: one byte (0..63)  spill: slot  const: index into Consts
//
// A typical entry is three bytes: its slot follows the previous one, the
// tag byte, a register number. Constants are interned per map as 64-bit
// words.
type Map struct {
	data   []byte
	offs   []uint32    // per exit: start of its record in data
	guards []irkit.Ref // per exit: the guard (or the trace end) it belongs to
	consts []uint64
	bySnap []int32 // per snapshot: its exit, -1 none, -2 ambiguous
	nspill int
}

// NumExits is the number of exits.
func (m *Map) NumExits() int { return len(m.offs) }

// NumSpill is the number of spill slots the exits read: the spill area
// must hold at least this many words.
func (m *Map) NumSpill() int { return m.nspill }

// Guard is the IR reference of exit i's guard (Trace.Next() of the trace
// for the exit at its end), NoRef if there is no exit i.
func (m *Map) Guard(i int) irkit.Ref {
	if i < 0 || i >= len(m.guards) {
		return irkit.NoRef
	}
	return m.guards[i]
}

// ExitOfGuard returns the (first) exit of guard r.
func (m *Map) ExitOfGuard(r irkit.Ref) (int, bool) {
	lo, hi := 0, len(m.guards)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if m.guards[h] < r {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo, lo < len(m.guards) && m.guards[lo] == r
}

// ExitOfSnap returns an exit that restores snapshot s. Guard policy numbers
// exits by snapshot (package guard); that is exact when every guard of s
// leaves its values in the same places, which ErrAmbiguous reports is not
// so (the lowering must then tell the guards apart).
func (m *Map) ExitOfSnap(s int) (int, error) {
	if s < 0 || s >= len(m.bySnap) || m.bySnap[s] == -1 {
		return -1, ErrExit
	}
	if m.bySnap[s] < 0 {
		return -1, ErrAmbiguous
	}
	return int(m.bySnap[s]), nil
}

// Size is the memory the map keeps, in bytes: records, offsets, guards,
// constants and the snapshot index.
func (m *Map) Size() int {
	return len(m.data) + 4*len(m.offs) + 2*len(m.guards) + 8*len(m.consts) + 4*len(m.bySnap)
}

// Exit decodes exit i.
func (m *Map) Exit(i int) (Exit, error) {
	var x Exit
	if i < 0 || i >= len(m.offs) {
		return x, ErrExit
	}
	_, err := m.decode(m.data[m.offs[i]:], &x)
	return x, err
}

// -- Encoding ---------------------------------------------------------------

// Encoder builds a Map exit by exit. Its buffers are reused after Map, so
// a compiler that keeps one Encoder allocates only the maps themselves.
type Encoder struct {
	data   []byte
	offs   []uint32
	guards []irkit.Ref
	consts []uint64
	kidx   map[uint64]uint32
	recs   map[string]uint32
	bySnap []int32
	nspill int
	rec    []byte
	err    error
}

// Reset empties the encoder.
func (e *Encoder) Reset() {
	e.data, e.offs, e.guards, e.consts = e.data[:0], e.offs[:0], e.guards[:0], e.consts[:0]
	e.bySnap = e.bySnap[:0]
	clear(e.kidx)
	clear(e.recs)
	e.nspill = 0
	e.err = nil
}

// Add appends the exit of guard g (guards must be added in IR order,
// never decreasing) and returns its number. A malformed record gives ErrBad and is
// not added.
func (e *Encoder) Add(g irkit.Ref, x *Exit) (int, error) {
	if n := len(e.guards); n > 0 && g < e.guards[n-1] || len(e.offs) >= math.MaxInt32 {
		return -1, fmt.Errorf("%w: guard %d out of order", ErrBad, g)
	}
	if err := check(x); err != nil {
		return -1, err
	}
	if e.kidx == nil {
		e.kidx = make(map[uint64]uint32)
		e.recs = make(map[string]uint32)
	}
	nk := len(e.consts)
	b := e.rec[:0]
	b = binary.AppendUvarint(b, uint64(x.Snap))
	b = binary.AppendUvarint(b, x.PC)
	b = binary.AppendUvarint(b, uint64(x.NSlots))
	b = binary.AppendUvarint(b, uint64(len(x.Frames)))
	prev := 0
	for i, f := range x.Frames {
		b = binary.AppendUvarint(b, zig(int64(f.Base)-int64(prev)))
		prev = int(f.Base)
		if i == len(x.Frames)-1 {
			b = binary.AppendUvarint(b, zig(int64(f.PC-x.PC)))
		} else {
			b = binary.AppendUvarint(b, f.PC)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(x.Entries)))
	spill := e.nspill
	last := -1
	for _, en := range x.Entries {
		b = binary.AppendUvarint(b, uint64(en.Slot-last-1))
		last = en.Slot
		b = append(b, byte(en.Kind)<<6|(en.Flags&entFlags)<<3|byte(en.Type))
		switch en.Kind {
		case InReg:
			b = append(b, byte(en.Val))
		case InSpill:
			b = binary.AppendUvarint(b, en.Val)
			if int(en.Val) >= spill {
				spill = int(en.Val) + 1
			}
		case InConst:
			k, ok := e.kidx[en.Val]
			if !ok {
				k = uint32(len(e.consts))
				e.kidx[en.Val] = k
				e.consts = append(e.consts, en.Val)
			}
			b = binary.AppendUvarint(b, uint64(k))
		}
	}
	e.rec = b
	if len(e.data)+len(b) > math.MaxUint32 {
		for _, v := range e.consts[nk:] {
			delete(e.kidx, v)
		}
		e.consts = e.consts[:nk]
		return -1, fmt.Errorf("%w: map too large", ErrBad)
	}
	e.nspill = spill
	off, ok := e.recs[string(b)]
	if !ok {
		off = uint32(len(e.data))
		e.data = append(e.data, b...)
		e.recs[string(b)] = off
	}
	n := len(e.offs)
	e.offs = append(e.offs, off)
	e.guards = append(e.guards, g)
	for len(e.bySnap) <= x.Snap {
		e.bySnap = append(e.bySnap, -1)
	}
	switch s := e.bySnap[x.Snap]; {
	case s == -1:
		e.bySnap[x.Snap] = int32(n)
	case s >= 0 && e.offs[s] != off:
		e.bySnap[x.Snap] = -2
	}
	return n, nil
}

// Map returns the map of the exits added so far and resets the encoder.
func (e *Encoder) Map() *Map {
	m := &Map{
		data:   append([]byte(nil), e.data...),
		offs:   append([]uint32(nil), e.offs...),
		guards: append([]irkit.Ref(nil), e.guards...),
		consts: append([]uint64(nil), e.consts...),
		bySnap: append([]int32(nil), e.bySnap...),
		nspill: e.nspill,
	}
	e.Reset()
	return m
}

// check validates a record before it is encoded.
func check(x *Exit) error {
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrBad, what) }
	if x.Snap < 0 || x.Snap > math.MaxInt32 {
		return bad("snapshot number")
	}
	if x.NSlots < 0 || x.NSlots > MaxSlot+1 {
		return bad("nslots")
	}
	if len(x.Frames) > MaxDepth {
		return bad("too many frames")
	}
	if len(x.Entries) > MaxSlot+1 {
		return bad("too many entries")
	}
	last := -1
	for _, en := range x.Entries {
		switch {
		case en.Slot <= last || en.Slot > MaxSlot:
			return bad(fmt.Sprintf("slot %d not ascending or out of range", en.Slot))
		case en.Type.Base() != en.Type || en.Type >= irkit.NumTypes:
			return bad(fmt.Sprintf("slot %d: type %d", en.Slot, en.Type))
		case en.Flags&^(entFlags|irkit.SnapConst) != 0:
			return bad(fmt.Sprintf("slot %d: flags %#x", en.Slot, en.Flags))
		case (en.Flags&irkit.SnapConst != 0) != (en.Kind == InConst):
			return bad(fmt.Sprintf("slot %d: SnapConst must mark exactly the constants", en.Slot))
		case en.Kind >= numKinds:
			return bad(fmt.Sprintf("slot %d: kind %d", en.Slot, en.Kind))
		case en.Kind == InReg && en.Val >= MaxRegs:
			return bad(fmt.Sprintf("slot %d: register %d", en.Slot, en.Val))
		case en.Kind == InSpill && en.Val >= MaxSpill:
			return bad(fmt.Sprintf("slot %d: spill slot %d", en.Slot, en.Val))
		}
		last = en.Slot
	}
	return nil
}

func zig(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzig(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// -- Decoding ---------------------------------------------------------------

// reader reads uvarints from a record; a read past the end or an overlong
// varint sets bad.
type reader struct {
	b   []byte
	i   int
	bad bool
}

func (r *reader) uv() uint64 {
	if r.i < len(r.b) && r.b[r.i] < 0x80 {
		v := uint64(r.b[r.i])
		r.i++
		return v
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.bad = true
		r.i = len(r.b)
		return 0
	}
	r.i += n
	return v
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.bad = true
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

// decode reads one record from b into x, reusing x's slices, validating
// it against the map; it returns the record's length.
func (m *Map) decode(b []byte, x *Exit) (int, error) {
	r := reader{b: b}
	snap := r.uv()
	x.PC = r.uv()
	nslots := r.uv()
	depth := r.uv()
	if snap > math.MaxInt32 || nslots > MaxSlot+1 || depth > MaxDepth || r.bad {
		return 0, ErrBad
	}
	x.Snap, x.NSlots = int(snap), int(nslots)
	x.Frames = x.Frames[:0]
	base := int64(0)
	for i := 0; i < int(depth); i++ {
		base += unzig(r.uv())
		var pc uint64
		if i == int(depth)-1 {
			pc = x.PC + uint64(unzig(r.uv()))
		} else {
			pc = r.uv()
		}
		if base < 0 || base > math.MaxUint16 || r.bad {
			return 0, ErrBad
		}
		x.Frames = append(x.Frames, irkit.Frame{Base: uint16(base), PC: pc})
	}
	nent := r.uv()
	if nent > MaxSlot+1 || r.bad {
		return 0, ErrBad
	}
	x.Entries = x.Entries[:0]
	slot := -1
	for i := 0; i < int(nent); i++ {
		d := r.uv()
		if d > MaxSlot {
			return 0, ErrBad
		}
		slot += int(d) + 1
		tk := r.byte()
		en := Entry{Slot: slot, Kind: Kind(tk >> 6), Flags: tk >> 3 & 7, Type: irkit.Type(tk & 7)}
		switch en.Kind {
		case InReg:
			en.Val = uint64(r.byte())
			if en.Val >= MaxRegs {
				return 0, ErrBad
			}
		case InSpill:
			en.Val = r.uv()
			if en.Val >= uint64(m.nspill) {
				return 0, ErrBad
			}
		case InConst:
			k := r.uv()
			if k >= uint64(len(m.consts)) {
				return 0, ErrBad
			}
			en.Val = m.consts[k]
			en.Flags |= irkit.SnapConst
		default:
			return 0, ErrBad
		}
		if slot > MaxSlot || en.Type >= irkit.NumTypes || r.bad {
			return 0, ErrBad
		}
		x.Entries = append(x.Entries, en)
	}
	return r.i, nil
}

// -- Serialized form --------------------------------------------------------

// magic opens a serialized map ("JKSN", version 1).
const magic = "JKSN\x01"

// Bytes serializes the map (for a trace cache on disk, or to measure it):
//
//	magic nspill nconsts consts(8 bytes each, little endian)
//	nexits  nexits × (zz(guard - previous guard) offset)
//	nsnaps  nsnaps × zz(bySnap)  len(data) data
func (m *Map) Bytes() []byte {
	b := append([]byte(nil), magic...)
	b = binary.AppendUvarint(b, uint64(m.nspill))
	b = binary.AppendUvarint(b, uint64(len(m.consts)))
	for _, k := range m.consts {
		b = binary.LittleEndian.AppendUint64(b, k)
	}
	b = binary.AppendUvarint(b, uint64(len(m.offs)))
	prev := int64(0)
	for i, off := range m.offs {
		b = binary.AppendUvarint(b, zig(int64(m.guards[i])-prev))
		prev = int64(m.guards[i])
		b = binary.AppendUvarint(b, uint64(off))
	}
	b = binary.AppendUvarint(b, uint64(len(m.bySnap)))
	for _, s := range m.bySnap {
		b = binary.AppendUvarint(b, zig(int64(s)))
	}
	b = binary.AppendUvarint(b, uint64(len(m.data)))
	return append(b, m.data...)
}

// Decode parses a serialized map and validates every record, so that a
// Map from Decode restores without further checks. Bad input gives ErrBad.
func Decode(b []byte) (*Map, error) {
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return nil, ErrBad
	}
	r := reader{b: b, i: len(magic)}
	m := &Map{}
	nspill := r.uv()
	nk := r.uv()
	if nspill > MaxSpill || r.bad || nk > uint64(len(b)-r.i)/8 {
		return nil, ErrBad
	}
	m.nspill = int(nspill)
	m.consts = make([]uint64, nk)
	for i := range m.consts {
		m.consts[i] = binary.LittleEndian.Uint64(b[r.i:])
		r.i += 8
	}
	nx := r.uv()
	if r.bad || nx > uint64(len(b)-r.i)/2 {
		return nil, ErrBad
	}
	m.offs = make([]uint32, nx)
	m.guards = make([]irkit.Ref, nx)
	g := int64(0)
	for i := range m.offs {
		g += unzig(r.uv())
		off := r.uv()
		if r.bad || g <= 0 || g > math.MaxUint16 || i > 0 && irkit.Ref(g) < m.guards[i-1] || off > math.MaxUint32 {
			return nil, ErrBad
		}
		m.guards[i], m.offs[i] = irkit.Ref(g), uint32(off)
	}
	ns := r.uv()
	if r.bad || ns > uint64(len(b)-r.i) {
		return nil, ErrBad
	}
	m.bySnap = make([]int32, ns)
	for i := range m.bySnap {
		s := unzig(r.uv())
		if r.bad || s < -2 || s >= int64(nx) {
			return nil, ErrBad
		}
		m.bySnap[i] = int32(s)
	}
	nd := r.uv()
	if r.bad || nd != uint64(len(b)-r.i) {
		return nil, ErrBad
	}
	m.data = append([]byte(nil), b[r.i:]...)
	// Every record must decode, agree with the snapshot index, and the
	// spill area must be exactly what the records read (as Encoder makes
	// it), so a decoded map never asks for more memory than it uses.
	var x Exit
	used := 0
	for _, off := range m.offs {
		if uint64(off) >= nd {
			return nil, ErrBad
		}
		if _, err := m.decode(m.data[off:], &x); err != nil {
			return nil, err
		}
		if s := m.bySnap; x.Snap >= len(s) || s[x.Snap] == -1 || s[x.Snap] >= 0 && m.offs[s[x.Snap]] != off {
			return nil, ErrBad
		}
		for _, e := range x.Entries {
			if e.Kind == InSpill && int(e.Val) >= used {
				used = int(e.Val) + 1
			}
		}
	}
	if used != m.nspill {
		return nil, ErrBad
	}
	for s, e := range m.bySnap {
		if e >= 0 {
			if _, err := m.decode(m.data[m.offs[e]:], &x); err != nil || x.Snap != s {
				return nil, ErrBad
			}
		}
	}
	return m, nil
}
