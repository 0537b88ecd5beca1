package regalloc

import (
	"math"
	"math/rand"

	"github.com/jitkit/jitkit/irkit"
)

// -- Random traces ------------------------------------------------------------

// genCfg shapes a random trace.
type genCfg struct {
	n     int  // instructions to try to emit (before and in the loop)
	loop  bool // peel into LOOP + body + PHIs
	calls bool // emit helper calls
	slots int  // interpreter slots; the first half hold ints, the rest floats
	snaps int  // percent of guards that get a fresh snapshot
	live  int  // how many recent values operands are drawn from (pressure)
	tail  int  // loop: guard-free steps after the body's last guard, then the loop snapshot
}

var testHelpers = func() *irkit.Helpers {
	hs := &irkit.Helpers{}
	mustReg := func(h irkit.Helper) {
		if _, err := hs.Register(h); err != nil {
			panic(err)
		}
	}
	mustReg(irkit.Helper{Name: "mix3", Args: []irkit.Type{irkit.TInt, irkit.TInt, irkit.TInt}, Result: irkit.TInt, Pure: true,
		Fn: func(a []uint64) uint64 { return uint64(int64(int32(a[0]*3 + a[1]*5 - a[2]))) }})
	mustReg(irkit.Helper{Name: "fmix", Args: []irkit.Type{irkit.TNum, irkit.TInt, irkit.TNum}, Result: irkit.TNum, Pure: false,
		Fn: func(a []uint64) uint64 {
			return math.Float64bits(math.Float64frombits(a[0])*0.5 + float64(int32(a[1])) - math.Float64frombits(a[2]))
		}})
	mustReg(irkit.Helper{Name: "many", Args: []irkit.Type{irkit.TInt, irkit.TNum, irkit.TInt, irkit.TInt, irkit.TNum, irkit.TInt}, Result: irkit.TInt, Pure: true,
		Fn: func(a []uint64) uint64 {
			return uint64(int64(int32(a[0] ^ a[2] + a[3]*7 - a[5] + uint64(int64(math.Float64frombits(a[1]+a[4]))))))
		}})
	return hs
}()

type gen struct {
	rng  *rand.Rand
	b    *irkit.Builder
	tr   *irkit.Trace
	cfg  genCfg
	ints []irkit.Ref
	nums []irkit.Ref
	pc   uint64
}

func (g *gen) pickFrom(vs []irkit.Ref) irkit.Ref {
	n := len(vs)
	w := g.cfg.live
	if w <= 0 || w > n {
		w = n
	}
	if g.rng.Intn(4) == 0 {
		return vs[g.rng.Intn(n)]
	}
	return vs[n-1-g.rng.Intn(w)]
}

func (g *gen) intOp() irkit.Ref {
	if g.rng.Intn(6) == 0 {
		return g.b.KInt(int32(g.rng.Intn(200) - 50))
	}
	if g.rng.Intn(40) == 0 {
		return g.b.KInt(int32(g.rng.Uint32()))
	}
	return g.pickFrom(g.ints)
}

func (g *gen) numOp() irkit.Ref {
	if g.rng.Intn(8) == 0 {
		return g.b.KNum(float64(g.rng.Intn(100)) / 8)
	}
	return g.pickFrom(g.nums)
}

// snap adds a snapshot whose entries map some slots to live values.
func (g *gen) snap() {
	var es []irkit.SnapEntry
	for s := 0; s < g.cfg.slots; s++ {
		if g.rng.Intn(2) == 0 {
			continue
		}
		var r irkit.Ref
		if s < g.cfg.slots/2 {
			r = g.pickFrom(g.ints)
		} else {
			r = g.pickFrom(g.nums)
		}
		es = append(es, irkit.MakeEntry(s, r, 0))
	}
	g.pc++
	if _, err := g.tr.AddSnap(g.pc, g.cfg.slots, es, nil); err != nil {
		panic(err)
	}
}

var intOps = []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.BAND, irkit.BOR, irkit.BXOR,
	irkit.BSHL, irkit.BSHR, irkit.BSAR, irkit.BROL, irkit.DIV, irkit.MOD, irkit.MIN, irkit.MAX}
var numOps = []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.DIV, irkit.MIN, irkit.MAX, irkit.POW, irkit.MOD}
var cmpOps = []irkit.Op{irkit.LT, irkit.GE, irkit.LE, irkit.GT, irkit.NE, irkit.ULT, irkit.UGE}

