package irkit_test

import (
	"fmt"

	"github.com/jitkit/jitkit/irkit"
)

// Example records the loop "repeat i = i + 1 until not (i < n)" over
// slots 0 (i) and 1 (n), optimizes it and prints the dump: the load of n
// is hoisted out of the loop and a PHI carries i around the back edge.
func Example() {
	b := irkit.NewBuilder(nil)
	t := b.T
	t.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, irkit.TInt)
	n := b.SLoad(1, irkit.TInt)
	i1 := b.Emit(irkit.ADDOV, irkit.TInt, i, b.KInt(1))
	t.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil) // after "i = i + 1"
	b.Guard(irkit.LT, i1, n)
	t.AddSnap(0, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil) // loop snapshot
	t.Looping = true

	if err := b.LoopOpt(); err != nil {
		fmt.Println(err)
	}
	t.DCE()
	if err := t.Verify(); err != nil {
		fmt.Println(err)
	}
	fmt.Print(t)

	slots := []uint64{0, 100}
	var in irkit.Interp
	exit, err := in.Run(t, slots)
	fmt.Println("i =", int32(slots[0]), "resume at pc", exit.PC, "after", exit.Iter, "iterations", err)
	// Output:
	// ....        SNAP   #0   pc=0 [ ]
	// 0001   int  SLOAD  #0    #0
	// 0002   int  SLOAD  #1    #0
	// 0003 > int  ADDOV  0001  +1
	// ....        SNAP   #1   pc=1 [ 0:0003 ]
	// 0004 > int  LT     0003  0002
	// ....        SNAP   #2   pc=0 [ 0:0003 ]
	// 0005 ------ LOOP ------------
	// ....        SNAP   #3   pc=0 [ 0:0003 ]
	// 0006 > int  ADDOV  0003  +1
	// ....        SNAP   #4   pc=1 [ 0:0006 ]
	// 0007 > int  LT     0006  0002
	// ....        SNAP   #5   pc=0 [ 0:0006 ]
	// 0008   int  PHI    0003  0006
	// i = 100 resume at pc 1 after 99 iterations <nil>
}
