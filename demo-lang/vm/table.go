package vm

import (
	"math"
	"math/bits"
)

// -- Tables -----------------------------------------------------------------
//
// A Table is Lua 5.1's table: an array part holding keys 1..len(arr) and a
// hash part of 2^lsize nodes, chained scatter with Brent's variation (a
// colliding node that is not in its main position is moved out). When the
// hash part is full a rehash counts the integer keys and picks the largest
// array size n such that more than n/2 of the slots 1..n are used, exactly
// as ltable.c's computesizes does, so `#t` and growth behave like Lua 5.1.
// Keys are compared by their Value bits: strings are interned, numbers with
// a -0.0 value are normalized to 0 and NaN keys never get in. There is no
// per-run hash seed, so traversal order is the same on every run.

// node is one slot of the hash part; next is the index of the next node in
// the chain, -1 at its end. A never-used node has key Nil.
type node struct {
	key, val Value
	next     int32
}

// Table is the VM's table object. Tables live in State.tabs and are named
// by index inside Values.
type Table struct {
	arr      []Value
	node     []node
	lsize    uint8  // log2(len(node)); 0 also when len(node) == 0
	lastfree int32  // free-slot search goes down from here
	mt       uint32 // metatable index + 1, 0 for none
	flags    uint32 // bit e set: metamethod e known absent (metatables only)
}

const maxABits = 26 // largest array part is 2^26, as in Lua 5.1

func hashKey(k Value, lsize uint8) int32 {
	x := uint64(k)
	x ^= x >> 32
	x *= 0x9E3779B97F4A7C15
	return int32(x >> (64 - uint(lsize)) & (1<<lsize - 1))
}

// arrayIndex returns k-1 if k is a number with an integer value in
// [1, 2^26] range check left to the caller; ok false otherwise.
func arrayIndex(k Value) (int, bool) {
	if k >= numLimit {
		return 0, false
	}
	f := k.Float()
	i := int(f)
	if float64(i) != f {
		return 0, false
	}
	return i - 1, true
}

// normKey maps -0.0 to +0.0 so both find the same slot.
func normKey(k Value) Value {
	if k == 0x8000_0000_0000_0000 {
		return 0
	}
	return k
}

// get returns t[k] without metamethods.
func (t *Table) get(k Value) Value {
	if k < numLimit {
		f := k.Float()
		i := int(f)
		if float64(i) == f {
			if uint(i-1) < uint(len(t.arr)) {
				return t.arr[i-1]
			}
			k = normKey(k)
		}
	}
	return t.getHash(k)
}

// getInt returns t[i] for an integer i.
func (t *Table) getInt(i int) Value {
	if uint(i-1) < uint(len(t.arr)) {
		return t.arr[i-1]
	}
	return t.getHash(nv(float64(i)))
}

// getStr returns t[k] for a string key (any non-number key in fact).
func (t *Table) getHash(k Value) Value {
	if len(t.node) == 0 {
		return Nil
	}
	n := hashKey(k, t.lsize)
	for {
		nd := &t.node[n]
		if nd.key == k {
			return nd.val
		}
		n = nd.next
		if n < 0 {
			return Nil
		}
	}
}

// hint is an inline cache of one string-keyed table instruction (TGETS,
// TSETS, GGET, GSET): the hash-part node indices where its key was last
// found, in the table itself (own) and, for a TGETS that followed
// __index, in the table that held the key (held). A hint is only a guess:
// a lookup checks that the node at the index holds the key, which proves
// it is the key's one node (a key has at most one node, dead or live), and
// otherwise walks the chain as before and remembers where the key was. So
// no result depends on a hint, and a hint needs no invalidation when a
// table is resized, rehashed or collected.
type hint struct {
	own, held int32
}

// getStrHint is getHash for a string key k through the hint h.
func (t *Table) getStrHint(k Value, h *int32) Value {
	if i := uint(*h); i < uint(len(t.node)) && t.node[i].key == k {
		return t.node[i].val
	}
	if len(t.node) == 0 {
		return Nil
	}
	n := hashKey(k, t.lsize)
	for {
		nd := &t.node[n]
		if nd.key == k {
			*h = n
			return nd.val
		}
		n = nd.next
		if n < 0 {
			return Nil
		}
	}
}

// slotStrHint is slot for a string key k through the hint h.
func (t *Table) slotStrHint(k Value, h *int32) *Value {
	if i := uint(*h); i < uint(len(t.node)) && t.node[i].key == k {
		return &t.node[i].val
	}
	if len(t.node) == 0 {
		return nil
	}
	n := hashKey(k, t.lsize)
	for {
		nd := &t.node[n]
		if nd.key == k {
			*h = n
			return &nd.val
		}
		n = nd.next
		if n < 0 {
			return nil
		}
	}
}

