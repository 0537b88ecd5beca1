package lowertest

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
)

// CheckKeyedLink runs keyed link stubs (emit.Link.Key, with and without
// DropKey), built by assemble and installed as executable code, and
// reports the first way they misbehave. target must return 1000 plus
// State.Trace, slow must return 5000. A stub must take its slow path,
// writing nothing, while State.Key differs from its key (0 included), and
// with the key matching must write its move, store the token (42), jump to
// target and, for DropKey, zero State.Key. A preemption request from Go
// may send a run down the slow path; the matching case tries again.
func CheckKeyedLink(assemble func(l *emit.Link) (uintptr, error), target, slow uintptr) error {
	const key = 0x1234_0000_5678_9abc
	for _, drop := range []bool{false, true} {
		stub, err := assemble(&emit.Link{Token: 42, Target: target, Slow: slow, Key: key, DropKey: drop,
			Moves: []emit.LinkMove{{Slot: 0, From: emit.FromConst, Val: 99}}})
		if err != nil {
			return err
		}
		var slots [1]uint64
		st := &emit.State{Trace: 1}
		st.Slots = uintptr(unsafe.Pointer(&slots[0]))
		for _, k := range []uint64{0, key + 1, key ^ 1<<63} {
			st.Key = k
			if got := emit.Enter(stub, uintptr(unsafe.Pointer(st))); got != 5000 || slots[0] != 0 || st.Trace != 1 || st.Key != k {
				return fmt.Errorf("drop=%v, key %#x: status %d, slot %d, token %d, key %#x; want the slow path, nothing written", drop, k, got, slots[0], st.Trace, st.Key)
			}
		}
		got := uint64(5000)
		for try := 0; got == 5000 && try < 50; try++ {
			st.Key = key
			got = emit.Enter(stub, uintptr(unsafe.Pointer(st)))
		}
		runtime.KeepAlive(&slots)
		wantKey := uint64(key)
		if drop {
			wantKey = 0
		}
		if got != 1042 || slots[0] != 99 || st.Key != wantKey {
			return fmt.Errorf("drop=%v, matching key: status %d, slot %d, key %#x; want 1042, 99, %#x", drop, got, slots[0], st.Key, wantKey)
		}
	}
	return nil
}

// GCTime is the slowest of k runtime.GC calls: the scale for tests that
// bound how long a GC takes while compiled code runs.
func GCTime(k int) time.Duration {
	var worst time.Duration
	for i := 0; i < k; i++ {
		t0 := time.Now()
		runtime.GC()
		worst = max(worst, time.Since(t0))
	}
	return worst
}
