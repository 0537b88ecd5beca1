package bf

import (
	"errors"
	"io"
	"unsafe"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
	"github.com/jitkit/jitkit/snapshot"
)

// -- The machine-code backend: one function --------------------------------------
//
// compile is the whole backend: allocate registers backwards (regalloc),
// lower the allocated trace to machine code (emit/amd64 or emit/arm64,
// chosen by the build in native_<arch>.go), and turn the snapshots into an
// exit map (snapshot) that says, for every exit, where each slot's value
// is in the exit state. On a host without a lowering newBackend fails and
// every trace runs on irkit's interpreter.

// lowerer is what emit/amd64 and emit/arm64 both provide.
type lowerer interface {
	Target() *regalloc.Target
	Compile(tr *irkit.Trace, res *regalloc.Result) (*emit.Trace, error)
	Close() error
}

// errNoBackend: this host has no machine-code lowering.
var errNoBackend = errors.New("no lowering for this architecture")

// newLowerer and disasm are set by native_<arch>.go; newLowerer also
// returns the lowering's Force field (Lowerer.Force).
var (
	newLowerer func(mem *emit.Mem) (lowerer, *func(int) bool, string, error)
	disasm     func(w io.Writer, code []byte, pc uint64)
)

type backend interface {
	compile(t *irkit.Trace, force func(int) bool) (*emit.Trace, *snapshot.Map, error)
	free(*emit.Trace) error
	close() error
	name() string
	dump(w io.Writer, c *emit.Trace)
}

type native struct {
	mem   *emit.Mem
	low   lowerer
	force *func(int) bool
	arch  string
	alloc *regalloc.Allocator
	res   regalloc.Result
}

func newBackend() (backend, error) {
	if newLowerer == nil {
		return nil, errNoBackend
	}
	mem := emit.NewMem(0)
	low, force, arch, err := newLowerer(mem)
	if err != nil {
		mem.Close()
		return nil, err
	}
	return &native{mem: mem, low: low, force: force, arch: arch, alloc: regalloc.NewAllocator(low.Target())}, nil
}

func (n *native) name() string { return n.arch }

// compile turns an optimized trace into machine code and its exit map;
// the guards of the exits force names compute their values, then exit.
func (n *native) compile(t *irkit.Trace, force func(int) bool) (*emit.Trace, *snapshot.Map, error) {
	if err := n.alloc.Alloc(t, &n.res); err != nil {
		return nil, nil, err
	}
	*n.force = force
	code, err := n.low.Compile(t, &n.res)
	*n.force = nil
	if err != nil {
		return nil, nil, err
	}
	snaps, err := snapshot.BuildSnaps(t, n.low.Target(), code.Locs)
	if err != nil {
		n.mem.Free(code.Block)
		return nil, nil, err
	}
	return code, snaps, nil
}

func (n *native) free(c *emit.Trace) error { return n.mem.Free(c.Block) }

// dump disassembles a trace's code: the body, then its exit stubs.
func (n *native) dump(w io.Writer, c *emit.Trace) {
	code, err := n.mem.Read(c.Entry, c.CodeSize+c.StubSize)
	if err != nil || disasm == nil {
		return
	}
	disasm(w, code, uint64(c.Entry))
}

func (n *native) close() error { return errors.Join(n.low.Close(), n.mem.Close()) }

// stateAddr points the state block at the slots and the spill area and
// returns its address for emit.Enter. All three are pinned by VM.Run.
func (j *jit) stateAddr() uintptr {
	j.state.Slots = uintptr(unsafe.Pointer(&j.vm.slots[0]))
	j.state.Spill = uintptr(unsafe.Pointer(&j.spill[0]))
	return uintptr(unsafe.Pointer(&j.state))
}
