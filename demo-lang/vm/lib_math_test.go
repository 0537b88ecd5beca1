package vm

import (
	"math"
	"testing"
)

// TestCFmodBits holds math.fmod to the bits x86 glibc's fmod returns, the
// platform lua5.1's reference outputs come from: an invalid remainder is
// the negative default NaN, a NaN operand passes through with its sign.
func TestCFmodBits(t *testing.T) {
	nan := math.Float64frombits(0x7FF8000000000000)
	negNaN := math.Float64frombits(0xFFF8000000000000)
	cases := []struct {
		x, y float64
		want uint64
	}{
		{1, 0, 0xFFF8000000000000},
		{-1, 0, 0xFFF8000000000000},
		{math.Inf(1), 1, 0xFFF8000000000000},
		{math.Inf(-1), 0, 0xFFF8000000000000},
		{nan, 1, 0x7FF8000000000000},
		{negNaN, 1, 0xFFF8000000000000},
		{1, nan, 0x7FF8000000000000},
		{nan, 0, 0x7FF8000000000000},
		{-6, 4, math.Float64bits(-2)},
		{6, -4, math.Float64bits(2)},
		{math.Copysign(0, -1), 1, math.Float64bits(math.Copysign(0, -1))},
		{5, math.Inf(1), math.Float64bits(5)},
	}
	for _, c := range cases {
		if got := math.Float64bits(cFmod(c.x, c.y)); got != c.want {
			t.Errorf("cFmod(%v, %v) = %#x, want %#x", c.x, c.y, got, c.want)
		}
	}
}
