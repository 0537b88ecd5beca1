package vm

import "hash/maphash"

// -- The intern table -----------------------------------------------------------
//
// internTab maps the bytes of every live string to its index in State.strs.
// It is an open-addressing hash table with linear probing whose slots are
// 8-byte words:
//
//	 63            32 31             0
//	+----------------+----------------+
//	|   hash (32)    |   index + 1    |     0: empty slot
//	+----------------+----------------+
//
// The hash is maphash of the bytes with a seed drawn per table, so a
// program cannot choose strings that collide. A probe compares the stored
// hash first and the string (State.strs[index]) only when the hashes agree,
// so a miss rarely touches string memory. Nothing the program can observe
// depends on the seed: string indices come from State.strs' free list, and
// pairs orders tables by Value bits, never by this table.
//
// Deleting leaves no tombstones. A single delete shifts the rest of its
// cluster back (remove); a sweep that freed many strings instead clears
// their slots and reinserts the rest of the table in one pass (purge).
// Either way a lookup's probe length depends only on the live strings,
// where Go's map kept the tombstones of the collector's deletes until it
// grew. Growth doubles the slot array when it is 3/4 full and reinserts
// from the stored hashes without rehashing a string.
//
// An index fills 32 bits, so the table holds at most 2^32-1 strings (64 GB
// of string headers alone).
type internTab struct {
	slots []uint64
	mask  uint32 // len(slots) - 1; len(slots) is a power of two
	n     int    // occupied slots
	seed  maphash.Seed
}

const internMinSlots = 1 << 10

func (t *internTab) init() {
	t.seed = maphash.MakeSeed()
	t.slots = make([]uint64, internMinSlots)
	t.mask = internMinSlots - 1
	t.n = 0
}

func (t *internTab) hash(s string) uint32 { return uint32(maphash.String(t.seed, s)) }

func (t *internTab) hashBytes(b []byte) uint32 { return uint32(maphash.Bytes(t.seed, b)) }

// find returns the index of the string s, whose hash is h.
func (t *internTab) find(strs []string, s string, h uint32) (uint32, bool) {
	m := t.mask
	for p := h & m; ; p = (p + 1) & m {
		e := t.slots[p]
		if e == 0 {
			return 0, false
		}
		if uint32(e>>32) == h {
			if i := uint32(e) - 1; strs[i] == s {
				return i, true
			}
		}
	}
}

// findBytes is find for a byte slice, without converting it to a string.
func (t *internTab) findBytes(strs []string, b []byte, h uint32) (uint32, bool) {
	m := t.mask
	for p := h & m; ; p = (p + 1) & m {
		e := t.slots[p]
		if e == 0 {
			return 0, false
		}
		if uint32(e>>32) == h {
			if i := uint32(e) - 1; strs[i] == string(b) {
				return i, true
			}
		}
	}
}

// insert adds string index i with hash h; the string must not be present.
func (t *internTab) insert(h, i uint32) {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	t.place(uint64(h)<<32 | uint64(i+1))
	t.n++
}

// place puts the entry e in the first free slot from its home.
func (t *internTab) place(e uint64) {
	m := t.mask
	p := uint32(e>>32) & m
	for t.slots[p] != 0 {
		p = (p + 1) & m
	}
	t.slots[p] = e
}

// resize moves every entry into a new slot array of n slots (a power of
// two larger than the entry count).
func (t *internTab) resize(n int) {
	old := t.slots
	t.slots = make([]uint64, n)
	t.mask = uint32(n - 1)
	for _, e := range old {
		if e != 0 {
			t.place(e)
		}
	}
}

// remove deletes string index i, whose hash is h, and shifts the entries
// behind it in its cluster back so that no probe sequence is broken.
func (t *internTab) remove(h, i uint32) bool {
	m := t.mask
	want := uint64(h)<<32 | uint64(i+1)
	p := h & m
	for t.slots[p] != want {
		if t.slots[p] == 0 {
			return false
		}
		p = (p + 1) & m
	}
	// p is the hole. An entry at q may fill it iff its home is not in
	// (p, q] (cyclically): its distance from home is at least q-p.
	for q := (p + 1) & m; ; q = (q + 1) & m {
		e := t.slots[q]
		if e == 0 {
			break
		}
		if home := uint32(e>>32) & m; (q-home)&m >= (q-p)&m {
			t.slots[p] = e
			p = q
		}
	}
	t.slots[p] = 0
	t.n--
	return true
}

// purge drops the entries of dead strings (mark[index] == 0) in one pass
// over the slots, without tombstones. It starts after a slot that was
// empty, so no cluster wraps past the start, and visits the slots in order:
// a dead entry is cleared, a live one is taken out and placed again in the
// first free slot from its home. Its home lies among the visited slots,
// which never become empty again, so an entry only moves back and every
// probe sequence ends up unbroken. A table left less than 1/8 full is
// shrunk instead.
func (t *internTab) purge(mark []uint32) {
	m := t.mask
	start := uint32(0)
	for t.slots[start] != 0 {
		start++
	}
	for k := uint32(1); k <= m; k++ {
		j := (start + k) & m
		e := t.slots[j]
		if e == 0 {
			continue
		}
		t.slots[j] = 0
		if mark[uint32(e)-1] == 0 {
			t.n--
			continue
		}
		t.place(e)
	}
	if n := len(t.slots); n > internMinSlots && 8*t.n < n {
		for n > internMinSlots && 4*t.n <= n { // then at most 1/2 full
			n /= 2
		}
		t.resize(n)
	}
}
