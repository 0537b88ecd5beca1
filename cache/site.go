package cache

// -- Sites --------------------------------------------------------------------

// Kind is what a site does: read a key, write a key, or find a method.
type Kind uint8

// The kinds of site. A site takes the kind of the first operation used on
// it; an operation of another kind that reaches the slow path resets it
// (Stats.Resets counts this). The inline paths serve any kind's entries
// that mean the same thing to them, such as a present key's slot.
const (
	ReadSite Kind = iota
	WriteSite
	CallSite
)

var kindNames = [...]string{"read", "write", "call"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// State is where a site stands on the way from no information to
// megamorphic. States only move forward, until Reset.
type State uint8

// The states of a site.
const (
	// Uninit: the site has seen no shape-mode object yet.
	Uninit State = iota
	// Mono: one (shape, key) entry; the inline fast path checks it.
	Mono
	// Poly: 2 to the Options.Poly limit of entries, searched in order.
	Poly
	// Mega: the site gave up its own entries and asks the global hashed
	// cache of its Shapes.
	Mega
)

var stateNames = [...]string{"uninit", "mono", "poly", "mega"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state?"
}

// entry is one cached fact of a site, valid for objects of one shape
// accessed with key key. ss packs that shape and a slot, hs another shape,
// aux, and another slot, hslot (see pack):
//
//	read:  slot holds the key; -1: the shape lacks it
//	write: slot < key count: overwrite slot; slot == key count: append it
//	       and move the object to shape aux (an add transition)
//	call:  slot >= 0: the receiver holds the key at slot; slot == -1: it
//	       does not, and a holder of shape aux holds it at hslot (-1: not
//	       there either). aux == noHolder: no holder was given.
//
// The zero entry names EmptyShape at slot 0, which no object can satisfy
// (an object of EmptyShape has no keys), so a zero Site never hits.
type entry struct {
	key uint64
	ss  uint64
	hs  uint64
}

// pack puts a shape and a slot in one word as an Object's head holds its
// shape and key count: shape in the low 32 bits, slot in the high 32, -1
// as all ones. See hit.
func pack(id ShapeID, slot int32) uint64 { return uint64(id) | uint64(uint32(slot))<<32 }

func (e *entry) shape() ShapeID { return ShapeID(e.ss) }
func (e *entry) slot() int32    { return int32(e.ss >> 32) }
func (e *entry) aux() ShapeID   { return ShapeID(e.hs) }
func (e *entry) hslot() int32   { return int32(e.hs >> 32) }

// hit reports whether a slot packed with its shape in w (by pack) may be
// loaded from an object whose head is h: the shapes, the low halves, are
// equal, and then h > w says the slot, the high half of w, is below the
// object's own key count, the high half of h. A slot of -1 packs as the
// largest high half and never passes. Because the count is the object's,
// the test is safe even for an object of another Shapes whose shape
// number happens to match: a slot it lacks misses, so the caller may load
// the slot with no bounds check (Object.slot).
func hit(h, w uint64) bool { return uint32(h) == uint32(w) && h > w }

// noHolder in an entry's aux means the call had no holder object.
const noHolder = DictShape

// Site is an inline cache for one place in a program that reads, writes or
// calls through a key: an interpreter keeps one per such bytecode
// instruction, inline in its instruction stream or in a flat slice (see
// Sites). The zero Site is ready to use. It holds no pointers into objects,
// only shape IDs, keys and slot numbers, so it never keeps an object alive
// and a recorder can read it as plain data (see Plan).
//
// A site may be fixed to one key (Fix), as the site of an instruction
// whose key is a constant is: it then caches facts about that key only,
// and its fast paths ReadHitFixed, WriteHitFixed and CallHitFixed take no
// key and test only the object's head word.
//
// Layout: the fixed first entry, then the first entry, so a monomorphic
// hit reads 8 (fixed) or 24 bytes at the start of the site and writes
// nothing to it.
type Site struct {
	fast    uint64 // a fixed site's first entry's ss, else 0 (never hits)
	e       [MaxPoly]entry
	key     uint64 // the key of a fixed site
	fixed   bool
	hits    uint64
	misses  uint64
	dict    uint64
	polyAt  uint64
	megaAt  uint64
	owner   *Shapes
	resets  uint32
	n       uint8
	state   State
	kind    Kind
	changes uint8
}

// State returns the site's state.
func (s *Site) State() State { return s.state }

// Kind returns the kind of operation the site serves.
func (s *Site) Kind() Kind { return s.kind }

// Reset forgets everything the site has cached and counted. A fixed site
// stays fixed to its key.
func (s *Site) Reset() { *s = Site{key: s.key, fixed: s.fixed} }

// Fix fixes the site to key, for good: from then on it caches facts about
// key only (an operation through it with another key is served, counted as
// a miss, and leaves no entry), so that ReadHitFixed, WriteHitFixed and
// CallHitFixed may answer without comparing keys. An interpreter fixes the
// site of an instruction whose key is a constant, when it makes the site.
// Fixing a site that holds entries, or is fixed to another key, forgets
// them first (Stats.Resets counts it); fixing it again to its own key
// changes nothing.
func (s *Site) Fix(key uint64) {
	if s.fixed && s.key == key {
		return
	}
	if s.fixed || s.state != Uninit {
		*s = Site{resets: s.resets + 1, owner: s.owner, kind: s.kind}
	}
	s.key, s.fixed = key, true
}

// Key returns the key the site is fixed to, and whether it is fixed.
func (s *Site) Key() (uint64, bool) { return s.key, s.fixed }

// bind ties a site to sh and kind on its first use, and resets it when it
// is used with another Shapes or another kind of operation, so that entries
// are only ever read with the meaning they were written with.
func (sh *Shapes) bind(s *Site, k Kind) {
	if s.owner == sh && s.kind == k {
		return
	}
	if s.owner != nil {
		*s = Site{resets: s.resets + 1, key: s.key, fixed: s.fixed}
	}
	s.owner = sh
	s.kind = k
}

// find returns the entry for (id, key) among the site's entries. For call
// sites, hid is the holder's shape and an entry for an absent receiver key
// matches only the same holder shape.
func (s *Site) find(id ShapeID, key uint64, hid ShapeID) *entry {
	for i := 0; i < int(s.n); i++ {
		e := &s.e[i]
		if e.shape() == id && e.key == key && (s.kind != CallSite || e.slot() >= 0 || e.aux() == hid) {
			return e
		}
	}
	return nil
}

// fill adds an entry after a miss, moving the site uninit → mono → poly,
// and to mega when the site is full. A fixed site takes entries for its
// own key only.
func (sh *Shapes) fill(s *Site, e entry) {
	if s.fixed && e.key != s.key {
		return
	}
	if int(s.n) < sh.poly {
		s.e[s.n] = e
		s.n++
		switch s.n {
		case 1:
			s.state = Mono
			s.changes++
			if s.fixed {
				s.fast = e.ss
			}
		case 2:
			s.state = Poly
			s.polyAt = s.hits + s.misses + s.dict
			s.changes++
		}
		return
	}
	s.e = [MaxPoly]entry{}
	s.n = 0
	s.fast = 0
	s.state = Mega
	s.megaAt = s.hits + s.misses + s.dict
	s.changes++
}

// -- Reads --------------------------------------------------------------------

// ReadHit is the inlinable fast path of Read: when the site's first entry
// matches o's shape and key, it returns the value and true, else false and
// the caller calls Read. A hit loads the object's head word (shape and key
// count) and the entry's packed shape and slot, compares the two twice
// (the shape, and the slot against the object's own key count: see hit),
// compares the key and loads the slot with no further bounds check; it
// writes nothing, not even a counter (Stats.Hits counts only what Read,
// Write and Call serve). The split exists because Go will not inline a
// function that also calls the slow path:
//
//	v, ok := site.ReadHit(obj, key)
//	if !ok {
//		v, ok = shapes.Read(site, obj, key)
//	}
func (s *Site) ReadHit(o *Object, key uint64) (uint64, bool) {
	e := &s.e[0]
	if w := e.ss; hit(o.head, w) && key == e.key {
		return *o.slot(w >> 32), true
	}
	return 0, false
}

// ReadHitFixed is ReadHit for a site fixed to its key (Fix): when the
// site's first entry matches o's shape, it returns the value of the
// site's key and true, else false and the caller calls Read with that
// key. It tests the object's head word against one word of the site and
// compares no key. On a site that is not fixed it always returns false.
func (s *Site) ReadHitFixed(o *Object) (uint64, bool) {
	if w := s.fast; hit(o.head, w) {
		return *o.slot(w >> 32), true
	}
	return 0, false
}

// Read returns the value of key in o through site s, and whether o holds
// key. It tries the site's entries, then (mega) the global cache, then
// searches the shape and caches the answer, absence included. It never
// allocates once the site and the shapes involved exist. A foreign object
// reads as empty.
func (sh *Shapes) Read(s *Site, o *Object, key uint64) (uint64, bool) {
	// The hot part of the slow path, flat and without calls: a polymorphic
	// or megamorphic hit on a present key returns here. Everything else,
	// absent keys and the checks for foreign objects and rebinding
	// included, is in readSlow.
	if s.owner == sh {
		h := o.head
		if s.state != Mega {
			for j := range s.e[:s.n] {
				if e := &s.e[j]; uint32(e.ss) == uint32(h) && e.key == key {
					if w := e.ss; h > w {
						s.hits++
						return *o.slot(w >> 32), true
					}
					break
				}
			}
		} else if e := &sh.mega[mix(ShapeID(h), key)>>sh.megaShift]; hit(h, e.ss) && e.key == key {
			// A free cell holds DictShape with slot -1, so a
			// dictionary-mode object cannot hit here.
			s.hits++
			return *o.slot(e.ss >> 32), true
		}
	}
	return sh.readSlow(s, o, key)
}

func (sh *Shapes) readSlow(s *Site, o *Object, key uint64) (uint64, bool) {
	sh.bind(s, ReadSite)
	id := o.Shape()
	if id == DictShape {
		s.dict++
		if o.dict == nil {
			return 0, false
		}
		return o.dict.get(key)
	}
	if !sh.valid(o) {
		return 0, false
	}
	var slot int32
	if e := s.find(id, key, 0); e != nil {
		s.hits++
		slot = e.slot()
	} else if s.state == Mega {
		var hit bool
		slot, hit = sh.lookup(id, key)
		s.count(hit)
	} else {
		s.misses++
		// lookup, not slotOf: it also fills the global cache, so the
		// access that turns a site mega is the last one to search.
		slot, _ = sh.lookup(id, key)
		sh.fill(s, entry{key: key, ss: pack(id, slot), hs: pack(id, -1)})
	}
	if slot < 0 {
		return 0, false
	}
	return o.slots[slot], true
}

// count records a megamorphic access: a hit when the global cache answered.
func (s *Site) count(hit bool) {
	if hit {
		s.hits++
	} else {
		s.misses++
	}
}

// -- Writes -------------------------------------------------------------------

// WriteHit is the inlinable fast path of Write: when the site's first
// entry is an overwrite for o's shape and key, it stores val and returns
// true, else it returns false and the caller calls Write. Like ReadHit it
// counts nothing.
func (s *Site) WriteHit(o *Object, key, val uint64) bool {
	e := &s.e[0]
	if w := e.ss; hit(o.head, w) && key == e.key {
		*o.slot(w >> 32) = val
		return true
	}
	return false
}

// WriteHitFixed is WriteHit for a site fixed to its key (Fix): when the
// site's first entry is an overwrite for o's shape, it stores val under
// the site's key and returns true, else false and the caller calls Write
// with that key. On a site that is not fixed it always returns false.
func (s *Site) WriteHitFixed(o *Object, val uint64) bool {
	if w := s.fast; hit(o.head, w) {
		*o.slot(w >> 32) = val
		return true
	}
	return false
}

// Write stores val under key in o through site s, adding the key when o
// lacks it. A cached add transition appends to the slot array (which
// allocates only when the array must grow) and moves the object to the
// cached next shape; a new key past the limits moves o to dictionary mode.
func (sh *Shapes) Write(s *Site, o *Object, key, val uint64) error {
	// As in Read: overwrites the site or the global cache knows return
	// here; add transitions and everything else go to writeSlow.
	if s.owner == sh {
		h := o.head
		if s.state != Mega {
			for j := range s.e[:s.n] {
				if e := &s.e[j]; uint32(e.ss) == uint32(h) && e.key == key {
					if w := e.ss; h > w {
						s.hits++
						*o.slot(w >> 32) = val
						return nil
					}
					break
				}
			}
		} else if e := &sh.mega[mix(ShapeID(h), key)>>sh.megaShift]; hit(h, e.ss) && e.key == key {
			s.hits++
			*o.slot(e.ss >> 32) = val
			return nil
		}
	}
	return sh.writeSlow(s, o, key, val)
}

func (sh *Shapes) writeSlow(s *Site, o *Object, key, val uint64) error {
	sh.bind(s, WriteSite)
	id := o.Shape()
	if id == DictShape {
		s.dict++
		if o.dict == nil {
			return ErrForeign
		}
		o.dict.set(key, val)
		return nil
	}
	if !sh.valid(o) {
		return ErrForeign
	}
	if e := s.find(id, key, 0); e != nil {
		s.hits++
		if slot := int(e.slot()); slot < o.n() {
			o.slots[slot] = val
		} else {
			sh.push(o, e.aux(), val)
		}
		return nil
	}
	if s.state == Mega {
		slot, hit := sh.lookup(id, key)
		s.count(hit)
		if slot >= 0 {
			o.slots[slot] = val
		} else {
			sh.add(o, key, val)
		}
		return nil
	}
	s.misses++
	if slot, _ := sh.lookup(id, key); slot >= 0 {
		sh.fill(s, entry{key: key, ss: pack(id, slot), hs: pack(id, -1)})
		o.slots[slot] = val
		return nil
	}
	next, ok := sh.child(id, key)
	if !ok {
		sh.toDict(o)
		o.dict.set(key, val)
		return nil
	}
	sh.fill(s, entry{key: key, ss: pack(id, int32(o.n())), hs: pack(next, -1)})
	sh.push(o, next, val)
	return nil
}

// -- Method calls -------------------------------------------------------------

// CallHit is the inlinable fast path of Call: when the site's first entry
// matches the receiver's shape and key (and, for an inherited method, the
// holder's shape), it returns the method and true, else false and the
// caller calls Call. Like ReadHit it counts nothing.
func (s *Site) CallHit(recv, holder *Object, key uint64) (uint64, bool) {
	e := &s.e[0]
	w := e.ss
	if int64(w) < 0 && holder != nil && uint32(recv.head) == uint32(w) {
		// The receiver has the entry's shape, which lacks the key
		// (slot -1): look in the holder instead. Otherwise slot -1
		// fails the test below.
		recv, w = holder, e.hs
	}
	if !hit(recv.head, w) || key != e.key {
		return 0, false
	}
	return *recv.slot(w >> 32), true
}

// CallHitFixed is CallHit for a site fixed to its key (Fix): it tests
// the receiver's shape (and for an inherited method the holder's) against
// the site's first entry and compares no key; on a miss the caller calls
// Call with the site's key. On a site that is not fixed it always returns
// false.
func (s *Site) CallHitFixed(recv, holder *Object) (uint64, bool) {
	w := s.fast
	if int64(w) < 0 && holder != nil && uint32(recv.head) == uint32(w) {
		recv, w = holder, s.e[0].hs
	}
	if !hit(recv.head, w) {
		return 0, false
	}
	return *recv.slot(w >> 32), true
}

// Call finds the method key for a call on recv through site s: in recv
// itself, or else in holder, the object the language looks methods up in
// next (a class, a prototype, a Lua metatable's __index table; nil if
// none). It returns the value found, typically the callee, and whether
// either object holds key. The site caches, per receiver shape, either the
// receiver's slot or the holder's shape and slot, so a hit checks the
// receiver's shape and, for an inherited method, the holder's. Choosing
// holder, and guarding that it is still the object the receiver inherits
// from, is the language's part; deeper chains take one Call per level.
func (sh *Shapes) Call(s *Site, recv, holder *Object, key uint64) (uint64, bool) {
	if v, ok := s.CallHit(recv, holder, key); ok && s.owner == sh {
		s.hits++
		return v, true
	}
	return sh.callSlow(s, recv, holder, key)
}

func (sh *Shapes) callSlow(s *Site, recv, holder *Object, key uint64) (uint64, bool) {
	sh.bind(s, CallSite)
	if holder != nil && !sh.valid(holder) {
		holder = nil
	}
	if recv.Dict() || (holder != nil && holder.Dict()) {
		s.dict++
		if v, ok := sh.Get(recv, key); ok {
			return v, true
		}
		if holder != nil {
			return sh.Get(holder, key)
		}
		return 0, false
	}
	if !sh.valid(recv) {
		return 0, false
	}
	id, hid := recv.Shape(), noHolder
	if holder != nil {
		hid = holder.Shape()
	}
	var slot, hslot int32
	if e := s.find(id, key, hid); e != nil {
		s.hits++
		slot, hslot = e.slot(), e.hslot()
	} else if s.state == Mega {
		var hit bool
		slot, hit = sh.lookup(id, key)
		hslot = -1
		if slot < 0 && holder != nil {
			var hhit bool
			hslot, hhit = sh.lookup(hid, key)
			hit = hit && hhit
		}
		s.count(hit)
	} else {
		s.misses++
		slot, _ = sh.lookup(id, key)
		hslot = -1
		if slot < 0 && holder != nil {
			hslot, _ = sh.lookup(hid, key)
		}
		sh.fill(s, entry{key: key, ss: pack(id, slot), hs: pack(hid, hslot)})
	}
	switch {
	case slot >= 0:
		return recv.slots[slot], true
	case hslot >= 0 && holder != nil:
		return holder.slots[hslot], true
	}
	return 0, false
}
