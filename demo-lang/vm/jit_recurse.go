package vm

// -- Function traces and recursion ------------------------------------------------
//
// A function whose calls are hot (Proto.hotCall runs out at a Lua CALL)
// gets a function trace: recording starts at its first bytecode, with the
// new frame as the trace's base frame, and the trace is entered at every
// call of the function from then on (hotCall). Such a trace, and every
// side trace of it, ends in one of two ways besides the loops the others
// know:
//
//   - Up-recursion: a call from the base frame to the function itself.
//     Inlining it would unroll the recursion until the depth limit;
//     instead the trace pushes the callee's frame record itself, in
//     machine code, exactly as the interpreter's CALL does (recUpCall),
//     and ends with the callee at its first bytecode: that exit is linked
//     to the function trace, with the slots moved up to the callee's frame.
//   - Return below the base frame: a return from the frame the trace
//     started in, to a Lua caller stopped at a CALL with a fixed number
//     of results (recRetDown). The trace guards that the caller is the
//     closure and the CALL it saw while recording, reading the frame
//     records, pops the callee's record, moves the results into the
//     caller's slots and ends in the caller, after its CALL. A side trace
//     from that exit continues the caller; the link moves the slots down.
//
// So a recursive function runs as a handful of traces that call each
// other through links, with the frame records always as the interpreter
// would have them: a trace's base frame is always the top record when it
// runs, so exits, tracebacks, errors and the collector see exact frames,
// and Go rebuilds nothing for the frames machine code pushed. fib, for
// one, becomes the function trace (the test, the first recursive call),
// the return of a leaf, the second call after the first returned, the
// addition and return after the second, and the variants of the returns
// for the other CALL of the caller.
//
// Up-recursion is a function trace's tree's own. Side traces of loop
// trees return below their base frame the same way (a loop's exit that
// returns from the loop's function into a caller's loop), and every tree
// pushes the records of the frames it inlined before it links into a
// trace based in one (pushRecords): a call of a function trace, the
// loop of a function called again. A root loop trace that returns from
// its function still aborts (errReturn).

import (
	"strconv"
	"unsafe"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/irkit"
)

// Layout of the frame records traces push and pop.
var (
	frameWords = int64(unsafe.Sizeof(frame{}) / 8)
	offFrBase  = uint16(unsafe.Offsetof(frame{}.base))
	offFrFslot = uint16(unsafe.Offsetof(frame{}.fslot))
	offFrPC    = uint16(unsafe.Offsetof(frame{}.pc))
	offFrNres  = uint16(unsafe.Offsetof(frame{}.nres))
	offFrNvar  = uint16(unsafe.Offsetof(frame{}.nvar))
	offFrFn    = uint16(unsafe.Offsetof(frame{}.fn))
	offFrKind  = uint16(unsafe.Offsetof(frame{}.kind))
)

// funcPC is the pseudo back-edge pc that names p's function trace among
// its traces and start points: one past its last bytecode.
func funcPC(p *Proto) int { return len(p.code) }

// setHot sets the hot counter of the start point at pc of p: a loop's, or
// the function's calls for funcPC.
func setHot(p *Proto, pc int, v int64) {
	if pc == funcPC(p) {
		p.hotCall = int32(min(v, 1<<31-1))
		return
	}
	p.hot[pc] = int16(min(v, 1<<15-1))
}

// fnTree reports whether the recording belongs to a function trace's
// tree (the function trace itself or a side trace of it).
func (r *jrecorder) fnTree() bool { return r.loopPC == funcPC(r.root) }

// frameTop emits the loads of the frame records' address and count.
func (r *jrecorder) frameTop() (data, n irkit.Ref) {
	hdr := r.kptr(unsafe.Pointer(&r.L.frames))
	data = r.emit(irkit.FLOAD, irkit.TPtr, hdr, 0)
	n = r.emit(irkit.FLOAD, irkit.TI64, hdr, 8)
	return data, n
}

