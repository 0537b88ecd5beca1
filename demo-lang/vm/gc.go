package vm

import "unsafe"

// -- Garbage collection -------------------------------------------------------
//
// A stop-the-world mark-and-sweep over the object tables. It runs only at
// safe points of the interpreter (after an instruction that allocated has
// stored its result), never inside a Go function, so Go code may hold Values
// in locals as long as it does not call back into Lua; Go functions that do
// call back (pcall, table.sort, string.gsub with a function) keep their
// values on the Lua stack.
//
// Roots: the value stack up to the live top, the globals, the registry, the
// string metatable, values pinned by the embedding API, the constants of
// every loaded prototype and the closures traces name by index
// (jtrace.pin). Marks are epochs: mark[i] == epoch means reached in this
// cycle, 0 means a free slot, anything else is garbage at sweep.
// The next collection starts when the estimated heap (memBytes) reaches
// twice what survived the last one (at least gcMinHeap), Lua 5.1's pause
// of 200%. (A pause of 300% gained about 2% on binarytrees once marking
// prefetched, for 27% more peak RSS: not taken.)
//
// Cost: on a heap of many small tables (binarytrees) marking and
// sweeping are cache misses, one per table header, not instructions;
// propagate therefore works through a queue and prefetches the header of
// the table it will scan gcAhead entries later.

const gcMinHeap = 4 << 20

// gcCheck runs a collection if the heap grew past the trigger. top is the
// first slot above the live part of the stack.
func (L *State) gcCheck(top int) {
	if L.memBytes >= L.gcNext {
		L.collect(top)
	}
}

// collect runs a full collection; stack slots at and above top are cleared.
func (L *State) collect(top int) {
	if j := L.jit; j != nil && j.opts.VMState != nil {
		defer j.setVM(j.swapVM(VMGC))
	}
	L.epoch++
	if L.epoch == 0 { // wrapped: renumber the surviving marks
		for _, m := range [][]uint32{L.strMark, L.tabMark, L.fnMark, L.gfnMark} {
			for i := range m {
				if m[i] != 0 {
					m[i] = 1
				}
			}
		}
		L.epoch = 2
	}
	if top > len(L.stack) {
		top = len(L.stack)
	}
	clearValues(L.stack[top:])
	L.gray = L.gray[:0]
	for _, v := range L.stack[:top] {
		L.mark(v)
	}
	L.mark(L.globals)
	L.mark(L.registry)
	L.mark(L.strMeta)
	for _, v := range L.pinned {
		L.mark(v)
	}
	for _, p := range L.protos {
		for _, v := range p.K {
			L.mark(v)
		}
	}
	for _, u := range L.openUpvals {
		L.mark(u.v)
	}
	if j := L.jit; j != nil {
		for _, t := range j.all {
			L.mark(t.pin)
		}
	}
	L.propagate()
	L.sweep()
	L.gcNext = 2 * L.memBytes
	if L.gcNext < L.gcMin {
		L.gcNext = L.gcMin
	}
	if L.gcStress {
		L.gcNext = L.memBytes + L.gcMin
	}
	L.gcCount++
	if ml := L.opts.MemoryLimit; ml > 0 {
		if L.memBytes > ml && len(L.frames) > 0 { // raise only inside a run
			L.gcNext = ml
			L.rtError("memory limit exceeded")
		}
		if L.gcNext > ml {
			L.gcNext = ml
		}
	}
}

func (L *State) mark(v Value) {
	if v < numLimit {
		return
	}
	i := v.idx()
	switch v.tag() {
	case tagStr:
		if int(i) < len(L.strMark) && L.strMark[i] != 0 {
			L.strMark[i] = L.epoch
		}
	case tagTab:
		L.grayTab(v)
	case tagLFn:
		if int(i) < len(L.fnMark) && L.fnMark[i] != L.epoch && L.fnMark[i] != 0 {
			L.fnMark[i] = L.epoch
			L.gray = append(L.gray, v)
		}
	case tagGFn:
		if int(i) < len(L.gfnMark) && L.gfnMark[i] != 0 {
			L.gfnMark[i] = L.epoch
		}
	}
}

// grayTab marks the table v reached and queues it for propagate, unless
// it is marked already. A stale slot in a live frame may name a freed
// object: free slots (mark 0) are never resurrected, or they would be
// freed twice.
func (L *State) grayTab(v Value) {
	if i := v.idx(); int(i) < len(L.tabMark) {
		if m := L.tabMark[i]; m != L.epoch && m != 0 {
			L.tabMark[i] = L.epoch
			L.gray = append(L.gray, v)
		}
	}
}

