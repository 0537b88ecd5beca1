package bf_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/jitkit/jitkit/docs/bf"
	"github.com/jitkit/jitkit/guard"
)

// Example runs a program with the JIT on and prints the trace of its
// inner loop "[>+<-]", which adds cell 1 to cell 2. Both cells are
// loaded and stored through the tape pointer in slot 0, each after a
// bounds guard. Loop optimization peels one iteration: the pointer and
// the bounds guards are loop invariant, so the loop body after LOOP is
// two loads, two stores and the guard that the cell is not yet zero.
func Example() {
	prog, err := bf.Parse([]byte("++++++[>++++++++[>+<-]<-]>>+."))
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := bf.Options{JIT: true, Interp: true, Opt: guard.DefaultOptions()}
	opt.Opt.HotLoop = 3
	vm, err := bf.New(prog, nil, os.Stdout, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer vm.Close()
	if err := vm.Run(); err != nil {
		fmt.Println(err)
	}
	fmt.Println()
	var dump strings.Builder
	vm.Dump(&dump)
	// The tape's address differs from run to run.
	fmt.Print(regexp.MustCompile(`\[0x[0-9a-f]+\]`).ReplaceAllString(dump.String(), "[tape]"))
	// Output:
	// 1
	// ---- TRACE 1 at pc 5 (irkit.Interp)
	// 0001   int  SLOAD  #0    #0
	// 0002   int  ADD    0001  +1
	// ....        SNAP   #0   pc=6 [ 0:0002 ]
	// 0003 > int  ULT    0002  +30000
	// 0004   ptr  AREF   [tape] 0002
	// 0005   int  ALOAD  0004
	// 0006   int  ADD    0005  +1
	// 0007   int  BAND   0006  +255
	// 0008   int  ASTORE 0004  0007
	// ....        SNAP   #1   pc=8 [ 0:0001 ]
	// 0009 > int  ULT    0001  +30000
	// 0010   ptr  AREF   [tape] 0001
	// 0011   int  ALOAD  0010
	// 0012   int  ADD    0011  +255
	// 0013   int  BAND   0012  +255
	// 0014   int  ASTORE 0010  0013
	// ....        SNAP   #2   pc=9 [ 0:0001 ]
	// 0015 > int  NE     0013  +0
	// ....        SNAP   #3   pc=5 [ 0:0001 ]
	// 0016 ------ LOOP ------------
	// ....        SNAP   #4   pc=6 [ 0:0002 ]
	// 0017   int  ALOAD  0004
	// 0018   int  ADD    0017  +1
	// 0019   int  BAND   0018  +255
	// 0020   int  ASTORE 0004  0019
	// ....        SNAP   #5   pc=8 [ 0:0001 ]
	// 0021   int  ALOAD  0010
	// 0022   int  ADD    0021  +255
	// 0023   int  BAND   0022  +255
	// 0024   int  ASTORE 0010  0023
	// ....        SNAP   #6   pc=9 [ 0:0001 ]
	// 0025 > int  NE     0023  +0
	// ....        SNAP   #7   pc=5 [ 0:0001 ]
}
