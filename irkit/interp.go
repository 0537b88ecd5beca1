package irkit

// Why an IR interpreter: it defines what a trace means. Fold, CSE, DCE and
// loop optimization are tested by running the trace before and after on
// the same inputs and comparing every bit of the outcome; the machine-code
// backends will be held to the same results later. It therefore works on
// real memory: loads and stores touch the addresses the trace computes,
// and the interpreter slots are a []uint64 whose slot i lives at
// &slots[0] + 8*i, as generated code will see it.

import (
	"errors"
	"unsafe"
)

// Exit describes how a run ended.
type Exit struct {
	Snap  int    // the snapshot the exit restored, -1 if none
	Guard Ref    // the guard that failed; NoRef if the trace ran off its end
	PC    uint64 // the snapshot's PC
	Iter  int    // loop iterations completed (LOOP reached + back edges taken)
}

// Interpreter errors.
var (
	ErrMaxIter = errors.New("irkit: interpreter iteration limit reached")
	ErrNoSnap  = errors.New("irkit: guard without snapshot")
	ErrSlot    = errors.New("irkit: slot out of range")
	ErrNilAddr = errors.New("irkit: memory access at address 0")
	ErrBadIns  = errors.New("irkit: malformed instruction")
)

// Interp executes traces. Its scratch memory is reused across runs, so a
// warm Interp does not allocate (unless a helper does).
type Interp struct {
	// MaxIter bounds the back edges of a looping trace (0: 1<<20).
	MaxIter int
	// Force, if set, names the snapshots whose guards must exit although
	// they hold (a stress mode, guard.Stress): such a guard computes its
	// value exactly as it would otherwise (ADDOV, FTOIX) and then exits
	// through its snapshot, as a failing guard does. The trace itself is
	// not changed, so it can run again with other forced exits.
	Force func(snap int) bool
	// Box, if set, turns each value an exit restores into the word its
	// slot holds, given its IR type, as a snapshot restorer's SetSlot
	// does for machine code (an int32 becomes a double for a language
	// whose numbers are doubles; see Trace.SinkITOF). Nil writes the IR's
	// own word.
	Box  func(ty Type, bits uint64) uint64
	vals []uint64
	phis []Ins
	tmp  []uint64
}

// Run executes t on slots until a guard fails, the trace runs off its end
// (exiting through its last snapshot) or MaxIter back edges were taken.
// On a guard exit the snapshot's entries are written to slots. A trace
// that addresses memory must only compute addresses of live memory: the
// interpreter dereferences them as generated code would.
func (in *Interp) Run(t *Trace, slots []uint64) (Exit, error) {
	if err := t.checkRefs(); err != nil {
		return Exit{Snap: -1}, err
	}
	maxIter := in.MaxIter
	if maxIter <= 0 {
		maxIter = 1 << 20
	}
	lo := t.nk
	n := int(t.nins - lo)
	if cap(in.vals) < n {
		in.vals = make([]uint64, n)
	}
	vals := in.vals[:n]
	for r := lo; r < Bias; r++ {
		vals[r-lo], _ = t.KWord(r)
	}
	in.phis = in.phis[:0]
	for r := t.nins - 1; r > t.Loop && t.Loop != NoRef; r-- {
		if ins := t.ir[r-t.lo]; ins.Op == PHI {
			in.phis = append(in.phis, ins)
		}
	}
	if cap(in.tmp) < len(in.phis) {
		in.tmp = make([]uint64, len(in.phis))
	}
	tmp := in.tmp[:len(in.phis)]
	exit := Exit{Snap: -1}
	start := First
	force := in.Force // nil but under a stress mode
	for {
		for r := start; r < t.nins; r++ {
			ins := t.ir[r-t.lo]
			var v uint64
			switch ins.Op {
			case NOP, PHI, CARG, BASE:
				continue
			case LOOP:
				// Entering the loop body completes the peeled iteration.
				exit.Iter++
				if exit.Iter >= maxIter {
					return exit, ErrMaxIter
				}
				continue
			case SLOAD:
				s := int(ins.Op1)
				if s >= len(slots) {
					return exit, ErrSlot
				}
				v = Norm(ins.T, slots[s])
			case SSTORE:
				s := int(ins.Op1)
				if s >= len(slots) {
					return exit, ErrSlot
				}
				slots[s] = vals[ins.Op2-lo]
				continue
			case FLOAD, ALOAD, XLOAD:
				addr := vals[ins.Op1-lo]
				if ins.Op == FLOAD {
					addr += uint64(ins.Op2)
				}
				if addr == 0 {
					return exit, ErrNilAddr
				}
				v = load(ins.T, addr)
			case FSTORE, ASTORE, XSTORE:
				addr := vals[ins.Op1-lo]
				if addr == 0 {
					return exit, ErrNilAddr
				}
				store(ins.T, addr, vals[ins.Op2-lo])
				continue
			case CALLN, CALLS:
				h := t.Helper(uint16(ins.Op2))
				if h == nil {
					return exit, ErrHelper
				}
				var refs [MaxArgs]Ref
				var args [MaxArgs]uint64
				na, ok := t.argRefs(ins.Op1, refs[:])
				if !ok {
					return exit, ErrBadIns
				}
				for i := 0; i < na; i++ {
					args[i] = vals[refs[i]-lo]
				}
				v = Norm(ins.T, h.Fn(args[:na]))
			default:
				info := &opInfo[ins.Op]
				var a, b uint64
				var ta Type
				if info.Mode1 == ModeRef {
					a = vals[ins.Op1-lo]
					ta = t.ir[ins.Op1-t.lo].T
				}
				switch info.Mode2 {
				case ModeRef:
					b = vals[ins.Op2-lo]
				case ModeLit:
					b = uint64(ins.Op2)
				}
				var ok bool
				v, ok = evalOp(&t.Box, ins.Op, ins.T, ta, a, b)
				if !ok || force != nil && forced(t, r, force) {
					vals[r-lo] = v
					exit.Guard = r
					return in.exitAt(t, slots, r, exit)
				}
			}
			vals[r-lo] = v
		}
		// Ran off the end.
		switch {
		case t.Loop != NoRef:
			for i, p := range in.phis {
				tmp[i] = vals[p.Op2-lo]
			}
			for i, p := range in.phis {
				vals[p.Op1-lo] = tmp[i]
			}
			start = t.Loop + 1
		case t.Looping:
			if len(t.Snaps) > 0 {
				if err := t.restore(len(t.Snaps)-1, vals, lo, slots, in.Box); err != nil {
					return exit, err
				}
			}
			start = First
		default:
			return in.exitAt(t, slots, t.nins, exit)
		}
		exit.Iter++
		if exit.Iter >= maxIter {
			return exit, ErrMaxIter
		}
	}
}

