package lowertest_test

import (
	"fmt"

	"github.com/jitkit/jitkit/emit/lowertest"
)

// Generate random loop traces from seeds until one iterates, and ask the
// interpreter what a backend must produce for it.
func ExampleGen() {
	g := lowertest.NewGen(lowertest.Config{Loop: true})
	defer g.Close()
	for seed := int64(1); ; seed++ {
		if g.Build(seed) != nil || !g.Looped {
			continue
		}
		if w := lowertest.Expect(g.B.T, g.Slots, g.Mem, g.Arena, 64); w.Iter > 2 {
			fmt.Printf("seed %d: a loop-optimized trace\n", seed)
			fmt.Printf("exit %d (pc %d) after %d iterations, err %v\n", w.Exit, g.B.T.Snaps[w.Exit].PC, w.Iter, w.Err)
			return
		}
	}
	// Output:
	// seed 3: a loop-optimized trace
	// exit 5 (pc 6) after 3 iterations, err <nil>
}
