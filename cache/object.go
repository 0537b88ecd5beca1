package cache

import (
	"math/bits"
	"unsafe"
)

// -- Objects ------------------------------------------------------------------

// Object is a set of keyed 64-bit values with a shape. Its head word holds
// the shape in its low 32 bits and the number of keys, n, in its high 32
// bits; slots is the slot array, whose length is its capacity. In shape
// mode, head names a node of the transition tree with n keys and
// slots[i] holds the value of the shape's i-th key for i < n. In
// dictionary mode, the shape is DictShape, n is 0, slots is nil and dict
// holds the keys.
//
// Every Object, however misused, has n <= len(slots): every write of head
// keeps it. That is what lets a hit check a cached slot against the
// object's own n, one word it loads anyway, and then load the slot with
// no bounds check: an object used with a Shapes it does not belong to
// has its own n, so a wrong slot misses instead of reading past the array.
//
// Layout, as a trace sees it (see HeadOffset, ShapeOffset, SlotsOffset):
//
//	+0   head   uint64        shape | n<<32; guard: load the 32-bit shape
//	                          at ShapeOffset, compare with a ShapeID
//	+8   slots  []uint64      data pointer, capacity, capacity
//	+32  dict   *dict
//
// The zero Object is an empty object in shape mode. A copy of an Object
// shares its slot array and dictionary: moving one is fine, using both the
// original and a copy is not (though memory-safe). An Object belongs to
// the one Shapes it is used with. A trace addresses an Object directly, so
// an interpreter keeps its Objects where they do not move while a trace
// runs (each in its own heap allocation, for example; Go never moves
// those).
type Object struct {
	head  uint64
	slots []uint64
	dict  *dict
}

// Byte offsets for code that reads an Object directly: the 64-bit head
// word lies at HeadOffset, the 32-bit shape a trace guards on at
// ShapeOffset (ShapeSize bytes) and the 32-bit key count at CountOffset
// (both inside the head word, where the machine's byte order puts them);
// the slot array's data pointer is the word at SlotsOffset and the number
// of slots it has room for the word at SlotsCapOffset; slot k lies at
// SlotOffset(k) from the data pointer.
const (
	HeadOffset     = unsafe.Offsetof(Object{}.head)
	ShapeOffset    = HeadOffset + 4*bigEndian
	CountOffset    = HeadOffset + 4*(1-bigEndian)
	SlotsOffset    = unsafe.Offsetof(Object{}.slots)
	SlotsCapOffset = SlotsOffset + 2*unsafe.Sizeof(uintptr(0))
	// SlotSize is the size in bytes of one slot.
	SlotSize = 8
)

// SlotOffset is the byte offset of slot k from the start of the slot array.
func SlotOffset(k int) uintptr { return uintptr(k) * SlotSize }

// Head returns the head word of an object of shape id holding n keys, as a
// trace stores it at HeadOffset after an add transition.
func Head(id ShapeID, n int) uint64 { return uint64(id) | uint64(n)<<32 }

// n is the number of keys of a shape-mode object (0 in dictionary mode).
func (o *Object) n() int { return int(o.head >> 32) }

// slot returns a pointer to slot i, with no bounds check: the caller has
// checked i < o.n(), which is at most len(o.slots).
func (o *Object) slot(i uint64) *uint64 {
	return (*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(o.slots)), i*SlotSize))
}

// setDict puts o in dictionary mode with dictionary d.
func (o *Object) setDict(d *dict) {
	o.head = Head(DictShape, 0)
	o.slots = nil
	o.dict = d
}

// Clear empties the object for reuse, back to EmptyShape, keeping its
// slot array's memory (a VM that recycles tables calls it).
func (o *Object) Clear() {
	o.head = Head(EmptyShape, 0)
	o.dict = nil
}

// Reserve makes room for n more keys, so that adding them allocates
// nothing (a table constructor with n fields knows n). It does nothing in
// dictionary mode or for n <= 0, and reserves at most as many slots as the
// largest MaxKeys allows.
func (o *Object) Reserve(n int) {
	have := o.n()
	n = min(n, maxMaxKeys-have)
	if o.Dict() || n <= 0 || have+n <= len(o.slots) {
		return
	}
	slots := make([]uint64, have+n)
	copy(slots, o.slots[:have])
	o.slots = slots
}

