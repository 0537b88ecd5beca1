package lowertest

import (
	"errors"
	"math"
	"math/rand"
	"runtime"
	"unsafe"

	"github.com/jitkit/jitkit/irkit"
)

// -- Memory the traces address -----------------------------------------------------

// Arena is pinned memory that generated traces load from and store to, so
// the interpreter and a backend's code see the same addresses.
type Arena struct {
	Words []uint64
	pin   runtime.Pinner
}

// NewArena returns an arena of n words (at least 16).
func NewArena(n int) *Arena {
	n = max(n, 16)
	a := &Arena{Words: make([]uint64, n)}
	a.pin.Pin(&a.Words[0])
	return a
}

// Addr is the address of the first word.
func (a *Arena) Addr() uintptr { return uintptr(unsafe.Pointer(&a.Words[0])) }

// Close unpins the arena.
func (a *Arena) Close() { a.pin.Unpin() }

// -- Helpers -------------------------------------------------------------------------

// HelperSpecs are the helpers random traces call, with their Go meaning
// (which the interpreter runs). A backend's test supplies a machine-code
// implementation of each through NewHelpers:
//
//	mix(a, b i64) i64        pure   a*31 ^ b>>3 (logical shift)
//	fhalf(x num) num         pure   x*0.5 + 1 (each operation rounded)
//	mix3(a, b, c int) int    pure   a*3 + b*5 - c (wrapping int32)
//	bump(p ptr, v i64) i64   effect old := *(p + 8*(ArenaWords-1)); *that += v; old
//	odd(a i64) bool          pure   a & 1
//	fmix(x num, i int, y num) num  x*0.5 + float64(i) - y (each rounded)
var HelperSpecs = []irkit.Helper{
	{Name: "mix", Pure: true, Args: []irkit.Type{irkit.TI64, irkit.TI64}, Result: irkit.TI64,
		Fn: func(a []uint64) uint64 { return a[0]*31 ^ a[1]>>3 }},
	{Name: "fhalf", Pure: true, Args: []irkit.Type{irkit.TNum}, Result: irkit.TNum,
		Fn: func(a []uint64) uint64 {
			h := float64(math.Float64frombits(a[0]) * 0.5)
			return math.Float64bits(h + 1)
		}},
	{Name: "mix3", Pure: true, Args: []irkit.Type{irkit.TInt, irkit.TInt, irkit.TInt}, Result: irkit.TInt,
		Fn: func(a []uint64) uint64 { return uint64(int64(int32(uint32(a[0])*3 + uint32(a[1])*5 - uint32(a[2])))) }},
	{Name: "bump", Args: []irkit.Type{irkit.TPtr, irkit.TI64}, Result: irkit.TI64,
		Fn: func(a []uint64) uint64 {
			p := wordAt(a[0] + 8*(ArenaWords-1))
			old := *p
			*p += a[1]
			return old
		}},
	{Name: "odd", Pure: true, Args: []irkit.Type{irkit.TI64}, Result: irkit.TBool,
		Fn: func(a []uint64) uint64 { return a[0] & 1 }},
	{Name: "fmix", Pure: true, Args: []irkit.Type{irkit.TNum, irkit.TInt, irkit.TNum}, Result: irkit.TNum,
		Fn: func(a []uint64) uint64 {
			h := float64(math.Float64frombits(a[0]) * 0.5)
			s := float64(h + float64(int32(a[1])))
			return math.Float64bits(s - math.Float64frombits(a[2]))
		}},
}

// Helper ids in a table made by NewHelpers.
const (
	HMix = iota
	HFHalf
	HMix3
	HBump
	HOdd
	HFMix
)

// ArenaWords is the size of the arena random traces address; bump
// updates its last word.
const ArenaWords = 16

func wordAt(addr uint64) *uint64 {
	p := uintptr(addr)
	return *(**uint64)(unsafe.Pointer(&p))
}

// NewHelpers registers HelperSpecs in a new table, with the machine-code
// address addr returns for each name (0: the backend has none, and traces
// calling it will be refused).
func NewHelpers(addr func(name string) uintptr) (*irkit.Helpers, error) {
	hs := &irkit.Helpers{}
	for _, h := range HelperSpecs {
		h.Addr = addr(h.Name)
		if _, err := hs.Register(h); err != nil {
			return nil, err
		}
	}
	return hs, nil
}