// frameAt returns the address of record n+d (d <= 0 from the top).
func (r *jrecorder) frameAt(data, n irkit.Ref, d int64) irkit.Ref {
	w := r.emit(irkit.MUL, irkit.TI64, n, r.b.KI64(frameWords))
	if d != 0 {
		w = r.emit(irkit.ADD, irkit.TI64, w, r.b.KI64(d*frameWords))
	}
	return r.emit(irkit.AREF, irkit.TPtr, data, w)
}

// store emits a store of v into the field at off of the record at p.
func (r *jrecorder) store(p irkit.Ref, off uint16, v irkit.Ref) {
	r.emit(irkit.FSTORE, irkit.TVoid, r.emit(irkit.FREF, irkit.TPtr, p, irkit.Ref(off)), v)
}

// guardProto guards that slot a holds a closure of np and returns its
// closure index (TI64).
func (r *jrecorder) guardProto(a int, np *Proto) irkit.Ref {
	L := r.L
	ref := r.slot(a)
	r.guard(irkit.ISTAG, ref, irkit.Ref(tagLFn))
	idx := r.emit(irkit.UNBOXP, irkit.TI64, ref, irkit.NoRef)
	fns := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&L.fns)), 0)
	clp := r.emit(irkit.ALOAD, irkit.TPtr, r.emit(irkit.AREF, irkit.TPtr, fns, idx), irkit.NoRef)
	pp := r.emit(irkit.FLOAD, irkit.TPtr, clp, irkit.Ref(offProto))
	r.guard(irkit.EQ, pp, r.kptr(unsafe.Pointer(np)))
	r.keep = append(r.keep, np)
	return idx
}

// guardSelf guards that slot a holds the running closure itself, if it
// does now and the running frame runs the function (fib calling fib
// through its upvalue), and returns its closure index; NoRef otherwise.
// The running frame's function slot holds a closure of r.p wherever the
// trace runs (the call or link that entered the frame guarded it), so
// one compare of the two words proves the callee's prototype, without
// guardProto's loads of the callee's closure. Another closure of the
// same function fails the guard, and the side trace from there guards
// its prototype.
func (r *jrecorder) guardSelf(fv Value, a int) irkit.Ref {
	if fv == r.pin {
		// The closure the trace specialized on: compare with it.
		r.guard(irkit.EQ, r.slot(a), r.kval(fv))
		return r.b.KI64(int64(fv.idx()))
	}
	if r.L.fns[fv.idx()].p != r.p || fv != r.live(-1) {
		return irkit.NoRef
	}
	self := r.r.Slot(0, irkit.TVal)
	r.guard(irkit.EQ, r.slot(a), self)
	return r.emit(irkit.UNBOXP, irkit.TI64, self, irkit.NoRef)
}

// isUpCall reports whether a CALL of fv from the current frame is
// up-recursion: the trace tree is a function trace's and fv is a closure
// of its function, called from the base frame or from a function the
// trace inlined (mutual recursion).
func (r *jrecorder) isUpCall(fv Value) bool {
	return r.fnTree() && fv.tag() == tagLFn && r.L.fns[fv.idx()].p == r.root
}

// recUpCall records a recursive call (isUpCall) at slot a with nargs
// arguments for nres results (-1: all) and ends the trace with the callee
// at its first bytecode. Frames the trace inlined on the way (mutual
// recursion: f inlines g, which calls f) get their records pushed first,
// as rebuildFrames would at an exit, then the callee's (pushRecords).
func (r *jrecorder) recUpCall(fv Value, a, pc, nargs, nres int) error {
	np := r.root
	if np.vararg {
		return errNYI("NYI: vararg call")
	}
	idx := r.guardSelf(fv, a)
	if idx == irkit.NoRef {
		idx = r.guardProto(a, np)
	}
	if err := r.pushRecords(pc+1, idx, a, nres); err != nil {
		return err
	}
	if err := r.enterCall(fv, np, idx, a, pc, nargs, nres); err != nil {
		return err
	}
	r.upDelta = r.r.Base()
	if r.parent != nil {
		r.link, r.delta = r.parent.root, r.upDelta
	}
	r.finish(0)
	return nil
}