// Shape returns the object's current shape: DictShape in dictionary mode.
func (o *Object) Shape() ShapeID { return ShapeID(o.head) }

// Dict reports whether the object is in dictionary mode.
func (o *Object) Dict() bool { return o.Shape() == DictShape }

// Len is the number of keys the object holds.
func (o *Object) Len() int {
	if o.Dict() {
		return o.dict.live
	}
	return o.n()
}

// valid reports whether o is consistent with sh: a known shape whose key
// count is the object's, or dictionary mode with a dictionary.
func (sh *Shapes) valid(o *Object) bool {
	id := o.Shape()
	if id == DictShape {
		return o.dict != nil
	}
	return int(id) < len(sh.shapes) && len(sh.shapes[id].keys) == o.n()
}

// Get returns the value of key in o, without a site. It answers through the
// megamorphic cache, so repeated generic reads of the same (shape, key)
// pairs cost a hash probe, not a search. A foreign object reads as empty.
func (sh *Shapes) Get(o *Object, key uint64) (uint64, bool) {
	if o.Dict() {
		if o.dict == nil {
			return 0, false
		}
		return o.dict.get(key)
	}
	if !sh.valid(o) {
		return 0, false
	}
	slot, _ := sh.lookup(o.Shape(), key)
	if slot < 0 {
		return 0, false
	}
	return o.slots[slot], true
}

// Set stores val under key in o, adding the key when o lacks it. Adding a
// key moves the object along the transition tree, or to dictionary mode
// when the shape is full or the table has no room.
func (sh *Shapes) Set(o *Object, key, val uint64) error {
	if o.Dict() {
		if o.dict == nil {
			return ErrForeign
		}
		o.dict.set(key, val)
		return nil
	}
	if !sh.valid(o) {
		return ErrForeign
	}
	slot, _ := sh.lookup(o.Shape(), key)
	if slot >= 0 {
		o.slots[slot] = val
		return nil
	}
	sh.add(o, key, val)
	return nil
}

// add appends key, which o lacks, to a shape-mode object.
func (sh *Shapes) add(o *Object, key, val uint64) {
	next, ok := sh.child(o.Shape(), key)
	if !ok {
		sh.toDict(o)
		o.dict.set(key, val)
		return
	}
	sh.push(o, next, val)
}

// Delete removes key from o and reports whether it was there. A shape-mode
// object that loses a key moves to dictionary mode, keeping the iteration
// position of every key (so a traversal can delete as it goes), and stays
// there. A language whose "absent" is a value, as Lua's nil is, can store
// that value instead and keep the shape; see the package comment.
func (sh *Shapes) Delete(o *Object, key uint64) (bool, error) {
	if !sh.valid(o) {
		return false, ErrForeign
	}
	if !o.Dict() {
		if slot, _ := sh.lookup(o.Shape(), key); slot < 0 {
			return false, nil
		}
		sh.toDict(o)
	}
	return o.dict.del(key), nil
}

// toDict moves a shape-mode object to dictionary mode; the entries keep the
// slot order, so iteration positions do not change.
func (sh *Shapes) toDict(o *Object) {
	keys := sh.shapes[o.Shape()].keys
	d := newDict(len(keys) + 1)
	for i, k := range keys {
		d.set(k, o.slots[i])
	}
	o.setDict(d)
}

// -- Iteration ----------------------------------------------------------------