// -- Random traces ----------------------------------------------------------------------

// Config shapes random traces.
type Config struct {
	// Slots is the number of interpreter slots (default 8, at most 64).
	// Slot 0 is the loop counter and the last slot is written only by
	// SSTORE; the others hold values of a type chosen per trace.
	Slots int
	// Steps is the number of random steps (default 5..40, chosen per seed).
	Steps int
	// Loop closes every trace as a loop and loop-optimizes it (LOOP, PHIs);
	// otherwise half of the traces are straight-line.
	Loop bool
	// Pressure > 0 keeps that many values live to the end (each stored into
	// memory by the last instructions), forcing spills.
	Pressure int
	// Helpers, if set, is a table from NewHelpers; traces then call them.
	Helpers *irkit.Helpers
	// FloatPow lets traces use float POW (a backend needs a helper for it).
	FloatPow bool
	// Calm makes most guards ordinary arithmetic instead, so long traces
	// reach their end and loops iterate under high register pressure.
	Calm bool
	// MaxIter bounds the interpreter's back edges (default 64); a trace
	// that reaches it is not compared.
	MaxIter int
	// Plain leaves out the checks, compares and unboxes that follow a
	// load at once (the shapes a lowering may fuse with the load) and
	// the address shapes of elemAddr but the masked index, so that a
	// seed gives the trace it gave before they were generated (for tests
	// that were built on a seed's trace).
	Plain bool
}

// Gen generates random traces from seeds: the same seed gives the same
// trace and inputs. Its memory is reused from case to case.
type Gen struct {
	Cfg   Config
	B     *irkit.Builder
	Arena *Arena
	// Slots and Mem are the inputs of the last trace built: the initial
	// interpreter slots and arena contents.
	Slots, Mem []uint64
	// SlotT are the slot types of the last trace.
	SlotT []irkit.Type
	// Looped reports whether the last trace was loop-optimized.
	Looped bool

	r     *rand.Rand
	memK  irkit.Ref
	slot  []irkit.Ref
	mod   []bool
	dirty bool
	snaps int
	pc    uint64
	pools [irkit.NumTypes][]irkit.Ref
	ents  []irkit.SnapEntry
}

// NewGen returns a generator with its own arena.
func NewGen(cfg Config) *Gen {
	if cfg.Slots <= 0 {
		cfg.Slots = 8
	}
	cfg.Slots = min(max(cfg.Slots, 3), 64)
	if cfg.MaxIter <= 0 {
		cfg.MaxIter = 64
	}
	return &Gen{Cfg: cfg, B: irkit.NewBuilder(nil), Arena: NewArena(ArenaWords),
		r: rand.New(rand.NewSource(1))}
}

// Close releases the arena.
func (g *Gen) Close() { g.Arena.Close() }

var (
	intK = []int64{0, 1, -1, 2, 3, 7, 15, 31, 32, 63, 64, 100, -100, math.MaxInt32, math.MinInt32,
		math.MaxInt64, math.MinInt64, 0x5a5a5a5a, 1 << 40, -1 << 35}
	numK = []uint64{0, 1 << 63, math.Float64bits(1), math.Float64bits(-1), math.Float64bits(0.5),
		math.Float64bits(2), math.Float64bits(1e300), math.Float64bits(-3.75),
		math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1)), 0x7ff8000000000000,
		0x7ff8000000000123, 0xfff0000000000001, 0x7ff0000000000005, 1, math.Float64bits(2147483648),
		math.Float64bits(-2147483648.5), math.Float64bits(9.3e18), math.Float64bits(-9223372036854775808),
		math.Float64bits(2.5), math.Float64bits(-0.5), math.Float64bits(1e-310)}
	slotTypes = []irkit.Type{irkit.TInt, irkit.TI64, irkit.TNum, irkit.TVal, irkit.TBool}
	memTypes  = []irkit.Type{irkit.TInt, irkit.TI64, irkit.TNum, irkit.TVal, irkit.TBool}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.Intn(len(s))] }

// ErrGen reports a generated trace that could not be built.
var ErrGen = errors.New("lowertest: generated trace not built")

