//go:build unix

package bf

import (
	"syscall"
	"time"
)

// cpuTime is the process's user plus system CPU time: on the shared,
// loaded development machine it is steadier than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