// slot returns a pointer to the value slot of key k, or nil if k is absent.
func (t *Table) slot(k Value) *Value {
	if i, ok := arrayIndex(k); ok {
		if uint(i) < uint(len(t.arr)) {
			return &t.arr[i]
		}
		k = normKey(k)
	}
	if len(t.node) == 0 {
		return nil
	}
	n := hashKey(k, t.lsize)
	for {
		nd := &t.node[n]
		if nd.key == k {
			return &nd.val
		}
		n = nd.next
		if n < 0 {
			return nil
		}
	}
}

// set stores t[k] = v without metamethods. It returns an error message for
// a nil or NaN key.
func (L *State) tset(t *Table, k, v Value) error {
	if p := t.slot(k); p != nil {
		*p = v
		if k.tag() == tagStr {
			t.flags = 0
		}
		return nil
	}
	if k == Nil {
		return errIndexNil
	}
	if k < numLimit && math.IsNaN(k.Float()) {
		return errIndexNaN
	}
	if v == Nil {
		return nil // an absent key assigned nil stays absent
	}
	t.flags = 0
	*L.newKey(t, normKey(k)) = v
	return nil
}

// setInt stores t[i] = v for an integer i.
func (L *State) tsetInt(t *Table, i int, v Value) {
	if uint(i-1) < uint(len(t.arr)) {
		t.arr[i-1] = v
		return
	}
	_ = L.tset(t, nv(float64(i)), v)
}

// getFreePos finds a never-used node below lastfree, or -1.
func (t *Table) getFreePos() int32 {
	for t.lastfree > 0 {
		t.lastfree--
		if t.node[t.lastfree].key == Nil {
			return t.lastfree
		}
	}
	return -1
}

// newKey inserts the absent key k and returns its value slot. k is not nil,
// not NaN and normalized.
func (L *State) newKey(t *Table, k Value) *Value {
	if len(t.node) == 0 {
		L.rehash(t, k)
		return L.setSlot(t, k)
	}
	mp := hashKey(k, t.lsize)
	if t.node[mp].val != Nil {
		f := t.getFreePos()
		if f < 0 {
			L.rehash(t, k)
			return L.setSlot(t, k)
		}
		other := hashKey(t.node[mp].key, t.lsize)
		if other != mp {
			// The colliding node is out of its main position: move it to
			// the free slot and take its place.
			for t.node[other].next != mp {
				other = t.node[other].next
			}
			t.node[other].next = f
			t.node[f] = t.node[mp]
			t.node[mp].next = -1
			t.node[mp].val = Nil
		} else {
			t.node[f].next = t.node[mp].next
			t.node[mp].next = f
			mp = f
		}
	}
	t.node[mp].key = k
	return &t.node[mp].val
}

// setSlot returns the value slot for k, creating the key if needed.
func (L *State) setSlot(t *Table, k Value) *Value {
	if p := t.slot(k); p != nil {
		return p
	}
	return L.newKey(t, normKey(k))
}

func ceilLog2(x uint) int {
	if x <= 1 {
		return 0
	}
	return bits.Len(x - 1)
}

// countInt adds k to nums if it is an array-candidate key.
func countInt(k Value, nums *[maxABits + 1]int) int {
	if i, ok := arrayIndex(k); ok && i >= 0 && i < 1<<maxABits {
		nums[ceilLog2(uint(i+1))]++
		return 1
	}
	return 0
}

func computeSizes(nums *[maxABits + 1]int, narray *int) int {
	a, na, n := 0, 0, 0
	for i, twotoi := 0, 1; twotoi/2 < *narray; i, twotoi = i+1, twotoi*2 {
		if nums[i] > 0 {
			a += nums[i]
			if a > twotoi/2 {
				n = twotoi
				na = a
			}
		}
		if a == *narray {
			break
		}
	}
	*narray = n
	return na
}

func (t *Table) numUseArray(nums *[maxABits + 1]int) int {
	ause := 0
	i := 1
	for lg, ttlg := 0, 1; lg <= maxABits; lg, ttlg = lg+1, ttlg*2 {
		lc := 0
		lim := ttlg
		if lim > len(t.arr) {
			lim = len(t.arr)
			if i > lim {
				break
			}
		}
		for ; i <= lim; i++ {
			if t.arr[i-1] != Nil {
				lc++
			}
		}
		nums[lg] += lc
		ause += lc
	}
	return ause
}

