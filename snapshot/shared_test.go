package snapshot

import (
	"testing"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// TestSharedExits: guards with nothing observable between them share
// irkit's snapshot, and the map stores their common record once; a side
// effect between two guards gives the second its own snapshot and record.
func TestSharedExits(t *testing.T) {
	b := irkit.NewBuilder(nil)
	rec := irkit.NewRecorder(b)
	rec.Start(0)
	x := rec.Slot(0, irkit.TInt)
	y := rec.Slot(1, irkit.TInt)
	rec.SetSlot(2, rec.Emit(irkit.ADD, irkit.TInt, x, y))
	rec.SetPC(1)
	rec.Guard(irkit.LT, x, b.KInt(10))
	rec.SetPC(2)
	rec.Guard(irkit.LT, y, b.KInt(10)) // nothing happened since: same snapshot
	rec.SetPC(3)
	p := rec.Slot(3, irkit.TPtr)
	rec.Emit(irkit.XSTORE, irkit.TInt, p, x) // a side effect
	rec.SetPC(4)
	rec.Guard(irkit.GT, x, b.KInt(-10))
	if err := rec.Stop(5); err != nil {
		t.Fatal(err)
	}
	res, err := regalloc.Alloc(regalloc.AMD64, rec.T)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(rec.T, res)
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"exit 0 guard 0004: snap 0 pc=1 top=3 frames=[0@1] 2:int=g0\n" +
		"exit 1 guard 0005: snap 0 pc=1 top=3 frames=[0@1] 2:int=g0\n" +
		"exit 2 guard 0008: snap 1 pc=4 top=4 frames=[0@4] 2:int=g0\n" +
		"exit 3 guard 0009: snap 2 pc=5 top=4 frames=[0@5] 2:int=g0\n"
	if got := m.String(); got != want {
		t.Fatalf("got\n%swant\n%s\n%s", got, want, res.Format(rec.T))
	}
	if m.offs[0] != m.offs[1] || m.offs[1] == m.offs[2] {
		t.Fatalf("record offsets %v: the two guards of snapshot 0 must share one record", m.offs)
	}
	if i, err := m.ExitOfSnap(0); err != nil || i != 0 {
		t.Fatalf("ExitOfSnap(0) = %d, %v", i, err)
	}
}

// TestNoAllocs: a restore allocates nothing.
func TestNoAllocs(t *testing.T) {
	ms, _, _ := benchMaps(t)
	var regs [64]uint64
	spill := make([]uint64, 256)
	s := &Slots{Words: make([]uint64, 128), Box: numBox, Stack: make([]irkit.Frame, 0, 8)}
	n := testing.AllocsPerRun(20, func() {
		for _, m := range ms {
			for i := 0; i < m.NumExits(); i++ {
				if err := m.Restore(i, &regs, spill, s); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations per run", n)
	}
}

// TestFlagsFit: the three entry flags the encoding keeps in its tag byte
// are irkit's, in bits 0-2.
func TestFlagsFit(t *testing.T) {
	if entFlags != 7 || irkit.SnapConst != 8 {
		t.Fatalf("irkit's snapshot flags moved: entry flags %#x, SnapConst %#x", entFlags, irkit.SnapConst)
	}
}