// Build generates the trace of seed into g.B.T and its inputs into g.Slots
// and g.Mem. The trace is folded, CSE'd and DCE'd as a recorder's would
// be; when it loops it is loop-optimized if that succeeds (g.Looped), and
// otherwise left as a Looping trace that restarts. Build returns
// irkit.ErrGuardFails (wrapped) when fold proved the trace always exits.
func (g *Gen) Build(seed int64) error {
	r := g.r
	r.Seed(seed)
	b := g.B
	b.Reset()
	tr := b.T
	tr.Helpers = g.Cfg.Helpers
	n := g.Cfg.Slots
	store := n - 1
	g.SlotT = resize(g.SlotT, n)
	g.slot = resize(g.slot, n)
	g.mod = resize(g.mod, n)
	clear(g.slot)
	clear(g.mod)
	for i := range g.pools {
		g.pools[i] = g.pools[i][:0]
	}
	g.dirty, g.snaps, g.pc, g.Looped = false, 0, 0, false
	g.SlotT[0] = irkit.TInt
	for s := 1; s < store; s++ {
		g.SlotT[s] = pick(r, slotTypes)
	}
	g.SlotT[store] = irkit.TI64
	g.inputs()
	g.memK = b.KPtr(g.Arena.Addr())
	loop := g.Cfg.Loop || r.Intn(2) == 0
	g.snap(true)
	i1 := b.Emit(irkit.ADD, irkit.TInt, g.getSlot(0), b.KInt(1))
	g.setSlot(0, i1)
	limit := b.KInt(int32(r.Intn(6)))
	steps := g.Cfg.Steps
	if steps <= 0 {
		steps = 5 + r.Intn(36)
	}
	counterAt := r.Intn(steps)
	var keep []irkit.Ref
	for step := 0; step < steps; step++ {
		g.pc = uint64(step + 1)
		if step == counterAt {
			if loop {
				g.guard(irkit.LT, i1, limit)
			} else if r.Intn(2) == 0 {
				g.guard(pick(r, []irkit.Op{irkit.LT, irkit.GE, irkit.NE}), i1, limit)
			}
		}
		g.step()
		if g.Cfg.Pressure > 0 && len(keep) < g.Cfg.Pressure && r.Intn(2) == 0 {
			if ty := pick(r, []irkit.Type{irkit.TI64, irkit.TNum, irkit.TInt}); len(g.pools[ty]) > 0 {
				keep = append(keep, g.pools[ty][len(g.pools[ty])-1])
			}
		}
	}
	// Values kept live to the end: store them all, so they are needed.
	for i, v := range keep {
		ty := tr.Ins(v).T.Base()
		ofs := irkit.Ref(8 * (i % (ArenaWords - 1)))
		b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, g.memK, ofs), v)
		_ = ty
		g.dirty = true
	}
	g.pc = 0
	g.snap(true)
	if !loop {
		if err := b.Err(); err != nil {
			return errors.Join(ErrGen, err)
		}
		tr.DCE()
		return tr.Verify()
	}
	tr.Looping = true
	if err := b.Err(); err != nil {
		return errors.Join(ErrGen, err)
	}
	tr.DCE()
	if err := b.LoopOpt(); err == nil {
		g.Looped = true
		tr.DCE()
	}
	return tr.Verify()
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (g *Gen) konst(ty irkit.Type) irkit.Ref {
	b, r := g.B, g.r
	switch ty {
	case irkit.TInt:
		return b.KInt(int32(pick(r, intK)))
	case irkit.TI64:
		return b.KI64(pick(r, intK))
	case irkit.TNum:
		return b.K(irkit.TNum, pick(r, numK))
	case irkit.TVal:
		if r.Intn(2) == 0 {
			return b.KVal(pick(r, numK))
		}
		return b.KVal(irkit.DefaultBox.BoxTag(uint64(r.Intn(1000)), uint64(r.Intn(16))))
	case irkit.TPtr:
		return g.memK
	}
	return b.KBool(r.Intn(2) == 0)
}