// pushRecords emits the pushes of the frame records the interpreter
// would have at this point of the recording and State.frames does not:
// those of the frames the trace inlined above the innermost frame with a
// record (depth r.real), then, if callee is not NoRef, the record of the
// function the current frame calls at its slot a for nres results (callee
// is its closure index), at its first bytecode. The current frame's
// record gets curPC (the CALL's pc+1, or the loop start a link continues
// at). The guards come first: room for the records (below the slice's
// capacity and the frame limit) and room on the stack, as runTrace
// provides it; then the innermost frame that has a record gets its resume
// pc, and each new record is written as the interpreter's CALL writes it.
// The exit after them still lists these frames as inlined ones: if Go
// handles it, rebuildFrames drops the pushed records and pushes the same
// ones. Pushing nothing emits nothing.
func (r *jrecorder) pushRecords(curPC int, callee irkit.Ref, a, nres int) error {
	L := r.L
	type push struct {
		base, callA, nres, pc int // base relative to the innermost record's
		fn                    irkit.Ref
	}
	var pushes []push
	b0 := r.base
	if r.real < len(r.callers) {
		b0 = r.callers[r.real].base
	}
	for d := r.real + 1; d <= len(r.callers); d++ {
		c := r.callers[d-1] // the caller of the frame at depth d
		if c.callee == irkit.NoRef {
			return errNYI("NYI: recursion below a side trace's entry frames")
		}
		b, rpc := r.base, curPC
		if d < len(r.callers) {
			b, rpc = r.callers[d].base, r.callers[d].callPC+1
		}
		pushes = append(pushes, push{base: b - b0, callA: b - 1 - b0, nres: c.nres, pc: rpc, fn: c.callee})
	}
	if callee != irkit.NoRef {
		pushes = append(pushes, push{base: r.base - b0 + a + 1, callA: r.base - b0 + a, nres: nres, pc: 0, fn: callee})
	}
	if len(pushes) == 0 {
		return nil
	}
	topPC := curPC
	if r.real < len(r.callers) {
		topPC = r.callers[r.real].callPC + 1
	}
	k := int64(len(pushes))
	hdr := r.kptr(unsafe.Pointer(&L.frames))
	data, n := r.frameTop()
	capn := r.emit(irkit.FLOAD, irkit.TI64, hdr, 16)
	last := r.emit(irkit.ADD, irkit.TI64, n, r.b.KI64(k-1))
	r.guard(irkit.LT, last, capn)
	r.guard(irkit.LT, last, r.b.KI64(int64(L.maxFrames)))
	top := r.frameAt(data, n, -1)
	obase := r.emit(irkit.FLOAD, irkit.TInt, top, irkit.Ref(offFrBase))
	nb := r.emit(irkit.ADD, irkit.TInt, obase, r.b.KInt(int32(pushes[k-1].base)))
	need := r.emit(irkit.XLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&L.jit.stackNeed)), 0)
	hi := r.emit(irkit.ADD, irkit.TI64, r.emit(irkit.SEXT, irkit.TI64, nb, irkit.NoRef), need)
	slen := r.emit(irkit.FLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&L.stack)), 8)
	r.guard(irkit.LE, hi, slen)

	r.store(top, offFrPC, r.b.KInt(int32(topPC)))
	for i, f := range pushes {
		rec := r.frameAt(data, n, int64(i))
		r.store(rec, offFrBase, r.emit(irkit.ADD, irkit.TInt, obase, r.b.KInt(int32(f.base))))
		r.store(rec, offFrFslot, r.emit(irkit.ADD, irkit.TInt, obase, r.b.KInt(int32(f.callA))))
		r.store(rec, offFrPC, r.b.KInt(int32(f.pc)))
		r.store(rec, offFrNres, r.b.KInt(int32(f.nres)))
		r.store(rec, offFrNvar, r.b.KInt(0))
		r.store(rec, offFrFn, r.emit(irkit.TRUNC, irkit.TInt, f.fn, irkit.NoRef))
		r.store(rec, offFrKind, r.b.KInt(frLua))
	}
	r.store(hdr, 8, r.emit(irkit.ADD, irkit.TI64, n, r.b.KI64(k)))
	r.pushed = true
	return nil
}

