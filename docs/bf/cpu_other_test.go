//go:build !unix

package bf

import "time"

// cpuTime is unavailable here; the benchmark reports 0.
func cpuTime() time.Duration { return 0 }