// val picks an operand of type ty: usually an earlier value, sometimes a
// constant or a slot.
func (g *Gen) val(ty irkit.Type) irkit.Ref {
	r := g.r
	p := g.pools[ty]
	n := r.Intn(10)
	if n < 1 {
		return g.konst(ty)
	}
	if n < 4 || len(p) == 0 {
		for i := 0; i < 6; i++ {
			s := r.Intn(g.Cfg.Slots - 1)
			if g.SlotT[s] == ty {
				return g.getSlot(s)
			}
		}
		if len(p) == 0 {
			return g.konst(ty)
		}
	}
	if r.Intn(2) == 0 && len(p) > 3 {
		return p[len(p)-1-r.Intn(3)]
	}
	return p[r.Intn(len(p))]
}

// slotVal prefers a value loaded from a slot, unknown to fold.
func (g *Gen) slotVal(ty irkit.Type) irkit.Ref {
	for i := 0; i < 8; i++ {
		if s := g.r.Intn(g.Cfg.Slots - 1); g.SlotT[s] == ty {
			return g.getSlot(s)
		}
	}
	return g.val(ty)
}

func (g *Gen) add(ty irkit.Type, v irkit.Ref) {
	if v != irkit.NoRef {
		g.pools[ty] = append(g.pools[ty], v)
	}
}

func (g *Gen) getSlot(s int) irkit.Ref {
	if g.slot[s] == irkit.NoRef && !g.mod[s] {
		g.slot[s] = g.B.SLoad(s, g.SlotT[s])
	}
	return g.slot[s]
}

func (g *Gen) setSlot(s int, v irkit.Ref) {
	g.slot[s] = v
	g.mod[s] = true
	g.dirty = true
}

// snap takes a snapshot of the modified slots if anything happened since
// the last one, as a recorder does.
func (g *Gen) snap(force bool) {
	if !g.dirty && g.snaps > 0 && !force {
		return
	}
	g.ents = g.ents[:0]
	for s := range g.slot {
		if g.mod[s] && g.slot[s] != irkit.NoRef {
			g.ents = append(g.ents, irkit.MakeEntry(s, g.slot[s], 0))
		}
	}
	if _, err := g.B.T.AddSnap(g.pc, g.Cfg.Slots, g.ents, nil); err != nil {
		g.B.SetErr(err)
	}
	g.snaps++
	g.dirty = false
}

func (g *Gen) guard(op irkit.Op, a, c irkit.Ref) irkit.Ref {
	g.snap(g.r.Intn(4) == 0)
	return g.B.Emit(op, irkit.TVoid, a, c)
}

func (g *Gen) guardT(op irkit.Op, ty irkit.Type, a, c irkit.Ref) irkit.Ref {
	g.snap(g.r.Intn(4) == 0)
	return g.B.Emit(op, ty, a, c)
}

var (
	arithTypes = []irkit.Type{irkit.TInt, irkit.TI64, irkit.TNum}
	intTypes   = []irkit.Type{irkit.TInt, irkit.TI64}
	cmpOps     = []irkit.Op{irkit.EQ, irkit.NE, irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.ULT, irkit.UGE, irkit.ULE, irkit.UGT}
	binOps     = []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV, irkit.MOD, irkit.POW, irkit.MIN, irkit.MAX}
	bitOps     = []irkit.Op{irkit.BAND, irkit.BOR, irkit.BXOR, irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROL, irkit.BROR}
	w64Types   = []irkit.Type{irkit.TI64, irkit.TNum, irkit.TVal, irkit.TPtr}
)

