package vm

// SetGCStress makes the collector run whenever the heap grows by a few
// kilobytes, so tests exercise every safe point's roots.
func (L *State) SetGCStress() {
	L.gcMin = 4 << 10
	L.gcStress = true
	L.gcNext = L.memBytes + L.gcMin
}
