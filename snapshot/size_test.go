package snapshot

import (
	"math/rand"
	"testing"
	"unsafe"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// TestSize measures the encoding on recorded traces against what an exit
// would need without it: irkit's records (a 24-byte header, 4 bytes per
// entry, 16 per frame) plus the allocation's per-guard locations (a
// 16-byte exit record and 8 bytes per located value), which must all be
// kept, with the trace's constants, for as long as the trace can exit.
// It fails if the map is not at least twice as small.
func TestSize(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	var mapBytes, irBytes, exits, entries, snaps, shared, data, consts, lj, ambig, multi int
	for it := 0; it < scale(t, 200); it++ {
		cfg := genCfg{steps: 20 + rng.Intn(80), loop: rng.Intn(2) == 0, data: 4 + rng.Intn(20),
			guards: 1 + rng.Intn(10), calls: rng.Intn(2) == 0}
		g, err := genLoopTrace(rng, cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := regalloc.Alloc(regalloc.AMD64, g.tr)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Build(g.tr, res)
		if err != nil {
			t.Fatal(err)
		}
		mapBytes += m.Size()
		data += len(m.data)
		consts += 8 * len(m.consts)
		lj += int(unsafe.Sizeof(irkit.Snap{}))*g.tr.NumSnaps() + 4*len(g.tr.SnapEntries) + int(unsafe.Sizeof(irkit.Frame{}))*len(g.tr.SnapFrames)
		irBytes += int(unsafe.Sizeof(irkit.Snap{}))*g.tr.NumSnaps() + 4*len(g.tr.SnapEntries) +
			int(unsafe.Sizeof(irkit.Frame{}))*len(g.tr.SnapFrames) +
			int(unsafe.Sizeof(regalloc.Exit{}))*len(res.Exits) + int(unsafe.Sizeof(regalloc.RefLoc{}))*len(res.Locs)
		exits += m.NumExits()
		guards := map[int]int{}
		for i := 0; i < m.NumExits(); i++ {
			x, _ := m.Exit(i)
			guards[x.Snap]++
		}
		for si := 0; si < g.tr.NumSnaps(); si++ {
			if guards[si] > 1 {
				multi++
			}
			if _, err := m.ExitOfSnap(si); err == ErrAmbiguous {
				ambig++
			}
		}
		snaps += g.tr.NumSnaps()
		seen := map[uint32]bool{}
		for i := 0; i < m.NumExits(); i++ {
			if seen[m.offs[i]] {
				shared++
			}
			seen[m.offs[i]] = true
			x, _ := m.Exit(i)
			entries += len(x.Entries)
		}
	}
	t.Logf("%d exits (%d snapshots), %d entries: map %d bytes (%.1f per exit, %.2f per entry, all included), records %d of them shared; irkit records + allocation locations %d bytes (%.1f per exit)",
		exits, snaps, entries, mapBytes, float64(mapBytes)/float64(exits), float64(mapBytes)/float64(entries), shared,
		irBytes, float64(irBytes)/float64(exits))
	t.Logf("map: records %d bytes (%.2f per entry), constants %d, index %d; irkit's records alone %d bytes",
		data, float64(data)/float64(entries), consts, mapBytes-data-consts, lj)
	t.Logf("%d snapshots have several guards; in %d of them the guards keep values in different places (ExitOfSnap: ErrAmbiguous)", multi, ambig)
	if 2*mapBytes > irBytes {
		t.Fatalf("map %d bytes is not half of %d", mapBytes, irBytes)
	}
}