func (g *Gen) step() {
	b, r := g.B, g.r
	k := r.Intn(100)
	if g.Cfg.Calm && (k >= 34 && k < 47 || k >= 57 && k < 65) && r.Intn(6) != 0 {
		k = r.Intn(34)
	}
	switch {
	case k < 18:
		ty := pick(r, arithTypes)
		op := pick(r, binOps)
		if op == irkit.POW && ty == irkit.TNum && !g.Cfg.FloatPow {
			op = irkit.MOD
		}
		g.add(ty, b.Emit(op, ty, g.val(ty), g.val(ty)))
	case k < 24:
		ty := pick(r, arithTypes)
		op := pick(r, []irkit.Op{irkit.NEG, irkit.ABS, irkit.NEG, irkit.FLOOR, irkit.CEIL, irkit.SQRT})
		if op >= irkit.FLOOR {
			ty = irkit.TNum
		}
		g.add(ty, b.Emit(op, ty, g.val(ty), irkit.NoRef))
	case k < 34:
		ty := pick(r, intTypes)
		if r.Intn(3) == 0 {
			g.add(ty, b.Emit(irkit.BNOT, ty, g.val(ty), irkit.NoRef))
		} else {
			g.add(ty, b.Emit(pick(r, bitOps), ty, g.val(ty), g.val(ty)))
		}
	case k < 39:
		ty := pick(r, intTypes)
		g.add(ty, g.guardT(pick(r, []irkit.Op{irkit.ADDOV, irkit.SUBOV, irkit.MULOV}), ty, g.val(ty), g.val(ty)))
	case k < 47:
		ty := pick(r, []irkit.Type{irkit.TInt, irkit.TI64, irkit.TNum, irkit.TVal, irkit.TBool})
		if r.Intn(3) == 0 {
			op := pick(r, cmpOps)
			if ty == irkit.TBool {
				op = pick(r, []irkit.Op{irkit.EQ, irkit.NE})
			}
			g.guard(op, g.val(ty), g.val(ty))
		} else {
			// Mostly guards that rarely fail, so loops run.
			op := pick(r, []irkit.Op{irkit.NE, irkit.ULE, irkit.LE})
			var c irkit.Ref
			switch {
			case ty == irkit.TBool:
				op, c = irkit.NE, b.KBool(r.Intn(2) == 0)
			case op == irkit.NE:
				c = b.K(ty, 0x5a5a5a5a5a5a5)
			case ty == irkit.TInt:
				c = b.KInt(math.MaxInt32)
			case ty == irkit.TNum:
				op, c = irkit.ULE, b.KNum(math.Inf(1))
			default:
				op, c = irkit.ULE, b.K(ty, math.MaxUint64)
			}
			g.guard(op, g.val(ty), c)
		}
	case k < 57:
		switch r.Intn(7) {
		case 0:
			g.add(irkit.TNum, b.Emit(irkit.ITOF, irkit.TNum, g.val(pick(r, intTypes)), irkit.NoRef))
		case 1:
			ty := pick(r, intTypes)
			g.add(ty, b.Emit(irkit.FTOI, ty, g.val(irkit.TNum), irkit.NoRef))
		case 2:
			if g.Cfg.Calm {
				return
			}
			ty := pick(r, intTypes)
			x := g.slotVal(irkit.TNum)
			if r.Intn(2) == 0 {
				x = b.Emit(irkit.ITOF, irkit.TNum, g.val(ty), irkit.NoRef)
			}
			g.add(ty, g.guardT(irkit.FTOIX, ty, x, irkit.NoRef))
		case 3:
			g.add(irkit.TI64, b.Emit(pick(r, []irkit.Op{irkit.SEXT, irkit.ZEXT}), irkit.TI64, g.val(irkit.TInt), irkit.NoRef))
		case 4:
			g.add(irkit.TInt, b.Emit(irkit.TRUNC, irkit.TInt, g.val(irkit.TI64), irkit.NoRef))
		default:
			to := pick(r, w64Types[:3])
			g.add(to, b.Emit(irkit.BCAST, to, g.val(pick(r, w64Types[:3])), irkit.NoRef))
		}
	case k < 65:
		switch r.Intn(6) {
		case 0:
			g.add(irkit.TVal, b.Emit(irkit.BOXN, irkit.TVal, g.val(irkit.TNum), irkit.NoRef))
		case 1:
			g.add(irkit.TNum, b.Emit(irkit.UNBOXN, irkit.TNum, g.val(irkit.TVal), irkit.NoRef))
		case 2:
			g.add(irkit.TVal, b.Emit(irkit.BOXP, irkit.TVal, g.val(irkit.TI64), irkit.Ref(r.Intn(16))))
		case 3:
			g.add(irkit.TI64, b.Emit(irkit.UNBOXP, irkit.TI64, g.val(irkit.TVal), irkit.NoRef))
		case 4:
			g.guard(irkit.ISNUM, g.slotVal(irkit.TVal), irkit.NoRef)
		default:
			g.guardT(irkit.ISTAG, irkit.TVal, g.slotVal(irkit.TVal), irkit.Ref(r.Intn(5)))
		}
	case k < 75:
		s := 1 + r.Intn(g.Cfg.Slots-2)
		g.setSlot(s, g.val(g.SlotT[s]))
	case k < 87:
		g.memOp()
	case k < 92:
		store := g.Cfg.Slots - 1
		if r.Intn(2) == 0 {
			b.Emit(irkit.SSTORE, irkit.TVoid, irkit.Ref(store), g.val(irkit.TI64))
			g.dirty = true
		} else {
			g.add(irkit.TI64, b.SLoad(store, irkit.TI64))
		}
	default:
		if g.Cfg.Helpers == nil {
			ty := pick(r, intTypes)
			g.add(ty, b.Emit(irkit.POW, ty, g.val(ty), b.K(ty, uint64(r.Intn(5)))))
			return
		}
		switch r.Intn(6) {
		case 0:
			g.add(irkit.TI64, b.Call(HMix, g.val(irkit.TI64), g.val(irkit.TI64)))
		case 1:
			g.add(irkit.TNum, b.Call(HFHalf, g.val(irkit.TNum)))
		case 2:
			g.add(irkit.TInt, b.Call(HMix3, g.val(irkit.TInt), g.val(irkit.TInt), g.val(irkit.TInt)))
		case 3:
			g.add(irkit.TI64, b.Call(HBump, g.memK, g.val(irkit.TI64)))
			g.dirty = true
		case 4:
			g.add(irkit.TBool, b.Call(HOdd, g.val(irkit.TI64)))
		default:
			g.add(irkit.TNum, b.Call(HFMix, g.val(irkit.TNum), g.val(irkit.TInt), g.val(irkit.TNum)))
		}
	}
}

