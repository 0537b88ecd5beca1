//go:build linux || darwin

package regalloc

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time, which a busy machine
// does not inflate the way it inflates wall-clock time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