// step emits one random instruction.
func (g *gen) step() {
	b := g.b
	var r irkit.Ref
	isNum := false
	switch k := g.rng.Intn(100); {
	case k < 40:
		r = b.Arith(intOps[g.rng.Intn(len(intOps))], irkit.TInt, g.intOp(), g.intOp())
	case k < 60:
		r = b.Arith(numOps[g.rng.Intn(len(numOps))], irkit.TNum, g.numOp(), g.numOp())
		isNum = true
	case k < 65:
		r = b.Unary([]irkit.Op{irkit.NEG, irkit.ABS, irkit.SQRT, irkit.FLOOR}[g.rng.Intn(4)], irkit.TNum, g.numOp())
		isNum = true
	case k < 70:
		r = b.Unary(irkit.ITOF, irkit.TNum, g.intOp())
		isNum = true
	case k < 74:
		r = b.Unary(irkit.FTOI, irkit.TInt, g.numOp())
	case k < 78:
		r = b.Unary([]irkit.Op{irkit.NEG, irkit.BNOT}[g.rng.Intn(2)], irkit.TInt, g.intOp())
	case k < 84:
		if g.rng.Intn(100) < g.cfg.snaps {
			g.snap()
		}
		// Guards that usually hold: compare against a wide bound.
		x := g.intOp()
		if g.rng.Intn(2) == 0 {
			b.Guard(irkit.LT, x, b.KInt(int32(1<<30+g.rng.Intn(1000))))
		} else {
			b.Guard(cmpOps[g.rng.Intn(len(cmpOps))], x, g.intOp())
		}
		return
	case k < 88:
		if g.rng.Intn(100) < g.cfg.snaps {
			g.snap()
		}
		r = b.Arith([]irkit.Op{irkit.ADDOV, irkit.SUBOV}[g.rng.Intn(2)], irkit.TInt, g.intOp(), g.intOp())
	case k < 92 && g.cfg.calls:
		switch g.rng.Intn(3) {
		case 0:
			r = b.Call(0, g.intOp(), g.intOp(), g.intOp())
		case 1:
			r = b.Call(1, g.numOp(), g.intOp(), g.numOp())
			isNum = true
		default:
			r = b.Call(2, g.intOp(), g.numOp(), g.intOp(), g.intOp(), g.numOp(), g.intOp())
		}
	case k < 93:
		// A slot read as a language value, checked and unboxed: the
		// shape amd64 fuses (FusedLoad). Int slots hold words that are
		// numbers or, when negative, tagged values the guard rejects.
		v := b.SLoad(g.rng.Intn(g.cfg.slots), irkit.TVal)
		if g.rng.Intn(100) < g.cfg.snaps {
			g.snap()
		}
		switch g.rng.Intn(3) {
		case 0: // a compare with a word an immediate cannot hold
			b.Guard(irkit.NE, v, b.KVal(0xfff9000000000000))
		case 1: // and with one it can
			b.Guard(irkit.NE, v, b.KVal(uint64(g.rng.Intn(3))))
		}
		b.Guard(irkit.ISNUM, v, irkit.NoRef)
		r = b.Unary(irkit.UNBOXN, irkit.TNum, v)
		isNum = true
	case k < 96:
		s := g.rng.Intn(g.cfg.slots / 2)
		b.Emit(irkit.SSTORE, irkit.TInt, irkit.Ref(s), g.intOp())
		return
	default:
		s := g.rng.Intn(g.cfg.slots)
		if s < g.cfg.slots/2 {
			r = b.SLoad(s, irkit.TInt)
		} else {
			r = b.SLoad(s, irkit.TNum)
			isNum = true
		}
	}
	if r == irkit.NoRef || b.Err() != nil {
		return
	}
	if isNum {
		g.nums = append(g.nums, r)
	} else {
		g.ints = append(g.ints, r)
	}
}

// genTrace builds a random trace; it returns nil if the builder gave up
// (a guard that always fails).
func genTrace(rng *rand.Rand, cfg genCfg) *irkit.Trace {
	tr := irkit.NewTrace(cfg.n * 2)
	tr.Helpers = testHelpers
	g := &gen{rng: rng, b: irkit.NewBuilder(tr), tr: tr, cfg: cfg}
	for s := 0; s < cfg.slots; s++ {
		if s < cfg.slots/2 {
			g.ints = append(g.ints, g.b.SLoad(s, irkit.TInt))
		} else {
			g.nums = append(g.nums, g.b.SLoad(s, irkit.TNum))
		}
	}
	g.snap()
	pre := cfg.n
	if cfg.loop {
		pre = cfg.n / 3
	}
	for i := 0; i < pre && g.b.Err() == nil; i++ {
		g.step()
	}
	if cfg.loop && g.b.Err() == nil {
		g.loop()
	}
	if g.b.Err() != nil {
		return nil
	}
	return tr
}