func (g *Gen) memOp() {
	b, r := g.B, g.r
	ty := pick(r, memTypes)
	var addr irkit.Ref
	field := r.Intn(2) == 0
	var ofs irkit.Ref
	if field {
		w := r.Intn(ArenaWords - 1)
		ofs = irkit.Ref(8 * w)
		if ty == irkit.TInt && r.Intn(2) == 0 {
			ofs += 4
		}
		if ty == irkit.TBool {
			ofs += irkit.Ref(r.Intn(8))
		}
	} else if len(g.pools[irkit.TPtr]) > 0 && r.Intn(3) == 0 {
		addr = pick(r, g.pools[irkit.TPtr])
	} else {
		var pooled bool
		addr, pooled = g.elemAddr()
		if pooled {
			g.add(irkit.TPtr, addr)
		}
	}
	store := r.Intn(3) == 0
	switch {
	case field && store:
		b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, g.fieldBase(&ofs), ofs), g.val(ty))
	case field:
		g.loaded(ty, b.Emit(irkit.FLOAD, ty, g.fieldBase(&ofs), ofs))
	case store:
		b.Emit(pick(r, []irkit.Op{irkit.ASTORE, irkit.XSTORE}), irkit.TVoid, addr, g.val(ty))
	default:
		g.loaded(ty, b.Emit(pick(r, []irkit.Op{irkit.ALOAD, irkit.XLOAD}), ty, addr, irkit.NoRef))
	}
	if store {
		g.dirty = true
	}
}

// elemAddr emits the address of an arena element in one of the shapes a
// lowering may fold into a memory operand (regalloc.Target.FusedAddr):
// the arena indexed by a masked int or i64; an earlier element's address
// with a constant index of 0 or 1; or a tagged value word whose payload
// is the element's index, indexing the arena's base biased by the tag
// (base - 8*BoxTag(0, tag) + 8*word, as demo-lang reaches its tables),
// through a BCAST. pooled reports an address at most at word
// ArenaWords-2, which later accesses may take as a base (fieldBase).
func (g *Gen) elemAddr() (addr irkit.Ref, pooled bool) {
	b, r := g.B, g.r
	k := 2
	if !g.Cfg.Plain {
		k = r.Intn(5)
	}
	switch k {
	case 0:
		if p := g.pools[irkit.TPtr]; len(p) > 0 {
			return b.Emit(irkit.AREF, irkit.TPtr, pick(r, p), b.KI64(int64(r.Intn(2)))), false
		}
	case 1:
		tag := uint64(1 + r.Intn(15))
		idx := b.Emit(irkit.BAND, irkit.TI64, g.val(irkit.TI64), b.KI64(ArenaWords-2))
		w := b.Emit(irkit.BOXP, irkit.TVal, idx, irkit.Ref(tag))
		base := b.Emit(irkit.ADD, irkit.TPtr, g.memK, b.KI64(-int64(8*irkit.DefaultBox.BoxTag(0, tag))))
		return b.Emit(irkit.AREF, irkit.TPtr, base, b.Emit(irkit.BCAST, irkit.TI64, w, irkit.NoRef)), true
	}
	ity := pick(r, intTypes)
	idx := b.Emit(irkit.BAND, ity, g.val(ity), b.K(ity, ArenaWords-2))
	return b.Emit(irkit.AREF, irkit.TPtr, g.memK, idx), true
}

