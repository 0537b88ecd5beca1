package regalloc_test

import (
	"fmt"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// A loop "repeat i = i + 1 until i >= n" over slots 0 (i) and 1 (n),
// recorded, loop-optimized and allocated for amd64.
func Example() {
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	i := b.SLoad(0, irkit.TInt)
	n := b.SLoad(1, irkit.TInt)
	i1 := b.Arith(irkit.ADDOV, irkit.TInt, i, b.KInt(1))
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	b.Guard(irkit.LT, i1, n)
	tr.AddSnap(0, 2, []irkit.SnapEntry{irkit.MakeEntry(0, i1, 0)}, nil)
	tr.Looping = true
	if err := b.LoopOpt(); err != nil {
		fmt.Println(err)
		return
	}
	res, err := regalloc.Alloc(regalloc.AMD64, tr)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(res.Format(tr))
	fmt.Println("check:", regalloc.Check(tr, res))
	// Output:
	// 0001   int  SLOAD  #0    #0              ; rax <- -, -
	// 0002   int  SLOAD  #1    #0              ; r14 <- -, -
	// 0003 > int  ADDOV  0001  +1              ; rax <- rax, -
	// 0004 > int  LT     0003  0002            ; - <- rax, r14 exit{0003:rax}
	// 0005   void LOOP
	// 0006 > int  ADDOV  0003  +1              ; r15 <- rax, - exit{0003:rax}
	// 0007 > int  LT     0006  0002            ; - <- r15, r14 exit{0006:r15}
	// 0008   int  PHI    0003  0006
	//    end exit{0006:r15}
	//   tail copy rax <- r15 (0006)
	// check: <nil>
}

// Where tells a snapshot restorer where each value of an exit is.
func ExampleResult_Where() {
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	x := b.SLoad(0, irkit.TInt)
	y := b.SLoad(1, irkit.TInt)
	s := b.Arith(irkit.ADD, irkit.TInt, x, y)
	tr.AddSnap(1, 2, []irkit.SnapEntry{irkit.MakeEntry(0, s, 0), irkit.MakeEntry(1, b.KInt(7), 0)}, nil)
	g := b.Guard(irkit.LT, s, b.KInt(100))
	res, err := regalloc.Alloc(regalloc.ARM64, tr)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range tr.Entries(tr.SnapOf(g)) {
		fmt.Printf("slot %d <- %s\n", e.Slot(), res.Where(g, e.Ref()).Format(res.Target))
	}
	fmt.Println("spill slots:", res.NSlots)
	// Output:
	// slot 0 <- x1
	// slot 1 <- K0001
	// spill slots: 0
}
