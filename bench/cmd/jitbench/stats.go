package main

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// summary is a sample described by its median, extremes and a
// distribution-free confidence interval for the median.
type summary struct {
	n                int
	median, min, max float64
	lo, hi           float64 // confidence interval for the median
	level            float64 // its actual coverage, e.g. 0.9375 for n=5
}

// summarize computes the median of xs and the order-statistic confidence
// interval for it: the widest symmetric pair x(j), x(n+1-j) whose coverage,
// by the Binomial(n, 1/2) law of how many samples fall below the true
// median, is at least 95%; when even min..max does not reach 95% (n < 6),
// min..max is given with its real coverage rather than a false one.
func summarize(xs []float64) summary {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return summary{}
	}
	out := summary{n: n, min: s[0], max: s[n-1]}
	if n%2 == 1 {
		out.median = s[n/2]
	} else {
		out.median = (s[n/2-1] + s[n/2]) / 2
	}
	out.lo, out.hi, out.level = s[0], s[n-1], 0
	if n == 1 {
		return out
	}
	b := distuv.Binomial{N: float64(n), P: 0.5}
	// Coverage of [x(j), x(n+1-j)] (1-based) is P(j <= B <= n-j).
	for j := n / 2; j >= 1; j-- {
		cov := b.CDF(float64(n-j)) - b.CDF(float64(j-1))
		if cov >= 0.95 || j == 1 {
			out.lo, out.hi, out.level = s[j-1], s[n-j], cov
			break
		}
	}
	return out
}

// geomean is the geometric mean of positive ratios; NaN when there are none.
func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return stat.GeometricMean(xs, nil)
}