// recRetDown records a return from the trace's base frame to its Lua
// caller and ends the trace there, after the caller's CALL. ins is the
// RET0/RET1/RET at slot a. It returns errReturn if the caller is not a
// Lua frame stopped at a CALL with a fixed number of results.
func (r *jrecorder) recRetDown(ins bytecode.Ins, a int) error {
	L := r.L
	f := &L.frames[r.ci]
	c, ok := L.callSiteAny(r.ci - 1)
	if !ok || f.kind != frLua {
		return errReturn
	}
	if L.upTop >= int64(r.base) {
		return errNYI("NYI: return closing upvalues")
	}
	rn := retCount(ins)
	var res [8]irkit.Ref
	want := c.nres
	if want < 0 {
		want = rn // all of them, and MULTRES is rn
		r.retMres = rn
	}
	if want > len(res) {
		return errNYI("NYI: many results")
	}
	for i := 0; i < want && i < rn; i++ {
		res[i] = r.slot(a + i)
	}
	data, n := r.frameTop()
	cur := r.frameAt(data, n, -1)
	r.guard(irkit.EQ, r.emit(irkit.FLOAD, irkit.TInt, cur, irkit.Ref(offFrKind)), r.b.KInt(frLua))
	// The caller's resume pc first: a recursion returns into two or
	// more CALLs of its function, and the side trace for another one
	// starts over at this RET, so the guard that fails in turn is the
	// cheapest to reach (the kind's guard comes before it because a
	// frame called from Go may have no record below its own).
	caller := r.frameAt(data, n, -2)
	r.guard(irkit.EQ, r.emit(irkit.FLOAD, irkit.TInt, caller, irkit.Ref(offFrPC)), r.b.KInt(int32(c.callPC+1)))
	// The caller's function by its prototype, not its closure: a
	// function made by a closure expression runs as a new closure per
	// evaluation (queens' place per solve), and the continuation after
	// the CALL guards what it needs of its closure itself.
	cfn := r.emit(irkit.FLOAD, irkit.TInt, caller, irkit.Ref(offFrFn))
	if c.p == r.p && L.frames[r.ci-1].fn == f.fn {
		// A recursion returning into its own closure: the returning
		// frame's record names a closure of r.p (the trace runs its
		// code), so the same closure index proves the caller's
		// prototype without loading its closure. Another closure of
		// the function fails, and the side trace from there guards
		// the prototype.
		r.guard(irkit.EQ, cfn, r.emit(irkit.FLOAD, irkit.TInt, cur, irkit.Ref(offFrFn)))
	} else {
		fns := r.emit(irkit.FLOAD, irkit.TPtr, r.kptr(unsafe.Pointer(&L.fns)), 0)
		cl := r.emit(irkit.AREF, irkit.TPtr, fns, r.emit(irkit.SEXT, irkit.TI64, cfn, irkit.NoRef))
		clp := r.emit(irkit.ALOAD, irkit.TPtr, cl, irkit.NoRef)
		r.guard(irkit.EQ, r.emit(irkit.FLOAD, irkit.TPtr, clp, irkit.Ref(offProto)), r.kptr(unsafe.Pointer(c.p)))
		r.keep = append(r.keep, c.p)
	}
	// No open upvalue of the frame to close (the interpreter's RET would).
	cbase := r.emit(irkit.FLOAD, irkit.TInt, cur, irkit.Ref(offFrBase))
	up := r.emit(irkit.XLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&L.upTop)), 0)
	r.guard(irkit.LT, up, r.emit(irkit.SEXT, irkit.TI64, cbase, irkit.NoRef))
	hdr := r.kptr(unsafe.Pointer(&L.frames))
	r.store(hdr, 8, r.emit(irkit.ADD, irkit.TI64, n, r.b.KI64(-1)))
	// The caller's slot callA is the callee's function slot: the trace's
	// slot 0. The callee's slots are dead.
	r.r.Drop(want)
	for i := 0; i < want; i++ {
		if i < rn {
			r.r.SetSlot(i, res[i])
		} else {
			r.r.SetSlot(i, r.kval(Nil))
		}
	}
	r.retDelta, r.retPC, r.retP = c.callA+1, c.callPC+1, c.p
	r.finish(c.callPC + 1)
	return nil
}