// gcAhead is how many work-list entries ahead of the one being scanned
// propagate prefetches a table's header. The tables of a big live
// structure sit scattered in the Go heap, and scanning one waited for a
// cache miss on its header (75-85% of propagate's samples in binarytrees,
// even with the header loaded 8 entries early by a plain load, which
// stalls the CPU when its reorder window fills). A prefetch instruction
// does not stall, so the misses of many tables overlap.
const gcAhead = 16

// propagate scans the gray objects until none is left. The work list is a
// queue (the head moves up, marks append), so the entries after the head
// are exactly the next ones to scan, which is what the early loads need;
// the consumed front is dropped once it is more than half the list, so
// the list stays within about twice the largest frontier.
func (L *State) propagate() {
	h := 0
	for h < len(L.gray) {
		if h >= 4096 && 2*h >= len(L.gray) {
			n := copy(L.gray, L.gray[h:])
			L.gray = L.gray[:n]
			h = 0
		}
		if a := h + gcAhead; a < len(L.gray) {
			if w := L.gray[a]; w.tag() == tagTab {
				prefetch(unsafe.Pointer(L.tabs[w.idx()]))
			}
		}
		v := L.gray[h]
		h++
		if v.tag() != tagTab {
			c := L.fns[v.idx()]
			for _, u := range c.up {
				if u != nil && u.idx < 0 {
					L.mark(u.v)
				}
			}
			continue
		}
		t := L.tabs[v.idx()]
		for _, x := range t.arr {
			if x>>tagShift == tabHi {
				L.grayTab(x) // a child table, the common case
			} else if x >= numLimit {
				L.mark(x)
			}
		}
		for j := range t.node {
			if nd := &t.node[j]; nd.val != Nil {
				L.mark(nd.key)
				L.mark(nd.val)
			}
		}
		if t.mt != 0 {
			L.mark(box(tagTab, t.mt-1))
		}
	}
	L.gray = L.gray[:0]
}

func (L *State) sweep() {
	ep := L.epoch
	for i, m := range L.tabMark {
		if m != 0 && m != ep {
			t := L.tabs[i]
			L.memBytes -= 64 + int64(tableBytes(t))
			if cap(t.arr) > 64 {
				t.arr = nil
			} else {
				t.arr = t.arr[:0]
			}
			t.node = nil
			t.lsize, t.lastfree, t.mt, t.flags = 0, 0, 0, 0
			L.tabMark[i] = 0
			L.tabFree = append(L.tabFree, uint32(i))
			L.nObjects--
		}
	}
	L.sweepStrings()
	for i, m := range L.fnMark {
		if m != 0 && m != ep {
			c := L.fns[i]
			L.memBytes -= 48 + 40*int64(len(c.up))
			clear(c.up)
			c.up = c.up[:0]
			c.p = nil
			L.fnMark[i] = 0
			L.fnFree = append(L.fnFree, uint32(i))
			L.nObjects--
		}
	}
	for i, m := range L.gfnMark {
		if m != 0 && m != ep {
			L.gfns[i] = goFunc{}
			L.memBytes -= 64
			L.gfnMark[i] = 0
			L.gfnFree = append(L.gfnFree, uint32(i))
			L.nObjects--
		}
	}
}

// sweepStrings frees the unmarked strings and drops them from the intern
// table: one by one when they are few (each delete hashes the string and
// shifts its cluster), otherwise by one purge of the whole table after
// the sweep, which needs no hashing and costs one pass over the slots.
func (L *State) sweepStrings() {
	ep := L.epoch
	dead := 0
	for _, m := range L.strMark {
		if m != 0 && m != ep {
			dead++
		}
	}
	if dead == 0 {
		return
	}
	purge := dead >= len(L.intern.slots)/16
	for i, m := range L.strMark {
		if m != 0 && m != ep {
			s := L.strs[i]
			L.memBytes -= 40 + int64(len(s))
			if !purge {
				L.intern.remove(L.intern.hash(s), uint32(i))
			}
			L.strs[i] = ""
			L.strMark[i] = 0
			L.strFree = append(L.strFree, uint32(i))
			L.nObjects--
		}
	}
	if purge {
		L.intern.purge(L.strMark)
	}
}
