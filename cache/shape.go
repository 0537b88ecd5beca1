package cache

import (
	"errors"
	"fmt"
	"math/bits"
)

// -- Shape IDs ----------------------------------------------------------------

// ShapeID names a shape: an index into the shape table of a Shapes. IDs are
// small, dense and never reused, and a shape never changes once made, so an
// ID is a sound constant for a shape guard in a trace for the life of its
// Shapes.
type ShapeID uint32

const (
	// EmptyShape is the root of the transition tree: the shape of an object
	// with no keys. The zero Object has it.
	EmptyShape ShapeID = 0
	// DictShape marks an object in dictionary mode. No site entry and no
	// guard ever names it, so a shape guard on an object in dictionary mode
	// always fails.
	DictShape ShapeID = 1
	// firstShape is the ID of the first shape made by a transition.
	firstShape ShapeID = 2
)

// ShapeSize is the width in bytes of Object's shape field (a ShapeID).
const ShapeSize = 4

// -- Options ------------------------------------------------------------------

// Default limits, used where Options leaves a field zero.
const (
	DefaultMaxKeys   = 64      // keys per shape before dictionary mode
	DefaultMaxShapes = 1 << 20 // shapes per table before new key sets go to dictionary mode
	DefaultPoly      = 4       // entries per site before it goes megamorphic
	DefaultMegaSize  = 4096    // entries in the global megamorphic cache
)

// maxMaxKeys is the largest MaxKeys an Options may ask for.
const maxMaxKeys = 1 << 20

// MaxPoly is the most entries a Site can hold; Options.Poly may lower the
// limit, not raise it.
const MaxPoly = 4

// Options sets the limits of a Shapes. The zero value means all defaults.
type Options struct {
	// MaxKeys is how many keys an object may hold in shape mode; adding one
	// more moves it to dictionary mode. 1 to 1<<20; 0 means DefaultMaxKeys.
	MaxKeys int
	// MaxShapes caps the shape table; once full, an object that would need a
	// new shape moves to dictionary mode instead. 16 to 1<<30; 0 means
	// DefaultMaxShapes.
	MaxShapes int
	// Poly is how many entries a site keeps before it goes megamorphic.
	// 1 to MaxPoly; 0 means DefaultPoly.
	Poly int
	// MegaSize is the number of entries of the global megamorphic cache, a
	// power of two from 16 to 1<<24; 0 means DefaultMegaSize.
	MegaSize int
}

// ErrOptions reports an Options field out of range.
var ErrOptions = errors.New("cache: option out of range")

// ErrForeign reports an object whose shape does not belong to the Shapes it
// was used with (or whose slot array disagrees with its shape).
var ErrForeign = errors.New("cache: object does not belong to this shape table")

// -- The shape table ----------------------------------------------------------

// shape is one node of the transition tree. keys lists the keys in slot
// order, so slot i holds keys[i] and len(keys) is the slot count. A child
// made by adding one key shares its parent's backing array when it is the
// parent's first child (see addChild), so a chain of n shapes costs O(n)
// key words, not O(n²).
type shape struct {
	keys     []uint64
	parent   ShapeID
	hint     uint32 // most keys of any shape in this subtree (for slot capacity)
	extended bool   // keys' backing array cell len(keys) is claimed by a child
}

// trans is one edge of the transition tree in the global transition hash:
// adding key to parent gives child. child == EmptyShape marks a free cell,
// since the root is nobody's child.
type trans struct {
	key    uint64
	parent ShapeID
	child  ShapeID
}

// megaEntry is one cell of the megamorphic cache: in a shape, key is at a
// slot (-1: absent); ss packs both as a site entry does (see pack). A free
// cell has shape DictShape, which is never looked up.
type megaEntry struct {
	key uint64
	ss  uint64
}

// Shapes owns a transition tree of shapes, the global transition hash, the
// megamorphic cache and the limits that send objects to dictionary mode.
// Every Object and Site is used with one Shapes only. Objects and sites
// passed to its methods must not be nil (Call's holder may be). A Shapes
// is not safe for concurrent use: an interpreter owns one per VM.
type Shapes struct {
	shapes    []shape
	trans     []trans // open addressing, power-of-two size
	transUsed int
	mega      []megaEntry // direct-mapped, power-of-two size
	megaShift uint

	maxKeys   int
	maxShapes int
	poly      int
}