// loaded adds the value v a load just gave, and sometimes checks,
// compares or unboxes a language value, or compares an integer with it,
// right away: the shapes a lowering may fuse with the load
// (regalloc.Target.FusedLoad, FusedLoad2).
func (g *Gen) loaded(ty irkit.Type, v irkit.Ref) {
	g.add(ty, v)
	if v == irkit.NoRef || g.Cfg.Plain {
		return
	}
	b, r := g.B, g.r
	if ty == irkit.TInt || ty == irkit.TI64 {
		// An integer compared with a field just loaded: a bounds check
		// (regalloc.Target.FusedLoad2).
		if b.T.Ins(v).Op == irkit.FLOAD && r.Intn(3) == 0 {
			g.guard(pick(r, cmpOps), g.val(ty), v)
		}
		return
	}
	if ty != irkit.TVal {
		return
	}
	switch r.Intn(4) {
	case 0:
		g.guard(irkit.ISNUM, v, irkit.NoRef)
	case 1:
		g.add(irkit.TNum, b.Emit(irkit.UNBOXN, irkit.TNum, v, irkit.NoRef))
	case 2:
		g.guard(pick(r, []irkit.Op{irkit.EQ, irkit.NE}), v, g.konst(irkit.TVal))
	}
}

// fieldBase is the object of a field access: the arena (a constant, so
// fold turns FREF into an address constant), or sometimes an array
// element's address computed at run time with a small offset, so FREF and
// FLOAD on a register survive.
func (g *Gen) fieldBase(ofs *irkit.Ref) irkit.Ref {
	if p := g.pools[irkit.TPtr]; len(p) > 0 && g.r.Intn(2) == 0 {
		*ofs = *ofs % 8
		if g.r.Intn(2) == 0 {
			*ofs += 8
		}
		return pick(g.r, p)
	}
	return g.memK
}

// inputs fills g.Slots and g.Mem with random words of the slot types.
func (g *Gen) inputs() {
	r := g.r
	word := func(ty irkit.Type) uint64 {
		switch ty {
		case irkit.TInt:
			return uint64(int64(r.Intn(41) - 20))
		case irkit.TI64:
			if r.Intn(4) == 0 {
				return uint64(pick(r, intK))
			}
			return uint64(int64(r.Intn(2001) - 1000))
		case irkit.TNum:
			if r.Intn(3) == 0 {
				return pick(r, numK)
			}
			return math.Float64bits(float64(r.Intn(2001)-1000) / 8)
		case irkit.TVal:
			if r.Intn(2) == 0 {
				return math.Float64bits(float64(r.Intn(100)))
			}
			return irkit.DefaultBox.BoxTag(uint64(r.Intn(1000)), uint64(r.Intn(4)))
		case irkit.TBool:
			return uint64(r.Intn(2)) << (8 * r.Intn(2)) // sometimes a nonzero upper byte only
		}
		return 0
	}
	g.Slots = resize(g.Slots, g.Cfg.Slots)
	for s := range g.Slots {
		g.Slots[s] = word(g.SlotT[s])
	}
	g.Slots[0] = uint64(int64(r.Intn(3) - 1))
	g.Mem = resize(g.Mem, ArenaWords)
	for i := range g.Mem {
		g.Mem[i] = word(pick(r, memTypes))
		if r.Intn(4) == 0 {
			g.Mem[i] = r.Uint64()
		}
	}
}
