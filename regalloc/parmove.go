package regalloc

// Why a parallel move: at the back edge of a loop every loop-carried value
// must reach the location the top of the loop expects it in, all at once:
// PHI i <- i' means "the new i is the old i'", even when i' sits where
// some other value must go (j <- i, i <- j is a swap). Moves are
// sequenced so that no location is written while a later move still reads
// it; what remains then are cycles, and one value of each cycle is parked
// so the rest can unwind. It is parked in the Target's scratch register,
// or, when some pending move itself needs the scratch register (slot to
// slot, constant to slot), in a spare spill slot.

// resolve sequences the parallel move pm (destinations distinct, all
// reading the state before any writes) into out. scratch is the
// general-purpose scratch register; *park is the spill slot for parking,
// allocated from *nslots on first need (-1: none yet). pm is consumed.
func resolve(pm []Move, out []Move, scratch Reg, park *int, nslots *int) []Move {
	// Moves that move nothing are dropped. Constants read no location, so
	// they go last, when the scratch register (which rematerializing a
	// float may need) is free again: partition them behind the others.
	n := 0
	for i := range pm {
		if !pm[i].Src.IsConst() && pm[i].Dst != pm[i].Src {
			pm[n], pm[i] = pm[i], pm[n]
			n++
		}
	}
	rest := pm[n:]
	pm = pm[:n]
	for len(pm) > 0 {
		progress := false
		for i := 0; i < len(pm); i++ {
			m := pm[i]
			if readBy(pm, m.Dst, i) {
				continue
			}
			out = emitMove(out, m, scratch)
			pm[i] = pm[len(pm)-1]
			pm = pm[:len(pm)-1]
			i--
			progress = true
		}
		if progress {
			continue
		}
		// Every destination is still read: the moves form cycles with
		// trees hanging off them. Walk "whose destination is read by whom"
		// until a move repeats: that move is on a cycle. Park its
		// destination and redirect the readers; the whole cycle then
		// unwinds before the parking place is needed again.
		i := 0
		for steps := 0; steps < len(pm); steps++ {
			i = readerOf(pm, pm[i].Dst)
		}
		d := pm[i].Dst
		to := RegLoc(scratch)
		for _, m := range pm {
			if m.Dst.IsSlot() && !m.Src.IsReg() {
				if *park < 0 {
					*park = *nslots
					*nslots++
				}
				to = SlotLoc(*park)
				break
			}
		}
		out = emitMove(out, Move{Dst: to, Src: d, Ref: pm[readerOf(pm, d)].Ref}, scratch)
		for i := range pm {
			if pm[i].Src == d {
				pm[i].Src = to
			}
		}
	}
	for _, m := range rest {
		if m.Src.IsConst() {
			out = emitMove(out, m, scratch)
		}
	}
	return out
}

// readBy reports whether some move other than pm[skip] reads l.
func readBy(pm []Move, l Loc, skip int) bool {
	for i := range pm {
		if i != skip && pm[i].Src == l {
			return true
		}
	}
	return false
}

// readerOf returns the index of a move that reads l (one exists).
func readerOf(pm []Move, l Loc) int {
	for i := range pm {
		if pm[i].Src == l {
			return i
		}
	}
	return 0
}

// emitMove appends m, splitting a slot←slot or slot←constant move into
// two through the scratch register.
func emitMove(out []Move, m Move, scratch Reg) []Move {
	if m.Dst.IsSlot() && !m.Src.IsReg() {
		s := RegLoc(scratch)
		return append(out, Move{Dst: s, Src: m.Src, Ref: m.Ref}, Move{Dst: m.Dst, Src: s, Ref: m.Ref})
	}
	return append(out, m)
}