// forced reports whether the guard at r exits through a snapshot force
// names.
func forced(t *Trace, r Ref, force func(int) bool) bool {
	si, ok := t.GuardSnap(r)
	return ok && force(si)
}

func (in *Interp) exitAt(t *Trace, slots []uint64, r Ref, exit Exit) (Exit, error) {
	si := t.SnapOf(r)
	if si < 0 {
		if exit.Guard == NoRef {
			return exit, nil
		}
		return exit, ErrNoSnap
	}
	exit.Snap = si
	exit.PC = t.Snaps[si].PC
	return exit, t.restore(si, in.vals, t.nk, slots, in.Box)
}

// restore writes snapshot si's entries into slots, each through box if
// it is set.
func (t *Trace) restore(si int, vals []uint64, lo Ref, slots []uint64, box func(Type, uint64) uint64) error {
	for _, e := range t.Entries(si) {
		if e.Flags()&SnapNoRestore != 0 {
			continue
		}
		if e.Slot() >= len(slots) {
			return ErrSlot
		}
		w := vals[e.Ref()-lo]
		if box != nil {
			w = box(t.Ins(e.Ref()).T.Base(), w)
		}
		slots[e.Slot()] = w
	}
	return nil
}

// addrPtr turns an address the trace computed into a pointer without a
// uintptr-to-pointer conversion go vet would flag: the trace, like
// generated code, is trusted to address live memory.
func addrPtr(addr uint64) unsafe.Pointer {
	p := uintptr(addr)
	return *(*unsafe.Pointer)(unsafe.Pointer(&p))
}

func load(ty Type, addr uint64) uint64 {
	p := addrPtr(addr)
	switch ty.Size() {
	case 1:
		return Norm(ty, uint64(*(*uint8)(p)))
	case 4:
		return Norm(ty, uint64(*(*uint32)(p)))
	case 8:
		return *(*uint64)(p)
	}
	return 0
}

func store(ty Type, addr, v uint64) {
	p := addrPtr(addr)
	switch ty.Size() {
	case 1:
		*(*uint8)(p) = uint8(v)
	case 4:
		*(*uint32)(p) = uint32(v)
	case 8:
		*(*uint64)(p) = v
	}
}

// checkRefs is the part of Verify the interpreter cannot run without:
// every operand reference precedes its use and every snapshot entry names
// an existing value, so a malformed trace gives an error, not a panic.
func (t *Trace) checkRefs() error {
	for r := First; r < t.nins; r++ {
		ins := t.ir[r-t.lo]
		if ins.Op >= NumOps {
			return ErrBadIns
		}
		info := &opInfo[ins.Op]
		if info.Mode1 == ModeRef && (ins.Op1 < t.nk || ins.Op1 >= r) && !(ins.Op1 == Bias && info.Flags&FCall != 0) {
			return ErrBadIns
		}
		if info.Mode2 == ModeRef && (ins.Op2 < t.nk || ins.Op2 >= r || ins.Op2 == Bias) {
			return ErrBadIns
		}
		if ins.Op == PHI && (t.Loop == NoRef || ins.Op1 >= t.Loop) {
			return ErrBadIns
		}
	}
	if t.Loop != NoRef && (t.Loop >= t.nins || t.Loop < First || t.ir[t.Loop-t.lo].Op != LOOP) {
		return ErrBadIns
	}
	for _, e := range t.SnapEntries {
		if !t.Valid(e.Ref()) {
			return ErrBadIns
		}
	}
	return nil
}