// NewShapes returns a shape table holding only the empty shape.
func NewShapes(opt Options) (*Shapes, error) {
	if opt.MaxKeys == 0 {
		opt.MaxKeys = DefaultMaxKeys
	}
	if opt.MaxShapes == 0 {
		opt.MaxShapes = DefaultMaxShapes
	}
	if opt.Poly == 0 {
		opt.Poly = DefaultPoly
	}
	if opt.MegaSize == 0 {
		opt.MegaSize = DefaultMegaSize
	}
	switch {
	case opt.MaxKeys < 1 || opt.MaxKeys > maxMaxKeys:
		return nil, fmt.Errorf("%w: MaxKeys %d", ErrOptions, opt.MaxKeys)
	case opt.MaxShapes < 16 || opt.MaxShapes > 1<<30:
		return nil, fmt.Errorf("%w: MaxShapes %d", ErrOptions, opt.MaxShapes)
	case opt.Poly < 1 || opt.Poly > MaxPoly:
		return nil, fmt.Errorf("%w: Poly %d", ErrOptions, opt.Poly)
	case opt.MegaSize < 16 || opt.MegaSize > 1<<24 || opt.MegaSize&(opt.MegaSize-1) != 0:
		return nil, fmt.Errorf("%w: MegaSize %d", ErrOptions, opt.MegaSize)
	}
	sh := &Shapes{
		shapes:    make([]shape, firstShape, 64),
		trans:     make([]trans, 64),
		mega:      make([]megaEntry, opt.MegaSize),
		megaShift: uint(64 - bits.TrailingZeros(uint(opt.MegaSize))),
		maxKeys:   opt.MaxKeys,
		maxShapes: opt.MaxShapes,
		poly:      opt.Poly,
	}
	for i := range sh.mega {
		sh.mega[i].ss = pack(DictShape, -1)
	}
	return sh, nil
}

// Len is the number of shapes in the table, counting EmptyShape and
// DictShape.
func (sh *Shapes) Len() int { return len(sh.shapes) }

// Keys returns the keys of shape id in slot order (slot i holds Keys(id)[i]),
// or nil for DictShape or an unknown ID. The slice is shared: do not modify it.
func (sh *Shapes) Keys(id ShapeID) []uint64 {
	if id == DictShape || int(id) >= len(sh.shapes) {
		return nil
	}
	s := &sh.shapes[id]
	return s.keys[:len(s.keys):len(s.keys)]
}

// Parent returns the shape id was made from by adding its last key, and
// false for EmptyShape, DictShape or an unknown ID.
func (sh *Shapes) Parent(id ShapeID) (ShapeID, bool) {
	if id < firstShape || int(id) >= len(sh.shapes) {
		return 0, false
	}
	return sh.shapes[id].parent, true
}

// SlotOf returns the slot of key in shape id, or -1 when the shape lacks it
// (or id is DictShape or unknown). It searches the shape itself; the
// megamorphic cache is not consulted or changed.
func (sh *Shapes) SlotOf(id ShapeID, key uint64) int {
	if id == DictShape || int(id) >= len(sh.shapes) {
		return -1
	}
	return int(sh.slotOf(id, key))
}

// slotOf scans the keys of a valid shape. Shapes hold at most maxKeys keys,
// so a linear scan of one flat slice is the simplest fast search.
func (sh *Shapes) slotOf(id ShapeID, key uint64) int32 {
	for i, k := range sh.shapes[id].keys {
		if k == key {
			return int32(i)
		}
	}
	return -1
}

// -- Hashing ------------------------------------------------------------------

// mix spreads a (shape, key) pair over 64 bits; callers take the top bits.
// Keys are often NaN-boxed pointers or small indices whose low or high bits
// are all alike, so the key is folded before the multiply.
func mix(id ShapeID, key uint64) uint64 {
	h := key ^ key>>29 ^ uint64(id)*0xff51afd7ed558ccd
	return h * 0x9e3779b97f4a7c15
}