// retCount is the number of values a RET0/RET1/RET returns.
func retCount(ins bytecode.Ins) int {
	switch ins.Op() {
	case bytecode.RET0:
		return 0
	case bytecode.RET1:
		return 1
	}
	return ins.D() - 1
}

// hotCall is called when function p becomes hot (on entry, before its
// first instruction runs, with its frame pushed by a Lua CALL): it runs
// p's function trace if there is one, starts recording one if not. The
// interpreter reloads the frame afterwards.
func (L *State) hotCall(p *Proto) {
	j := L.jit
	if j == nil || L.jrec {
		return
	}
	fpc := funcPC(p)
	if t := j.find(p, fpc); t != nil {
		p.hotCall = 1 // come back at the next call
		L.runTrace(t)
		return
	}
	key := startKey(p, fpc)
	if j.starts.Blacklisted(key) || j.flushed[key] {
		p.hotCall = 1<<31 - 1
		return
	}
	if len(j.all) >= j.opts.Opt.MaxTrace && j.opts.Opt.MaxTrace > 0 {
		return
	}
	L.startRecording(p, fpc)
}

// kind says how a trace ends, for -jv and -jdump: "loop", the trace it
// links to, "up-recursion", "tail-recursion", "return" or "return -> N".
func (t *jtrace) kind() string {
	switch {
	case t.retDelta != 0 && t.link != nil:
		return "return -> " + strconv.Itoa(t.link.id)
	case t.retDelta != 0:
		return "return"
	case t.up:
		return "up-recursion"
	case t.tail:
		return "tail-recursion"
	case t.link != nil:
		return strconv.Itoa(t.link.id)
	}
	return "loop"
}

// Where a return continues. A trace that ends returning into its caller
// (recRetDown) resumes the caller after a CALL; if a side trace already
// starts there, in its base frame, the end is linked to it, so returns
// through a recursion take a few traces instead of growing a new chain
// of side traces for every path of the returns (fib's "add and return
// after the second call", returning into the same CALL of the caller,
// loops back into itself: LuaJIT calls that down-recursion). Such a side
// trace depends on nothing its parent knew: it loads and guards its slots
// like any trace and finds its frame as the interpreter has it.

// noteStart registers a side trace that starts in its base frame as a
// place returns can continue at. A trace that starts at a
// bytecode taking MULTRES (a TSETM after a return of all the results) is
// right only with the MULTRES it was recorded with, which is part of the
// key.
func (j *jitState) noteStart(t *jtrace) {
	if t.parent == nil || t.depth != 0 || t.deep || t.inherits {
		return
	}
	k := resumeKey(t.p, t.startPC, t.mresIn)
	if j.retStarts[k] == nil {
		j.retStarts[k] = t
	}
}

// resumeKey names a place a run can continue at: pc of p, with MULTRES
// mres there (-1: the bytecode does not take it).
func resumeKey(p *Proto, pc, mres int) uint64 {
	return startKey(p, pc) ^ uint64(mres+1)<<48
}

// linkReturn links the end of t, which returns into the caller at pc of
// p, to the side trace that starts there, if there is one.
func (j *jitState) linkReturn(t *jtrace, p *Proto, pc int) {
	to := j.retStarts[resumeKey(p, pc, t.retMres)]
	if to == nil || t.link != nil {
		return
	}
	t.link, t.delta = to, -t.retDelta
	j.link(t, len(t.exits)-1, to, LinkSpec{SlotsDelta: t.delta, Drop: true})
}

// recSetMulti records TSETM at slot a: the mres values from slot a go to
// the table in slot a-1 (a constructor's, so it has no metatable to ask:
// the stores are raw) from index knum d on. mres is the MULTRES the
// bytecode before left (recBuiltin, or the parent's return, recRetDown);
// an exit here hands it back to the interpreter.
func (r *jrecorder) recSetMulti(a, d, mres, pc int) error {
	if mres < 0 || r.mresA != a {
		return errNYI("NYI: TSETM")
	}
	tp, t, ok := r.tabPtr(a - 1)
	if !ok {
		return errNYI("NYI: TSETM")
	}
	r.mresAt = append(r.mresAt, jmres{r.p, pc, mres})
	start := int(r.p.N[d].Float())
	for i := 0; i < mres; i++ {
		li := start + i - 1
		if li >= 0 && li < len(t.arr) {
			r.emit(irkit.ASTORE, irkit.TVoid, r.arrRef(tp, r.b.KI64(int64(li)), -1), r.slot(a+i))
			continue
		}
		v, ok := r.word(a+i, false)
		if !ok {
			v = r.kval(Nil)
		}
		r.gcRoom()
		r.b.Call(r.L.jit.hTSet, r.emit(irkit.UNBOXP, irkit.TI64, r.slot(a-1), irkit.NoRef), r.kval(nv(float64(start+i))), v)
	}
	return nil
}