// loop emits LOOP, a body over loop-carried values, and the PHIs. A
// counter bounds the iterations.
func (g *gen) loop() {
	b := g.b
	// The counter and a few carried values, taken from the pre-loop part.
	i := b.Arith(irkit.ADD, irkit.TInt, g.ints[g.rng.Intn(len(g.ints))], b.KInt(1))
	i = b.Arith(irkit.BAND, irkit.TInt, i, b.KInt(7))
	g.ints = append(g.ints, i)
	g.snap()
	b.Emit(irkit.LOOP, irkit.TVoid, 0, 0)
	var lefts []irkit.Ref
	nphi := 1 + g.rng.Intn(5)
	for k := 0; k < nphi; k++ {
		if g.rng.Intn(2) == 0 && len(g.nums) > 0 {
			lefts = append(lefts, g.nums[len(g.nums)-1-g.rng.Intn(min(len(g.nums), 6))])
		} else {
			lefts = append(lefts, g.ints[len(g.ints)-1-g.rng.Intn(min(len(g.ints), 6))])
		}
	}
	lefts = dedup(append(lefts, i))
	for k := 0; k < len(lefts); k++ {
		if !lefts[k].IsIns() {
			lefts = append(lefts[:k], lefts[k+1:]...)
			k--
		}
	}
	g.ints = append(g.ints, i)
	body := g.cfg.n - g.cfg.n/3
	for k := 0; k < body && b.Err() == nil; k++ {
		g.step()
	}
	g.snap()
	i2 := b.Arith(irkit.ADD, irkit.TInt, i, b.KInt(1))
	b.Guard(irkit.LT, i2, b.KInt(20))
	if g.cfg.tail > 0 {
		// Values computed after the last guard and written to slots by
		// the loop snapshot only: the back edge's exit is their one use.
		for k := 0; k < g.cfg.tail && b.Err() == nil; k++ {
			g.pure()
		}
		g.snap()
	}
	for _, l := range lefts {
		var right irkit.Ref
		switch {
		case l == i:
			right = i2
		case g.rng.Intn(8) == 0:
			// A swap-like shape: right is another carried value.
			right = lefts[g.rng.Intn(len(lefts))]
		case isNumRef(g.tr, l):
			right = g.pickFrom(g.nums)
		default:
			right = g.pickFrom(g.ints)
		}
		if isNumRef(g.tr, right) != isNumRef(g.tr, l) || right == l {
			continue
		}
		b.Emit(irkit.PHI, g.tr.Ins(l).T, l, right)
	}
}

func isNumRef(tr *irkit.Trace, r irkit.Ref) bool { return tr.Ins(r).T.Base() == irkit.TNum }

func dedup(rs []irkit.Ref) []irkit.Ref {
	out := rs[:0]
	for _, r := range rs {
		seen := false
		for _, o := range out {
			seen = seen || o == r
		}
		if !seen {
			out = append(out, r)
		}
	}
	return out
}

// recordedLoops builds looping traces the way a recorder does (slot loads,
// arithmetic, guards, a loop snapshot) and lets irkit's loop optimization
// peel them into LOOP, body and PHIs.
func recordedLoops(t interface{ Fatal(...any) }) []*irkit.Trace {
	var out []*irkit.Trace
	for seed := int64(0); len(out) < 4 && seed < 200; seed++ {
		if tr := recordLoop(rand.New(rand.NewSource(seed)), 20+int(seed%5)*20); tr != nil {
			out = append(out, tr)
		}
	}
	return out
}

// recordLoop records a random loop body over slots 0..3 (ints, slot 0 the
// counter) and 4..7 (floats) and loop-optimizes it; nil if irkit refuses.
func recordLoop(rng *rand.Rand, n int) *irkit.Trace {
	tr := recordLoopRaw(rng, n)
	if tr == nil {
		return nil
	}
	b := irkit.NewBuilder(tr)
	if err := b.LoopOpt(); err != nil {
		return nil
	}
	return tr
}

// recordLoopRaw is recordLoop without the loop optimization: a Looping
// trace.
func recordLoopRaw(rng *rand.Rand, n int) *irkit.Trace { return recordLoopTail(rng, n, 0) }

// recordTailLoop is recordLoop with tail guard-free steps after the last
// guard (see recordLoopTail).
func recordTailLoop(rng *rand.Rand, n, tail int) *irkit.Trace {
	tr := recordLoopTail(rng, n, tail)
	if tr == nil || irkit.NewBuilder(tr).LoopOpt() != nil {
		return nil
	}
	return tr
}

