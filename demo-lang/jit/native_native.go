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
// archCode.enter (run it), disasm, and the link pieces (archCanLink,
// assembleLink, siteTarget, patchExit).

// NativeBackend returns the machine-code backend of this host (amd64 or
// arm64).
func NativeBackend() vm.Backend { return &backend{} }

// nativeBackend is NativeBackend; with keepAlloc its traces keep their
// register allocation for the -jdump=html page (AllocReporter).
func nativeBackend(keepAlloc bool) vm.Backend { return &backend{keepAlloc: keepAlloc} }

type backend struct {
	keepAlloc bool
	once      sync.Once
	err       error
	mem       *emit.Mem
	low       *lowerer
	alloc     *regalloc.Allocator
	res       regalloc.Result
	enc       snapshot.Encoder
	st        emit.State // shared by the traces: one runs at a time
	live      []*native
	// spill is the spill area of every trace: one runs at a time, and a
	// link jumps from one trace into another without Go to switch areas.
	spill   []uint64
	byToken []*native // State.Trace -> the trace (token 0 is none)
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

// Compile allocates and lowers t; the guards of the exits force selects
// (stress mode) compute their values, then exit (the lowering's Force).
func (b *backend) Compile(t *irkit.Trace, force func(exit int) bool) (vm.Compiled, error) {
	if err := b.init(); err != nil {
		return nil, err
	}
	if err := b.alloc.Alloc(t, &b.res); err != nil {
		return nil, fmt.Errorf("regalloc: %w", err)
	}
	b.low.Force = force
	code, ac, err := lower(b.low, t, &b.res)
	b.low.Force = nil
	if err != nil {
		return nil, err
	}
	m, err := b.enc.BuildSnaps(t, b.low.Target(), code.Locs)
	if err != nil {
		b.mem.Free(code.Block)
		return nil, err
	}
	if len(b.spill) < code.NSpill || b.spill == nil {
		b.spill = make([]uint64, max(code.NSpill, 64))
	}
	if len(b.byToken) == 0 {
		b.byToken = append(b.byToken, nil)
	}
	n := &native{b: b, code: code, ac: ac, m: m, token: uint32(len(b.byToken))}
	b.byToken = append(b.byToken, n)
	if b.keepAlloc {
		n.alloc = newAllocation(t, &b.res)
		for _, s := range code.Sites {
			n.alloc.ExitSites = append(n.alloc.ExitSites, ExitSite{Addr: uint64(s.Addr), Snap: int(s.Exit)})
		}
		n.alloc.ExitLocs = make([]map[irkit.Ref]string, len(code.ExitSpan))
		for e := range code.ExitSpan {
			for _, rl := range code.Locs(e) {
				if n.alloc.ExitLocs[e] == nil {
					n.alloc.ExitLocs[e] = map[irkit.Ref]string{}
				}
				n.alloc.ExitLocs[e][rl.Ref] = rl.Loc.Format(b.low.Target())
			}
		}
	}
	b.live = append(b.live, n)
	return n, nil
}

// native is one compiled trace.
type native struct {
	b      *backend
	code   *emit.Trace
	ac     archCode // what running the code needs beyond code
	m      *snapshot.Map
	token  uint32       // its State.Trace
	stubs  []emit.Block // link stubs from its exits
	linked []bool       // per exit: linked by a stub
	keys   []uint64     // per exit: the caller key of a keyed link, else 0
	out    restorer
	alloc  *Allocation // kept for -jdump=html, else nil
}

// Allocation returns the trace's register allocation if the backend kept
// it (AllocReporter).
func (n *native) Allocation() *Allocation { return n.alloc }

// ErrNativeStatus reports a status word the VM cannot serve.
var ErrNativeStatus = errors.New("jit: unexpected trace status")

func (n *native) Run(stack []uint64, base int, key uint64) (vm.TraceExit, error) {
	b := n.b
	st := &b.st
	if base < 0 || base >= len(stack) {
		return vm.TraceExit{}, fmt.Errorf("%w: slot 0 at %d of %d", ErrNativeStatus, base, len(stack))
	}
	st.Slots = uintptr(unsafe.Pointer(&stack[base]))
	st.Spill = uintptr(unsafe.Pointer(&b.spill[0]))
	st.Trace = n.token
	st.Key = key
	status := n.ac.enter(b, n.code, st)
	runtime.KeepAlive(stack)
	runtime.KeepAlive(b.spill)
	// A link stub that found the flag set left through its exit instead
	// of continuing: report it as an interrupt too.
	ex := vm.TraceExit{}
	if atomic.LoadUint32(&st.Interrupt) != 0 {
		atomic.StoreUint32(&st.Interrupt, 0)
		ex.Interrupted = true
	}
	switch emit.StatusKind(status) {
	case emit.StatusExit:
	case emit.StatusInterrupt:
		ex.Interrupted = true
	default:
		return ex, fmt.Errorf("%w %#x", ErrNativeStatus, status)
	}
	// The exit is the last trace's: links may have moved on from n, and
	// moved slot 0 with them.
	who := b.trace(st.Trace)
	if who == nil {
		return ex, fmt.Errorf("%w: unknown trace token %d", ErrNativeStatus, st.Trace)
	}
	off := int64(st.Slots) - int64(uintptr(unsafe.Pointer(&stack[0])))
	if off < 0 || off%8 != 0 || off/8 >= int64(len(stack)) {
		return ex, fmt.Errorf("%w: slot 0 moved out of the stack", ErrNativeStatus)
	}
	ex.Base = int(off / 8)
	if e := int(st.Exit); e < len(who.linked) && who.linked[e] && (who.keys[e] == 0 || who.keys[e] == st.Key) {
		// A linked exit reaches Go only through its stub's slow path:
		// the runtime or the VM asked for the goroutine back (or, for a
		// keyed link, the key did not match).
		ex.Interrupted = true
	}
	who.out.slots = stack[ex.Base:]
	who.out.err = nil
	if err := who.m.RestoreState(st, &who.out); err != nil {
		return ex, err
	}
	if who.out.err != nil {
		return ex, who.out.err
	}
	ex.Trace, ex.Snap, ex.PC = who, int(st.Exit), who.out.pc
	return ex, nil
}

// TraceWord is where the running trace's token is while machine code
// runs: the entry stores it and every link stub stores the next trace's
// (emit.State.Trace). The -jp sampler reads it to tell linked traces
// apart, since the VM-state word names only the trace entered from Go.
func (b *backend) TraceWord() *uint32 { return &b.st.Trace }

// Token is the trace's token in the backend's TraceWord.
func (n *native) Token() uint32 { return n.token }

// trace returns the trace with token tok, or nil.
func (b *backend) trace(tok uint32) *native {
	if int(tok) < len(b.byToken) {
		return b.byToken[tok]
	}
	return nil
}

// exitTarget is where exit of f jumps while unlinked: its exit handler,
// the slow path of a link stub. An exit's sites all jump to one place.
func exitTarget(f *native, exit int) (uintptr, error) {
	sites := f.code.SitesOf(exit)
	if len(sites) == 0 {
		return 0, fmt.Errorf("jit: no exit site for exit %d", exit)
	}
	code, err := f.b.mem.Read(f.code.Block.Addr, f.code.Block.Size)
	if err != nil {
		return 0, err
	}
	return siteTarget(code, f.code.Block.Addr, sites[0].Addr)
}

// directSites reports whether every site of an exit has a direct branch
// (emit.ExitSite.Direct), so that the exit can be linked before its exit
// code stores anything.
func directSites(sites []emit.ExitSite) bool {
	for _, s := range sites {
		if s.Direct == 0 {
			return false
		}
	}
	return len(sites) > 0
}

// Link makes exit (a snapshot number) of from continue in to without
// returning to Go: a link stub (emit.Link) writes the exit's snapshot into
// the slots, moves slot 0 by slotsDelta and jumps to to's entry. It
// refuses a value it cannot box in machine code; the VM then links in Go.
// Whether the frame records the exit leaves behind suit to is the VM's
// business: spec's caller key and drop become the stub's emit.Link Key
// and DropKey.
func (b *backend) Link(from vm.Compiled, exit int, to vm.Compiled, spec vm.LinkSpec) error {
	f, ok1 := from.(*native)
	t, ok2 := to.(*native)
	if !ok1 || !ok2 || f.b != b || t.b != b {
		return errors.New("jit: link between foreign traces")
	}
	if err := archCanLink(f, t); err != nil {
		return err
	}
	i, err := f.m.ExitOfSnap(exit)
	if err != nil {
		return err
	}
	x, err := f.m.Exit(i)
	if err != nil {
		return err
	}
	l := emit.Link{Token: t.token, Target: t.code.Entry, SlotsDelta: int32(spec.SlotsDelta), Key: spec.Caller, DropKey: spec.Drop}
	for _, e := range x.Entries {
		if e.Flags&irkit.SnapNoRestore != 0 {
			continue
		}
		mv := emit.LinkMove{Slot: int32(e.Slot), Val: e.Val}
		switch e.Kind {
		case snapshot.InReg:
			mv.From = emit.FromReg
		case snapshot.InSpill:
			mv.From = emit.FromSpill
		default:
			mv.From = emit.FromConst
		}
		switch e.Type.Base() {
		case irkit.TNum, irkit.TVal, irkit.TPtr, irkit.TI64:
		case irkit.TInt:
			if mv.From == emit.FromConst {
				mv.Val = uint64(vm.Number(float64(int32(e.Val))))
			} else {
				mv.IntToNum = true
			}
		case irkit.TBool:
			if mv.From != emit.FromConst {
				return errors.New("jit: link: a computed boolean in the snapshot")
			}
			mv.Val = uint64(vm.Bool(e.Val != 0))
		default:
			return fmt.Errorf("jit: link: value of type %v in the snapshot", e.Type)
		}
		l.Moves = append(l.Moves, mv)
	}
	if sites := f.code.SitesOf(exit); directSites(sites) {
		// Every site can be linked before its exit code runs: one direct
		// stub per site, jumped to from the start of the site's exit code,
		// whose slow path does that code's stores.
		code, err := f.b.mem.Read(f.code.Block.Addr, f.code.Block.Size)
		if err != nil {
			return err
		}
		for _, s := range sites {
			d := l
			d.Direct, d.Saves, d.Exit = true, s.Saves, s.Exit
			if d.Slow, err = siteTarget(code, f.code.Block.Addr, s.Addr); err != nil {
				return err
			}
			blk, err := assembleLink(b, &d)
			if err != nil {
				return err
			}
			f.stubs = append(f.stubs, blk)
			if err := patchSite(f, s.Direct, blk.Addr); err != nil {
				return err
			}
		}
	} else {
		if l.Slow, err = exitTarget(f, exit); err != nil {
			return err
		}
		blk, err := assembleLink(b, &l)
		if err != nil {
			return err
		}
		f.stubs = append(f.stubs, blk)
		if err := patchExit(f, exit, blk.Addr); err != nil {
			return err
		}
	}
	for len(f.linked) <= exit {
		f.linked = append(f.linked, false)
		f.keys = append(f.keys, 0)
	}
	f.linked[exit] = true
	f.keys[exit] = spec.Caller
	return nil
}

// LinkedExits reports, per exit, whether it is linked to another trace
// in machine code (the -jdump=html page: such exits no longer return to
// the VM, which stops counting them).
func (n *native) LinkedExits() []bool { return n.linked }

func (n *native) Disasm() string {
	code, err := n.b.mem.Read(n.code.Block.Addr, n.code.Block.Size)
	if err != nil {
		return err.Error() + "\n"
	}
	// From the entry: the block may start with constants (amd64's
	// pool of float constants and NEG/ABS masks), not instructions.
	off := n.code.Entry - n.code.Block.Addr
	return disasm(code[off:], n.code.Entry)
}

func (n *native) Free() {
	n.b.mem.Free(n.code.Block)
	for _, blk := range n.stubs {
		n.b.mem.Free(blk)
	}
	n.stubs = nil
	if int(n.token) < len(n.b.byToken) {
		n.b.byToken[n.token] = nil
	}
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
		n.b.byToken = n.b.byToken[:0]
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
	r.slots[slot] = vm.SlotWord(ty, bits)
}

func (r *restorer) SetPC(pc uint64, nslots int) { r.pc = pc }

// CodeRange is the executable memory of a machine-code trace (for the
// perf map).
func (n *native) CodeRange() (uintptr, int) { return n.code.Block.Addr, n.code.Block.Size }
