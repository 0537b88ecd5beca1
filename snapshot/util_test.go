package snapshot

import (
	"fmt"
	"math"

	"github.com/jitkit/jitkit/irkit"
)

func sprintf(f string, a ...any) string { return fmt.Sprintf(f, a...) }

func f64(w uint64) float64 { return math.Float64frombits(w) }

func f64bits(f float64) uint64 { return math.Float64bits(f) }

// numBox is the boxing of a language whose numbers are all doubles and
// whose booleans are tagged words.
func numBox(ty irkit.Type, bits uint64) uint64 {
	switch ty {
	case irkit.TInt, irkit.TI64:
		return math.Float64bits(float64(int64(bits)))
	case irkit.TBool:
		return 0xfffc000000000000 | bits
	}
	return bits
}
