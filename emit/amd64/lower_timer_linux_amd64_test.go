package amd64

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
)

// interruptTimer makes the kernel set st.Interrupt every period: a
// goroutine blocks in read(2) on a periodic timerfd with State.Interrupt
// as the buffer, so the expiration count lands there while the Go world
// is stopped too. The read writes 8 bytes: the count's high half (zero)
// goes to State.Exit, which the exit code writes anyway before it
// returns; a VM must not read State.Exit while the timer runs. stop ends
// the timer (within a few periods).
//
// Each expiration completes one pending read. A reader whose read returned
// needs a P (a Go scheduler slot) to read again, and while a compiled loop
// holds one P and a GC worker another, it may get none: so several readers
// wait in the kernel at once, and each of the next expirations still
// reaches State.Interrupt without any Go code running.
// timerReaders is the number of reads kept pending on the timerfd.
const timerReaders = 8

func interruptTimer(st *emit.State, period time.Duration) (stop func(), err error) {
	const clockMonotonic = 1
	fd, _, e := syscall.RawSyscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, 0, 0)
	if e != 0 {
		return nil, e
	}
	spec := [4]int64{0, int64(period), 0, int64(period)} // interval, then first expiry
	if _, _, e := syscall.RawSyscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); e != 0 {
		syscall.Close(int(fd))
		return nil, e
	}
	var quit atomic.Bool
	var wg sync.WaitGroup
	buf := (*[8]byte)(unsafe.Pointer(&st.Interrupt))[:]
	var started sync.WaitGroup
	started.Add(timerReaders)
	for i := 0; i < timerReaders; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			for !quit.Load() {
				if _, err := syscall.Read(int(fd), buf); err != nil && err != syscall.EINTR {
					return
				}
			}
		}()
	}
	started.Wait()
	time.Sleep(period) // let them all reach the kernel
	return func() {
		quit.Store(true)
		wg.Wait()
		syscall.Close(int(fd))
	}, nil
}