// Next returns the first key at an iteration position at or after pos, its
// value, and the position to pass next time; ok is false when no key is
// left. Positions follow insertion order and stay put while keys are
// deleted, so a traversal may delete the key it is visiting; adding a key
// during a traversal may reorder what is left (as in Lua). A traversal
// starts at 0.
func (sh *Shapes) Next(o *Object, pos int) (key, val uint64, next int, ok bool) {
	if pos < 0 || !sh.valid(o) {
		return 0, 0, 0, false
	}
	if o.Dict() {
		d := o.dict
		for i := pos; i < len(d.ents); i++ {
			if e := &d.ents[i]; e.live {
				return e.key, e.val, i + 1, true
			}
		}
		return 0, 0, 0, false
	}
	if pos >= o.n() {
		return 0, 0, 0, false
	}
	return sh.shapes[o.Shape()].keys[pos], o.slots[pos], pos + 1, true
}

// Pos returns the iteration position of key, so that Next(o, Pos+1)
// continues a traversal after it (Lua's next(t, k)). In dictionary mode it
// also finds a key deleted since the last resize, as Lua finds a dead key.
func (sh *Shapes) Pos(o *Object, key uint64) (int, bool) {
	if !sh.valid(o) {
		return 0, false
	}
	if o.Dict() {
		i := o.dict.find(key)
		return i, i >= 0
	}
	slot, _ := sh.lookup(o.Shape(), key)
	return int(slot), slot >= 0
}

// -- Dictionary mode ----------------------------------------------------------

// dict is an insertion-ordered open-addressing hash: ents holds the entries
// in insertion order, index maps a hash to entry number+1 (0: free). A
// deleted entry stays in ents and in index, marked dead, until the next
// resize, so a deleted key keeps its position and a re-added key takes its
// old place back.
type dict struct {
	ents  []dent
	index []int32
	shift uint
	live  int
}

type dent struct {
	key, val uint64
	live     bool
}

func newDict(n int) *dict {
	size := 8
	for size < 2*n {
		size *= 2
	}
	d := &dict{}
	d.resize(size, n)
	return d
}

// resize rebuilds index at size cells, dropping dead entries.
func (d *dict) resize(size, capHint int) {
	old := d.ents
	d.index = make([]int32, size)
	d.shift = uint(64 - bits.TrailingZeros(uint(size)))
	d.ents = make([]dent, 0, max(capHint, d.live+1))
	d.live = 0
	for _, e := range old {
		if e.live {
			d.insert(e.key, e.val)
		}
	}
}

// probe returns the index cell holding key, or the free cell where it
// would go.
func (d *dict) probe(key uint64) int {
	mask := len(d.index) - 1
	i := int(mix(DictShape, key) >> d.shift)
	for {
		n := d.index[i]
		if n == 0 || d.ents[n-1].key == key {
			return i
		}
		i = (i + 1) & mask
	}
}

// insert appends a key known to be absent, with room known to be there.
func (d *dict) insert(key, val uint64) {
	i := d.probe(key)
	d.ents = append(d.ents, dent{key: key, val: val, live: true})
	d.index[i] = int32(len(d.ents))
	d.live++
}

func (d *dict) get(key uint64) (uint64, bool) {
	if n := d.index[d.probe(key)]; n != 0 && d.ents[n-1].live {
		return d.ents[n-1].val, true
	}
	return 0, false
}

// find returns the position of key, live or dead, or -1.
func (d *dict) find(key uint64) int {
	return int(d.index[d.probe(key)]) - 1
}

func (d *dict) set(key, val uint64) {
	i := d.probe(key)
	if n := d.index[i]; n != 0 {
		e := &d.ents[n-1]
		if !e.live {
			e.live = true
			d.live++
		}
		e.val = val
		return
	}
	// Every entry, live or dead, holds one index cell; keep the cells at
	// most three quarters used.
	if (len(d.ents)+1)*4 > len(d.index)*3 {
		size := 8
		for size*3 < (d.live+1)*2*4 {
			size *= 2
		}
		d.resize(size, 2*(d.live+1))
		i = d.probe(key)
	}
	d.ents = append(d.ents, dent{key: key, val: val, live: true})
	d.index[i] = int32(len(d.ents))
	d.live++
}

func (d *dict) del(key uint64) bool {
	n := d.index[d.probe(key)]
	if n == 0 || !d.ents[n-1].live {
		return false
	}
	d.ents[n-1].live = false
	d.live--
	return true
}
