package cache

// -- Recorder support ---------------------------------------------------------

// Guard is one cached case of a site, as plain data a trace recorder turns
// into IR: a shape guard on the object and a load or store at a fixed
// offset from its slot array. The package comment shows the IR sequence.
type Guard struct {
	// Shape is the shape to guard on: load ShapeSize bytes at ShapeOffset
	// from the object and compare with Shape.
	Shape ShapeID
	// Key is the key this case was cached for. A site for a constant key
	// has one key in all its cases; a recorder for a variable key must
	// also guard the key.
	Key uint64
	// Slot is the object's slot for Key, -1 when a shape lacks the key.
	// Offset is SlotOffset(Slot), the byte offset from the slot array's
	// data pointer (the word at SlotsOffset in the object).
	Slot   int
	Offset uintptr
	// Append (write sites) marks an add transition: the store appends slot
	// Slot, the slot array length becomes Slot+1 and the object's shape
	// becomes Next. For an overwrite Next equals Shape.
	Append bool
	Next   ShapeID
	// HasHolder (call sites, Slot == -1) says the method was looked up in
	// a holder object of shape HolderShape, at HolderSlot (-1: absent) and
	// byte offset HolderOffset in the holder's slot array.
	HasHolder    bool
	HolderShape  ShapeID
	HolderSlot   int
	HolderOffset uintptr
}

// Plan appends the site's cases to dst, one Guard per entry in the order
// the site checks them, and reports whether the site is worth
// specializing: false when it is uninit (nothing seen) or mega (too many
// shapes; a recorder should emit a generic lookup or a call to the
// interpreter instead). Plan does not allocate when dst has room for
// MaxPoly guards.
func (s *Site) Plan(dst []Guard) ([]Guard, bool) {
	if s.state != Mono && s.state != Poly {
		return dst, false
	}
	for i := 0; i < int(s.n); i++ {
		e := &s.e[i]
		slot, aux, hslot := e.slot(), e.aux(), e.hslot()
		g := Guard{Shape: e.shape(), Key: e.key, Slot: int(slot), Next: e.shape(), HolderSlot: -1}
		if slot >= 0 {
			g.Offset = SlotOffset(int(slot))
		}
		switch s.kind {
		case WriteSite:
			if aux != e.shape() {
				g.Append, g.Next = true, aux
			}
		case CallSite:
			if slot < 0 && aux != noHolder {
				g.HasHolder, g.HolderShape, g.HolderSlot = true, aux, int(hslot)
				if hslot >= 0 {
					g.HolderOffset = SlotOffset(int(hslot))
				}
			}
		}
		dst = append(dst, g)
	}
	return dst, true
}

// Guard returns the case for object o and key as a recorder sees it at
// record time, without a site: the shape o has now and where key lives in
// it. ok is false for an object in dictionary mode (no shape to guard on)
// or a foreign one. A tracing recorder that specializes on the shape it
// observes can use this directly, and Plan to learn how polymorphic the
// site has been.
func (sh *Shapes) Guard(o *Object, key uint64) (g Guard, ok bool) {
	id := o.Shape()
	if id == DictShape || !sh.valid(o) {
		return Guard{}, false
	}
	slot, _ := sh.lookup(id, key)
	g = Guard{Shape: id, Key: key, Slot: int(slot), Next: id, HolderSlot: -1}
	if slot >= 0 {
		g.Offset = SlotOffset(int(slot))
	}
	return g, true
}

// GuardWrite is Guard for a store of key into o: an overwrite when o holds
// key, else an add transition (Append, Next: the shape o will have), making
// the next shape if it does not exist yet. ok is false when the store would
// move o to dictionary mode, or o is in dictionary mode or foreign.
func (sh *Shapes) GuardWrite(o *Object, key uint64) (g Guard, ok bool) {
	if g, ok = sh.Guard(o, key); !ok || g.Slot >= 0 {
		return g, ok
	}
	next, ok := sh.child(o.Shape(), key)
	if !ok {
		return Guard{}, false
	}
	n := o.n()
	g.Slot, g.Offset, g.Append, g.Next = n, SlotOffset(n), true, next
	return g, true
}

// GuardCall is Guard for a method lookup of key on recv with holder as the
// next object to look in (nil: none), as Call does: the receiver's case,
// and when the receiver lacks key and holder is given, the holder's shape
// and slot (HasHolder). ok is false when either object is in dictionary
// mode or foreign.
func (sh *Shapes) GuardCall(recv, holder *Object, key uint64) (g Guard, ok bool) {
	if g, ok = sh.Guard(recv, key); !ok || g.Slot >= 0 || holder == nil {
		return g, ok
	}
	h, ok := sh.Guard(holder, key)
	if !ok {
		return Guard{}, false
	}
	g.HasHolder, g.HolderShape, g.HolderSlot, g.HolderOffset = true, h.Shape, h.Slot, h.Offset
	return g, true
}
