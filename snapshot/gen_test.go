package snapshot

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"testing"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// -- Random guarded traces, recorded through irkit's Recorder ----------------
//
// The generator plays a tiny language: slot 0 is a loop counter i, slots
// 1..nguard hold one limit per guard, the rest hold ints, int64s and
// floats. Every "bytecode" first computes i+1 (once per iteration), then
// does arithmetic on data slots, stores constants of every type, calls
// and returns from inlined functions (with a frame link slot), and adds
// guards "i+1 < limit_j". Inputs choose which guard fails and when: a
// limit of 1<<30 never fails, a limit of k fails when i+1 reaches k, in
// the peeled iteration or in the loop body.

type genCfg struct {
	steps  int  // bytecodes to record
	loop   bool // close the loop and loop-optimize
	data   int  // data slots in the base frame
	guards int  // guard limits (the generator adds at most this many guards)
	calls  bool // inline calls
}

type genTrace struct {
	tr     *irkit.Trace
	nslots int // slots the inputs need
	data0  int // first data slot
	nguard int // guards emitted (each with its own limit slot)
}

// kinds of data slot values.
var slotTypes = []irkit.Type{irkit.TInt, irkit.TNum, irkit.TI64}

func genLoopTrace(rng *rand.Rand, cfg genCfg) (*genTrace, error) {
	b := irkit.NewBuilder(nil)
	rec := irkit.NewRecorder(b)
	g := &genTrace{data0: 1 + cfg.guards}
	rec.Start(0)
	pc := uint64(0)
	typeOf := func(s int) irkit.Type { return slotTypes[s%len(slotTypes)] }
	nbase := g.data0 + cfg.data
	g.nslots = nbase + 6 + 16
	// The inlined frame, if any: its base (absolute) and its data slots.
	depth := 0
	cbase := 0
	var i1 irkit.Ref
	iter := func() {
		i := rec.Slot(0, irkit.TInt)
		i1 = rec.Emit(irkit.ADD, irkit.TInt, i, b.KInt(1))
		rec.SetSlot(0, i1)
	}
	iter()
	lims := make([]irkit.Ref, cfg.guards)
	for j := range lims {
		lims[j] = rec.Slot(1+j, irkit.TInt)
	}
	nguard := 0
	for step := 0; step < cfg.steps; step++ {
		pc++
		rec.SetPC(pc)
		// Slot numbers below are relative to the current frame.
		lo, hi := g.data0, nbase
		if depth > 0 {
			lo, hi = 1, 8
		}
		pick := func() int { return lo + rng.Intn(hi-lo) }
		typ := func(s int) irkit.Type {
			if depth > 0 {
				return slotTypes[(s+cbase)%len(slotTypes)]
			}
			return typeOf(s)
		}
		switch k := rng.Intn(100); {
		case k < 45: // arithmetic
			d := pick()
			ty := typ(d)
			src := func() irkit.Ref {
				s := lo + rng.Intn(hi-lo)
				v := rec.Slot(s, typ(s))
				vt := b.T.Ins(v).T.Base()
				switch {
				case vt == ty:
					return v
				case ty == irkit.TNum && vt == irkit.TInt:
					return rec.Emit(irkit.ITOF, irkit.TNum, v, irkit.NoRef)
				case ty == irkit.TI64 && vt == irkit.TInt:
					return rec.Emit(irkit.SEXT, irkit.TI64, v, irkit.NoRef)
				case ty == irkit.TInt:
					return i1
				case ty == irkit.TNum:
					return b.KNum(float64(rng.Intn(64)) / 4)
				}
				return b.KI64(int64(rng.Uint64()))
			}
			var ops []irkit.Op
			switch ty {
			case irkit.TNum:
				ops = []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV, irkit.MIN, irkit.MAX}
			default:
				ops = []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.BXOR, irkit.BAND, irkit.BOR, irkit.MIN}
			}
			v := rec.Emit(ops[rng.Intn(len(ops))], ty, src(), src())
			rec.SetSlot(d, v)
		case k < 55: // a constant of any type
			// In the base frame each constant slot keeps one type, so a
			// loop stays type-stable; callee slots die at the return.
			d := pick()
			kind := rng.Intn(6)
			if depth == 0 {
				d = nbase + kind
			}
			var kr irkit.Ref
			switch kind {
			case 0:
				kr = b.KInt(int32(rng.Intn(1000) - 500))
			case 1:
				kr = b.KNum(float64(rng.Intn(1000)) / 8)
			case 2:
				kr = b.KBool(rng.Intn(2) == 0)
			case 3:
				kr = b.KI64(int64(rng.Uint64()))
			case 4:
				kr = b.KVal(0xfffa000000000000 | uint64(rng.Intn(1<<20)))
			default:
				kr = b.KPtr(uintptr(0x10000 + 8*rng.Intn(1000)))
			}
			rec.SetSlot(d, kr)
		case k < 80 && nguard < cfg.guards: // a guard on its own limit
			nguard++
			if err := rec.Guard(irkit.LT, i1, lims[nguard-1]); err != nil {
				return nil, err
			}
		case k < 90 && cfg.calls && depth == 0: // call: frame link at base-1
			base := nbase + 6 + 1 + rng.Intn(4)
			link := b.KVal(0xfffb000000000000 | pc<<8 | uint64(base))
			rec.SetSlotFlags(base-1, link, irkit.SnapFrame)
			// Arguments: copy a few caller slots into the callee's.
			args := make([]irkit.Ref, 1+rng.Intn(3))
			for a := range args {
				s := pick()
				args[a] = rec.Slot(s, typ(s))
			}
			if err := rec.Call(base, pc+1000); err != nil {
				return nil, err
			}
			depth, cbase = 1, base
			for a, v := range args {
				rec.SetSlot(1+a, v)
			}
		case k < 100 && depth > 0: // return a value to the caller
			s := 1 + rng.Intn(7)
			v := rec.Slot(s, typ(s))
			if err := rec.Return(); err != nil {
				return nil, err
			}
			depth = 0
			rec.ClearSlot(cbase - 1)
			d := g.data0 + rng.Intn(cfg.data)
			if b.T.Ins(v).T.Base() == typeOf(d) {
				rec.SetSlot(d, v)
			}
		}
		if err := rec.Err(); err != nil {
			return nil, err
		}
	}
	if depth > 0 {
		pc++
		rec.SetPC(pc)
		if err := rec.Return(); err != nil {
			return nil, err
		}
		rec.ClearSlot(cbase - 1)
	}
	g.nguard = nguard
	var err error
	if cfg.loop {
		err = rec.CloseLoop()
		if err == nil {
			err = b.LoopOpt()
		}
	} else {
		err = rec.Stop(pc + 1)
	}
	if err != nil {
		return nil, err
	}
	g.tr = rec.T
	g.tr.DCE()
	if err := g.tr.Verify(); err != nil {
		return nil, err
	}
	return g, nil
}