// -- Transitions --------------------------------------------------------------

// child returns the shape made by adding key to parent, creating it when it
// does not exist yet. It returns false when parent already holds maxKeys
// keys or the table is full: the object must move to dictionary mode.
func (sh *Shapes) child(parent ShapeID, key uint64) (ShapeID, bool) {
	mask := uint64(len(sh.trans) - 1)
	i := mix(parent, key) >> 32 & mask
	for {
		t := &sh.trans[i]
		if t.child == EmptyShape {
			break
		}
		if t.parent == parent && t.key == key {
			return t.child, true
		}
		i = (i + 1) & mask
	}
	if len(sh.shapes[parent].keys) >= sh.maxKeys || len(sh.shapes) >= sh.maxShapes {
		return 0, false
	}
	id := sh.addChild(parent, key)
	sh.trans[i] = trans{key: key, parent: parent, child: id}
	sh.transUsed++
	if sh.transUsed*2 > len(sh.trans) {
		sh.growTrans()
	}
	return id, true
}

// addChild appends the shape parent+key to the table. The first child of a
// shape extends the parent's key array in place when it has room; a cell
// of a backing array is therefore written once, by the one shape on the
// chain that owns it, and every shape sharing the array sees only its own
// prefix.
func (sh *Shapes) addChild(parent ShapeID, key uint64) ShapeID {
	p := &sh.shapes[parent]
	var keys []uint64
	if !p.extended && len(p.keys) < cap(p.keys) {
		keys = append(p.keys, key)
	} else {
		keys = make([]uint64, len(p.keys)+1, max(4, 2*(len(p.keys)+1)))
		copy(keys, p.keys)
		keys[len(p.keys)] = key
	}
	p.extended = true
	id := ShapeID(len(sh.shapes))
	n := uint32(len(keys))
	sh.shapes = append(sh.shapes, shape{keys: keys, parent: parent, hint: n})
	// Tell the ancestors how far this branch reaches, so the next object
	// built along it can get all its slots in one allocation. The walk
	// stops at the first ancestor that already knows.
	for a := parent; a != EmptyShape && sh.shapes[a].hint < n; a = sh.shapes[a].parent {
		sh.shapes[a].hint = n
	}
	return id
}

// maxHint bounds the slot capacity a shape's hint may ask for ahead of
// need, so one large object does not make every object built along the
// same branch large.
const maxHint = 16

// push appends val to o's slots as the slot of next's last key, and moves
// o to next. When the array is full it grows to what objects built along
// the same branch have needed (up to maxHint), at least doubling.
func (sh *Shapes) push(o *Object, next ShapeID, val uint64) {
	n := o.n()
	if n == len(o.slots) {
		c := max(2*n, 2, min(int(sh.shapes[next].hint), maxHint))
		slots := make([]uint64, c)
		copy(slots, o.slots[:n])
		o.slots = slots
	}
	o.slots[n] = val
	o.head = Head(next, n+1)
}

func (sh *Shapes) growTrans() {
	old := sh.trans
	sh.trans = make([]trans, 2*len(old))
	mask := uint64(len(sh.trans) - 1)
	for _, t := range old {
		if t.child == EmptyShape {
			continue
		}
		i := mix(t.parent, t.key) >> 32 & mask
		for sh.trans[i].child != EmptyShape {
			i = (i + 1) & mask
		}
		sh.trans[i] = t
	}
}

// -- The megamorphic cache ----------------------------------------------------

// lookup returns the slot of key in the valid shape id (-1: absent) through
// the megamorphic cache, filling it on a miss. hit reports whether the
// cache answered without a search.
func (sh *Shapes) lookup(id ShapeID, key uint64) (slot int32, hit bool) {
	e := &sh.mega[mix(id, key)>>sh.megaShift]
	if ShapeID(e.ss) == id && e.key == key {
		return int32(e.ss >> 32), true
	}
	slot = sh.slotOf(id, key)
	*e = megaEntry{key: key, ss: pack(id, slot)}
	return slot, false
}