// rehash resizes t to make room for the new key ek.
func (L *State) rehash(t *Table, ek Value) {
	var nums [maxABits + 1]int
	nasize := t.numUseArray(&nums)
	total := nasize
	for i := range t.node {
		if t.node[i].val != Nil {
			nasize += countInt(t.node[i].key, &nums)
			total++
		}
	}
	nasize += countInt(ek, &nums)
	total++
	na := computeSizes(&nums, &nasize)
	L.resize(t, nasize, total-na)
}

func (L *State) setNodeVector(t *Table, size int) {
	if size == 0 {
		t.node = nil
		t.lsize = 0
		t.lastfree = 0
		return
	}
	lsize := ceilLog2(uint(size))
	size = 1 << lsize
	t.node = make([]node, size)
	for i := range t.node {
		t.node[i] = node{key: Nil, val: Nil, next: -1}
	}
	t.lsize = uint8(lsize)
	t.lastfree = int32(size)
}

// resize gives t an array part of nasize and a hash part for nhsize keys.
func (L *State) resize(t *Table, nasize, nhsize int) {
	oldArr := t.arr
	oldNode := t.node
	before := tableBytes(t)
	if nasize > len(oldArr) {
		if nasize <= cap(oldArr) {
			t.arr = oldArr[:nasize]
		} else {
			t.arr = make([]Value, nasize, nasize)
			copy(t.arr, oldArr)
		}
		for i := len(oldArr); i < nasize; i++ {
			t.arr[i] = Nil
		}
	}
	L.setNodeVector(t, nhsize)
	if nasize < len(oldArr) {
		t.arr = oldArr[:nasize]
		for i := nasize; i < len(oldArr); i++ {
			if oldArr[i] != Nil {
				*L.setSlot(t, nv(float64(i+1))) = oldArr[i]
			}
		}
		// keep the old backing array's tail clean for the GC's scans
		clearValues(oldArr[nasize:len(oldArr)])
	}
	for i := len(oldNode) - 1; i >= 0; i-- {
		if nd := &oldNode[i]; nd.val != Nil {
			*L.setSlot(t, nd.key) = nd.val
		}
	}
	L.memBytes += int64(tableBytes(t) - before)
}

func clearValues(s []Value) {
	for i := range s {
		s[i] = Nil
	}
}

func tableBytes(t *Table) int { return 8*cap(t.arr) + 24*len(t.node) }

// length returns a border of t, as Lua 5.1's luaH_getn.
func (t *Table) length() int {
	j := len(t.arr)
	if j > 0 && t.arr[j-1] == Nil {
		i := 0
		for j-i > 1 {
			m := int(uint(i+j) / 2)
			if t.arr[m-1] == Nil {
				j = m
			} else {
				i = m
			}
		}
		return i
	}
	if len(t.node) == 0 {
		return j
	}
	// unbound search in the hash part
	i := j
	j++
	for t.getInt(j) != Nil {
		i = j
		if j > math.MaxInt32/2 {
			i = 1
			for t.getInt(i) != Nil {
				i++
			}
			return i - 1
		}
		j *= 2
	}
	for j-i > 1 {
		m := int(uint(i+j) / 2)
		if t.getInt(m) == Nil {
			j = m
		} else {
			i = m
		}
	}
	return i
}

// next returns the entry after key k in traversal order (array part, then
// hash part in slot order). ok is false for a key not in the table.
func (t *Table) next(k Value) (nk, nv Value, ok bool) {
	i := 0 // first index to look at, in the combined array+hash numbering
	if k != Nil {
		found := false
		if ai, isInt := arrayIndex(k); isInt && uint(ai) < uint(len(t.arr)) {
			i = ai + 1
			found = true
		} else if len(t.node) > 0 {
			k = normKey(k)
			n := hashKey(k, t.lsize)
			for n >= 0 {
				if t.node[n].key == k {
					i = len(t.arr) + int(n) + 1
					found = true
					break
				}
				n = t.node[n].next
			}
		}
		if !found {
			return Nil, Nil, false
		}
	}
	for ; i < len(t.arr); i++ {
		if t.arr[i] != Nil {
			return Number(float64(i + 1)), t.arr[i], true
		}
	}
	for i -= len(t.arr); i < len(t.node); i++ {
		if t.node[i].val != Nil {
			return t.node[i].key, t.node[i].val, true
		}
	}
	return Nil, Nil, true
}