// recordLoopTail records a Looping trace as recordLoopRaw does; with tail
// > 0, slots 3 and 7 are written but never read (the body does not carry
// them) and tail guard-free steps follow the last guard: the loop
// snapshot puts their values in slots 3 and 7 (and maybe others), as a
// recorder does for "x = a * 0.75" at the end of a loop body.
func recordLoopTail(rng *rand.Rand, n, tail int) *irkit.Trace {
	tr := irkit.NewTrace(4 * (n + tail))
	tr.Helpers = testHelpers
	b := irkit.NewBuilder(tr)
	g := &gen{rng: rng, b: b, tr: tr, cfg: genCfg{n: n, slots: 8, snaps: 30, live: 12}}
	for s := 0; s < 8; s++ {
		switch {
		case tail > 0 && (s == 3 || s == 7):
		case s < 4:
			g.ints = append(g.ints, b.SLoad(s, irkit.TInt))
		default:
			g.nums = append(g.nums, b.SLoad(s, irkit.TNum))
		}
	}
	g.snap()
	for i := 0; i < n && b.Err() == nil; i++ {
		g.arith()
	}
	// i = i + 1; guard i < 40; the loop snapshot writes every slot.
	i1 := b.Arith(irkit.ADD, irkit.TInt, g.ints[0], b.KInt(1))
	b.Guard(irkit.LT, i1, b.KInt(40))
	for k := 0; k < tail && b.Err() == nil; k++ {
		g.pure()
	}
	var es []irkit.SnapEntry
	es = append(es, irkit.MakeEntry(0, i1, 0))
	for s := 1; s < 8; s++ {
		switch {
		case tail > 0 && s == 3:
			es = append(es, irkit.MakeEntry(s, g.ints[len(g.ints)-1], 0))
		case tail > 0 && s == 7:
			es = append(es, irkit.MakeEntry(s, g.nums[len(g.nums)-1], 0))
		case s < 4:
			es = append(es, irkit.MakeEntry(s, g.ints[len(g.ints)-1-rng.Intn(min(3, len(g.ints)))], 0))
		default:
			es = append(es, irkit.MakeEntry(s, g.nums[len(g.nums)-1-rng.Intn(min(3, len(g.nums)))], 0))
		}
	}
	if _, err := tr.AddSnap(99, 8, es, nil); err != nil || b.Err() != nil {
		return nil
	}
	tr.Looping = true
	return tr
}

// arith emits a random pure instruction (no stores: loop optimization
// wants slots written only through the loop snapshot).
func (g *gen) arith() {
	b := g.b
	var r irkit.Ref
	isNum := false
	switch k := g.rng.Intn(100); {
	case k < 45:
		r = b.Arith(intOps[g.rng.Intn(len(intOps))], irkit.TInt, g.intOp(), g.intOp())
	case k < 75:
		r = b.Arith(numOps[g.rng.Intn(len(numOps)-2)], irkit.TNum, g.numOp(), g.numOp())
		isNum = true
	case k < 82:
		r = b.Unary(irkit.ITOF, irkit.TNum, g.intOp())
		isNum = true
	case k < 90:
		if g.rng.Intn(100) < g.cfg.snaps {
			g.snap()
		}
		b.Guard(irkit.LT, g.intOp(), b.KInt(int32(1<<30+g.rng.Intn(1000))))
		return
	default:
		if g.rng.Intn(100) < g.cfg.snaps {
			g.snap()
		}
		r = b.Arith(irkit.ADDOV, irkit.TInt, g.intOp(), g.intOp())
	}
	if r == irkit.NoRef || b.Err() != nil {
		return
	}
	if isNum {
		g.nums = append(g.nums, r)
	} else {
		g.ints = append(g.ints, r)
	}
}

// pure emits a random instruction that is not a guard.
func (g *gen) pure() {
	b := g.b
	if g.rng.Intn(2) == 0 {
		op := []irkit.Op{irkit.ADD, irkit.SUB, irkit.MUL, irkit.BXOR, irkit.MIN, irkit.MAX}[g.rng.Intn(6)]
		if r := b.Arith(op, irkit.TInt, g.intOp(), g.intOp()); r != irkit.NoRef && b.Err() == nil {
			g.ints = append(g.ints, r)
		}
		return
	}
	var r irkit.Ref
	if g.rng.Intn(4) == 0 {
		r = b.Unary(irkit.ITOF, irkit.TNum, g.intOp())
	} else {
		op := []irkit.Op{irkit.ADD, irkit.MUL, irkit.MAX}[g.rng.Intn(3)]
		r = b.Arith(op, irkit.TNum, g.numOp(), g.numOp())
	}
	if r != irkit.NoRef && b.Err() == nil {
		g.nums = append(g.nums, r)
	}
}