// recTailCall records a tail call (CALLT) of the Lua function in slot a
// with nargs arguments, as the interpreter runs it: the callee replaces
// the calling frame, taking its slots from the function slot on and its
// record (the caller, the results it wants); open upvalues of the frame
// would be closed first, so there must be none. In the trace's base frame
// of a function trace's tree the record is the running frame's own: the
// trace stores the callee's closure index into it, and a tail call of the
// function itself (tail recursion) ends the trace, linked to the function
// trace in the same frame. In an inlined frame (no record) the trace goes
// on in the callee. Anywhere else it is NYI: a loop trace's own frame
// would be left, and a side trace's entry frames keep records.
func (r *jrecorder) recTailCall(a, nargs int) error {
	L := r.L
	fv := r.live(a)
	if fv.tag() != tagLFn {
		return errNYI("NYI: tail call of a Go function")
	}
	np := L.fns[fv.idx()].p
	if np.vararg {
		return errNYI("NYI: vararg call")
	}
	base0 := len(r.callers) == 0
	switch {
	case base0 && !r.fnTree():
		return errNYI("NYI: tail call from the loop's function")
	case !base0 && (len(r.callers) <= r.real || len(r.callers) <= r.virt):
		return errNYI("NYI: tail call from a side trace's entry frame")
	case L.upTop >= int64(r.base):
		return errNYI("NYI: tail call closing upvalues")
	case !base0 && (np == r.p || r.tailed(np)):
		// Inlined, a tail recursion would unroll into the loop's trace.
		return errNYI("NYI: tail recursion in an inlined call")
	}
	idx := r.guardProto(a, np)
	var args [irkit.MaxArgs]irkit.Ref
	if nargs > len(args) {
		return errNYI("NYI: tail call with many arguments")
	}
	for i := 0; i < nargs; i++ {
		args[i] = r.slot(a + 1 + i)
	}
	fref := r.slot(a)
	if base0 {
		data, n := r.frameTop()
		cur := r.frameAt(data, n, -1)
		cbase := r.emit(irkit.FLOAD, irkit.TInt, cur, irkit.Ref(offFrBase))
		up := r.emit(irkit.XLOAD, irkit.TI64, r.kptr(unsafe.Pointer(&L.upTop)), 0)
		r.guard(irkit.LT, up, r.emit(irkit.SEXT, irkit.TI64, cbase, irkit.NoRef))
		r.store(cur, offFrFn, r.emit(irkit.TRUNC, irkit.TInt, idx, irkit.NoRef))
	}
	r.r.SetSlot(0, fref)
	for i := 0; i < nargs; i++ {
		r.set(i, args[i])
	}
	for i := nargs; i < np.nparams; i++ {
		r.set(i, r.kval(Nil))
	}
	r.p, r.fn = np, fv.idx()
	if !base0 {
		// The inlined frame now runs the callee: a record pushed for it
		// (pushRecords) names the callee's closure, as the interpreter's
		// CALLT leaves it.
		r.callers[len(r.callers)-1].callee = idx
	}
	if base0 && np == r.root {
		r.tailRec = true
		if r.parent != nil {
			r.link, r.delta = r.parent.root, 0
		}
		r.finish(0)
	}
	return nil
}

// tailed reports whether the recording made an inlined tail call of np
// already, and notes that it makes one now.
func (r *jrecorder) tailed(np *Proto) bool {
	for _, p := range r.tails {
		if p == np {
			return true
		}
	}
	r.tails = append(r.tails, np)
	return false
}
