//go:build amd64 || arm64

package jit

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
	"github.com/jitkit/jitkit/snapshot"
)

// -- The machine-code backend (amd64 and arm64) -------------------------------
//
// A trace is allocated by regalloc (backwards linear scan), lowered by the
// host's emit lowering (emit/amd64 or emit/arm64) into executable memory,
// and its exits are resolved into a snapshot.Map. Running it: the state
// block's Slots points at the VM's slot 0 of the trace (the function slot),
// the code is entered, and the exit's values are written back through
// snapshot's Restore. Every loop back edge checks Go's own preemption
// request (emit.StackPreempt), so a long-running trace returns to Go
// whenever the runtime wants the goroutine (a GC, or the scheduler's 10 ms
// time slice), and the VM checks its limits then; State.Interrupt serves
// the VM's own requests (InterruptJIT).
//
// This file is architecture-independent; native_amd64.go and
// native_arm64.go supply the few architecture-specific pieces: archName,
// the lowerer type and newLowerer, lower (compile one allocated trace),
// archCode.enter (run it) and disasm.

// NativeBackend returns the machine-code backend of this host (amd64 or
// arm64).
func NativeBackend() vm.Backend { return &backend{} }

type backend struct {
	once  sync.Once
	err   error
	mem   *emit.Mem
	low   *lowerer
	alloc *regalloc.Allocator
	res   regalloc.Result
	enc   snapshot.Encoder
	st    emit.State // shared by the traces: one runs at a time
	live  []*native
}

// Name is the host architecture, as -jv prints it.
func (b *backend) Name() string { return archName }

// Interrupt asks the running trace to return at its next back edge.
func (b *backend) Interrupt() { atomic.StoreUint32(&b.st.Interrupt, 1) }

func (b *backend) init() error {
	b.once.Do(func() {
		b.mem = emit.NewMem(0)
		b.low, b.err = newLowerer(b.mem)
		if b.err != nil {
			return
		}
		b.alloc = regalloc.NewAllocator(b.low.Target())
	})
	return b.err
}

// Compile allocates and lowers t; forced exits (stress mode) become guards
// that always fail.
func (b *backend) Compile(t *irkit.Trace, force func(exit int) bool) (vm.Compiled, error) {
	if err := b.init(); err != nil {
		return nil, err
	}
	if err := forceGuards(t, force); err != nil {
		return nil, err
	}
	if err := b.alloc.Alloc(t, &b.res); err != nil {
		return nil, fmt.Errorf("regalloc: %w", err)
	}
	code, ac, err := lower(b.low, t, &b.res)
	if err != nil {
		return nil, err
	}
	m, err := b.enc.BuildSnaps(t, b.low.Target(), code.Locs)
	if err != nil {
		b.mem.Free(code.Block)
		return nil, err
	}
	n := &native{b: b, code: code, ac: ac, m: m, spill: make([]uint64, max(code.NSpill, 1))}
	b.live = append(b.live, n)
	return n, nil
}

// forceGuards rewrites the guards whose exits force selects into guards
// that always fail (NE of a constant with itself).
func forceGuards(t *irkit.Trace, force func(exit int) bool) error {
	if force == nil {
		return nil
	}
	var k irkit.Ref
	for ref := irkit.First; ref < t.Next(); ref++ {
		ins := t.At(ref)
		if !ins.T.IsGuard() {
			continue
		}
		si, ok := t.GuardSnap(ref)
		if !ok || !force(si) {
			continue
		}
		if k == irkit.NoRef {
			var err error
			if k, err = t.KInt(0); err != nil {
				return err
			}
		}
		*ins = irkit.Ins{Op: irkit.NE, T: irkit.TInt | irkit.TGuard, Op1: k, Op2: k}
	}
	return nil
}

// native is one compiled trace.
type native struct {
	b     *backend
	code  *emit.Trace
	ac    archCode // what running the code needs beyond code
	m     *snapshot.Map
	spill []uint64
	out   restorer
}

// ErrNativeStatus reports a status word the VM cannot serve.
var ErrNativeStatus = errors.New("jit: unexpected trace status")

func (n *native) Run(slots []uint64) (int, uint64, bool, error) {
	st := &n.b.st
	st.Slots = uintptr(unsafe.Pointer(&slots[0]))
	st.Spill = uintptr(unsafe.Pointer(&n.spill[0]))
	status := n.ac.enter(n.code, st)
	runtime.KeepAlive(slots)
	runtime.KeepAlive(n)
	atomic.StoreUint32(&st.Interrupt, 0)
	intr := false
	switch emit.StatusKind(status) {
	case emit.StatusExit:
	case emit.StatusInterrupt:
		intr = true
	default:
		return -1, 0, false, fmt.Errorf("%w %#x", ErrNativeStatus, status)
	}
	n.out.slots = slots
	n.out.err = nil
	if err := n.m.RestoreState(st, &n.out); err != nil {
		return -1, 0, false, err
	}
	if n.out.err != nil {
		return -1, 0, false, n.out.err
	}
	return int(st.Exit), n.out.pc, intr, nil
}

func (n *native) Disasm() string {
	code, err := n.b.mem.Read(n.code.Block.Addr, n.code.Block.Size)
	if err != nil {
		return err.Error() + "\n"
	}
	return disasm(code, n.code.Block.Addr)
}

func (n *native) Free() {
	n.b.mem.Free(n.code.Block)
	for i, x := range n.b.live {
		if x == n {
			n.b.live = append(n.b.live[:i], n.b.live[i+1:]...)
			break
		}
	}
	if len(n.b.live) == 0 {
		n.b.low.Close()
		n.b.mem.Close()
		n.b.once = sync.Once{}
	}
}

// restorer writes an exit's values into the VM's slots (snapshot.Frames).
// Values are value words already: numbers as their float64 bits, the rest
// as NaN-boxed words.
type restorer struct {
	slots []uint64
	pc    uint64
	err   error
}

// SetFrame is a no-op: the VM rebuilds the frame records of inlined
// calls from the trace's snapshot (vm.rebuildFrames).
func (r *restorer) SetFrame(depth, base int, pc uint64) {}

func (r *restorer) SetSlot(slot int, ty irkit.Type, flags uint8, bits uint64) {
	if slot >= len(r.slots) {
		if r.err == nil {
			r.err = errors.New("jit: exit slot out of range")
		}
		return
	}
	switch ty.Base() {
	case irkit.TInt:
		bits = uint64(vm.Number(float64(int32(bits))))
	case irkit.TBool:
		bits = uint64(vm.Bool(bits != 0))
	}
	r.slots[slot] = bits
}

func (r *restorer) SetPC(pc uint64, nslots int) { r.pc = pc }

// CodeRange is the executable memory of a machine-code trace (for the
// perf map).
func (n *native) CodeRange() (uintptr, int) { return n.code.Block.Addr, n.code.Block.Size }