// inputs builds the slots for a run in which guard j (0-based; -1 none)
// fails when i+1 reaches at (1 fails in the first iteration).
func (g *genTrace) inputs(rng *rand.Rand, j, at int) []uint64 {
	s := make([]uint64, g.nslots)
	for k := 1; k <= g.nguard; k++ {
		s[k] = 1 << 30
	}
	if j >= 0 {
		s[1+j] = uint64(at)
	}
	for k := g.data0; k < len(s); k++ {
		switch slotTypes[k%len(slotTypes)] {
		case irkit.TInt:
			s[k] = uint64(int64(int32(rng.Intn(2000) - 1000)))
		case irkit.TNum:
			s[k] = math.Float64bits(float64(rng.Intn(4000)-2000) / 16)
		default:
			s[k] = rng.Uint64()
		}
	}
	return s
}

// -- A simulated exit state ----------------------------------------------------

// simExit builds the exit state the compiled trace would have at the exit
// the interpreter took: every register and spill slot holds garbage except
// the locations the allocation names for this exit, which hold the values
// the interpreter restored (a TInt only in its low half, as a 32-bit
// register write leaves it). It returns the exit's guard reference.
func simExit(rng *rand.Rand, tr *irkit.Trace, res *regalloc.Result, ex irkit.Exit, after []uint64,
	regs *[64]uint64, spill []uint64) (irkit.Ref, error) {
	g := ex.Guard
	if g == irkit.NoRef {
		g = tr.Next()
	}
	e, ok := res.ExitAt(g)
	if !ok {
		return g, fmt.Errorf("no exit record at %04d", int(g-irkit.Bias))
	}
	return g, simLocs(rng, tr, res.Target, res.Locs[e.Off:e.Off+e.N], ex, after, regs, spill)
}

// canonLocs plays a lowering that gives each snapshot one set of exit
// locations (emit.Trace.Locs): those of the snapshot's first guard.
func canonLocs(res *regalloc.Result) func(int) []regalloc.RefLoc {
	return func(s int) []regalloc.RefLoc {
		for _, e := range res.Exits {
			if int(e.Snap) == s {
				return res.Locs[e.Off : e.Off+e.N]
			}
		}
		return nil
	}
}

// simLocs fills regs and spill with garbage, then puts the values of the
// exit's snapshot at locs.
func simLocs(rng *rand.Rand, tr *irkit.Trace, tgt *regalloc.Target, locs []regalloc.RefLoc, ex irkit.Exit, after []uint64,
	regs *[64]uint64, spill []uint64) error {
	for i := range regs {
		regs[i] = rng.Uint64()
	}
	for i := range spill {
		spill[i] = rng.Uint64()
	}
	written := map[string]uint64{}
	for _, se := range tr.Entries(ex.Snap) {
		if se.Ref().IsConst() || se.Flags()&irkit.SnapNoRestore != 0 {
			continue
		}
		v := after[se.Slot()]
		ty := tr.Ins(se.Ref()).T.Base()
		var loc regalloc.Loc
		for _, rl := range locs {
			if rl.Ref == se.Ref() {
				loc = rl.Loc
			}
		}
		w := v
		if ty == irkit.TInt {
			w = uint64(uint32(v)) | rng.Uint64()<<32
		}
		key := loc.Format(tgt)
		if old, ok := written[key]; ok && old != v {
			return fmt.Errorf("location %s holds two values", key)
		}
		written[key] = v
		switch {
		case loc.IsReg() && tgt.ClassOfReg(loc.Reg()) == regalloc.FPR:
			regs[32+int(loc.Reg()-tgt.Regs[regalloc.FPR].Low())] = w
		case loc.IsReg():
			regs[loc.Reg()] = w
		case loc.IsSlot():
			spill[loc.Slot()] = w
		default:
			return fmt.Errorf("slot %d (%04d): location %s", se.Slot(), int(se.Ref()-irkit.Bias), key)
		}
	}
	return nil
}

// qemu reports whether the tests run under qemu (scale loops down).
func qemu() bool { return os.Getenv("JITKIT_QEMU") != "" }

func scale(t *testing.T, n int) int {
	if testing.Short() || qemu() {
		return max(n/8, 2)
	}
	return n
}
