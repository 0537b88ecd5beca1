package vm

import (
	"math"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
)

// -- The interpreter loop -----------------------------------------------------
//
// execute runs the Lua frame on top of L.frames (an frEntry frame) and every
// Lua frame it calls, until that entry frame returns. Lua-to-Lua calls and
// returns stay inside this one loop (no Go recursion); Go functions are
// called directly; metamethods and Go functions that call back into Lua
// re-enter execute recursively, bounded by maxCCalls.
//
// The loop keeps the machine state in locals: code (the running
// prototype's instructions), pc, base and regs (= stack[base:]). Every
// operation that can call out (a slow path, a metamethod, a Go function)
// first saves pc into the frame record, so errors know their line, and
// afterwards reloads stack/regs because the stack may have been grown.

const (
	lfnHi = (boxBase | tagLFn<<tagShift) >> tagShift
	gfnHi = (boxBase | tagGFn<<tagShift) >> tagShift
	tabHi = (boxBase | tagTab<<tagShift) >> tagShift
	strHi = (boxBase | tagStr<<tagShift) >> tagShift

	hotLoopCount = 56 // back edges before hotLoop fires (LuaJIT's default hotloop)
	hotCallCount = 112
)

// priValue maps a KPRI/ISEQP operand (0 nil, 1 false, 2 true) to its Value.
func priValue(d uint32) Value { return Value(boxBase | uint64(d+1)<<tagShift) }

func jumpOff(ins bytecode.Ins) int { return int(ins>>16) - bytecode.JumpBias }

// execute is two nested loops. The outer one (frame) loads the running
// frame's state into locals: it runs at entry, after every call and return
// and after any slow path that may have moved the stack (stackGen
// changed). The inner one (the dispatch loop) only advances pc, so the
// frame state is loop-invariant there and the Go compiler does not shuffle
// it around at every instruction.
func (L *State) execute() {
	multres := 0
frame:
	for {
		if L.exitMres >= 0 {
			// A trace run by hotCall exited at a CALLM it ran (see
			// exitMultres).
			multres = L.takeMultres(multres)
		}
		ci := len(L.frames) - 1
		fr := &L.frames[ci]
		cl := L.fns[fr.fn]
		p := cl.p
		code := p.code
		kstr := p.K
		knum := p.N
		hints := p.hint
		base := int(fr.base)
		pc := int(fr.pc)
		regs := L.stack[base:]
		gen := L.stackGen

		for {
			if L.jrec { // a trace is being recorded: one predictable branch
				L.recordIns(pc)
			}
			ins := code[pc]
			pc++
			a := int(ins>>8) & 0xff
			switch bytecode.Op(ins & 0xff) {

			// -- Comparisons --------------------------------------------------
			case bytecode.ISLT, bytecode.ISGE:
				x, y := regs[a], regs[int(ins>>16)]
				var c bool
				if x < numLimit && y < numLimit {
					c = x.Float() < y.Float()
				} else {
					L.frames[ci].pc = int32(pc)
					c = L.lessThan(x, y)
				}
				if c == (bytecode.Op(ins&0xff) == bytecode.ISLT) {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
				if L.stackGen != gen {
					L.frames[ci].pc = int32(pc)
					continue frame
				}
			case bytecode.ISLE, bytecode.ISGT:
				x, y := regs[a], regs[int(ins>>16)]
				var c bool
				if x < numLimit && y < numLimit {
					c = x.Float() <= y.Float()
				} else {
					L.frames[ci].pc = int32(pc)
					c = L.lessEqual(x, y)
				}
				if c == (bytecode.Op(ins&0xff) == bytecode.ISLE) {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
				if L.stackGen != gen {
					L.frames[ci].pc = int32(pc)
					continue frame
				}
			case bytecode.ISEQV, bytecode.ISNEV:
				x, y := regs[a], regs[int(ins>>16)]
				var c bool
				if x < numLimit && y < numLimit {
					c = x.Float() == y.Float()
				} else if x == y {
					c = true
				} else if x>>tagShift == tabHi && y>>tagShift == tabHi {
					L.frames[ci].pc = int32(pc)
					c = L.equalMeta(x, y)
				}
				if c == (bytecode.Op(ins&0xff) == bytecode.ISEQV) {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
				if L.stackGen != gen {
					L.frames[ci].pc = int32(pc)
					continue frame
				}
			case bytecode.ISEQS:
				if regs[a] == kstr[ins>>16] {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISNES:
				if regs[a] != kstr[ins>>16] {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISEQN:
				if x := regs[a]; x < numLimit && x.Float() == knum[ins>>16].Float() {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISNEN:
				if x := regs[a]; !(x < numLimit && x.Float() == knum[ins>>16].Float()) {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISEQP:
				if regs[a] == priValue(uint32(ins>>16)) {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISNEP:
				if regs[a] != priValue(uint32(ins>>16)) {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}

			// -- Unary tests ----------------------------------------------------
			case bytecode.ISTC:
				if v := regs[int(ins>>16)]; v != Nil && v != False {
					regs[a] = v
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISFC:
				if v := regs[int(ins>>16)]; v == Nil || v == False {
					regs[a] = v
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.IST:
				if v := regs[int(ins>>16)]; v != Nil && v != False {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}
			case bytecode.ISF:
				if v := regs[int(ins>>16)]; v == Nil || v == False {
					pc += jumpOff(code[pc]) + 1
				} else {
					pc++
				}

			// -- Unary operations -------------------------------------------------
			case bytecode.MOV:
				regs[a] = regs[int(ins>>16)]
			case bytecode.NOT:
				if v := regs[int(ins>>16)]; v == Nil || v == False {
					regs[a] = True
				} else {
					regs[a] = False
				}
			case bytecode.UNM:
				d := int(ins >> 16)
				if v := regs[d]; v < numLimit {
					regs[a] = nv(-v.Float())
				} else {
					L.frames[ci].pc = int32(pc)
					r := L.arithSlow(tmUnm, v, v, d, d)
					L.stack[base+a] = r
					if L.stackGen != gen {
						continue frame
					}
				}
			case bytecode.LEN:
				d := int(ins >> 16)
				v := regs[d]
				if v>>tagShift == strHi {
					regs[a] = nv(float64(len(L.strs[v.idx()])))
				} else if v>>tagShift == tabHi {
					regs[a] = nv(float64(L.tabs[v.idx()].length()))
				} else {
					L.frames[ci].pc = int32(pc)
					r := L.lenSlow(v, d)
					L.stack[base+a] = r
					if L.stackGen != gen {
						continue frame
					}
				}

			// -- Arithmetic -------------------------------------------------------
			case bytecode.ADDVN:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(x.Float() + knum[ins>>16&0xff].Float())
				} else if L.arithOp(ci, pc, a, tmAdd, x, knum[ins>>16&0xff], b, -1) != gen {
					continue frame
				}
			case bytecode.SUBVN:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(x.Float() - knum[ins>>16&0xff].Float())
				} else if L.arithOp(ci, pc, a, tmSub, x, knum[ins>>16&0xff], b, -1) != gen {
					continue frame
				}
			case bytecode.MULVN:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(x.Float() * knum[ins>>16&0xff].Float())
				} else if L.arithOp(ci, pc, a, tmMul, x, knum[ins>>16&0xff], b, -1) != gen {
					continue frame
				}
			case bytecode.DIVVN:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(x.Float() / knum[ins>>16&0xff].Float())
				} else if L.arithOp(ci, pc, a, tmDiv, x, knum[ins>>16&0xff], b, -1) != gen {
					continue frame
				}
			case bytecode.MODVN:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(luaMod(x.Float(), knum[ins>>16&0xff].Float()))
				} else if L.arithOp(ci, pc, a, tmMod, x, knum[ins>>16&0xff], b, -1) != gen {
					continue frame
				}
			case bytecode.ADDNV:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(knum[ins>>16&0xff].Float() + x.Float())
				} else if L.arithOp(ci, pc, a, tmAdd, knum[ins>>16&0xff], x, -1, b) != gen {
					continue frame
				}
			case bytecode.SUBNV:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(knum[ins>>16&0xff].Float() - x.Float())
				} else if L.arithOp(ci, pc, a, tmSub, knum[ins>>16&0xff], x, -1, b) != gen {
					continue frame
				}
			case bytecode.MULNV:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(knum[ins>>16&0xff].Float() * x.Float())
				} else if L.arithOp(ci, pc, a, tmMul, knum[ins>>16&0xff], x, -1, b) != gen {
					continue frame
				}
			case bytecode.DIVNV:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(knum[ins>>16&0xff].Float() / x.Float())
				} else if L.arithOp(ci, pc, a, tmDiv, knum[ins>>16&0xff], x, -1, b) != gen {
					continue frame
				}
			case bytecode.MODNV:
				b := int(ins >> 24)
				if x := regs[b]; x < numLimit {
					regs[a] = nv(luaMod(knum[ins>>16&0xff].Float(), x.Float()))
				} else if L.arithOp(ci, pc, a, tmMod, knum[ins>>16&0xff], x, -1, b) != gen {
					continue frame
				}
			case bytecode.ADDVV:
				b, c := int(ins>>24), int(ins>>16&0xff)
				if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
					regs[a] = nv(x.Float() + y.Float())
				} else if L.arithOp(ci, pc, a, tmAdd, x, y, b, c) != gen {
					continue frame
				}
			case bytecode.SUBVV:
				b, c := int(ins>>24), int(ins>>16&0xff)
				if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
					regs[a] = nv(x.Float() - y.Float())
				} else if L.arithOp(ci, pc, a, tmSub, x, y, b, c) != gen {
					continue frame
				}
			case bytecode.MULVV:
				b, c := int(ins>>24), int(ins>>16&0xff)
				if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
					regs[a] = nv(x.Float() * y.Float())
				} else if L.arithOp(ci, pc, a, tmMul, x, y, b, c) != gen {
					continue frame
				}
			case bytecode.DIVVV:
				b, c := int(ins>>24), int(ins>>16&0xff)
				if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
					regs[a] = nv(x.Float() / y.Float())
				} else if L.arithOp(ci, pc, a, tmDiv, x, y, b, c) != gen {
					continue frame
				}
			case bytecode.MODVV:
				b, c := int(ins>>24), int(ins>>16&0xff)
				if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
					regs[a] = nv(luaMod(x.Float(), y.Float()))
				} else if L.arithOp(ci, pc, a, tmMod, x, y, b, c) != gen {
					continue frame
				}
			case bytecode.POW:
				b, c := int(ins>>24), int(ins>>16&0xff)
				if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
					regs[a] = nv(math.Pow(x.Float(), y.Float()))
				} else if L.arithOp(ci, pc, a, tmPow, x, y, b, c) != gen {
					continue frame
				}
			case bytecode.CAT:
				b, c := int(ins>>24), int(ins>>16&0xff)
				L.frames[ci].pc = int32(pc)
				r := L.concat(base+b, base+c)
				L.stack[base+a] = r
				if L.memBytes >= L.gcNext {
					L.collect(base + p.fs)
				}
				if L.stackGen != gen {
					continue frame
				}

			// -- Constants ---------------------------------------------------------
			case bytecode.KSTR:
				regs[a] = kstr[ins>>16]
			case bytecode.KSHORT:
				regs[a] = nv(float64(int16(uint16(ins >> 16))))
			case bytecode.KNUM:
				regs[a] = knum[ins>>16]
			case bytecode.KPRI:
				regs[a] = priValue(uint32(ins >> 16))
			case bytecode.KNIL:
				for i, d := a, int(ins>>16); i <= d; i++ {
					regs[i] = Nil
				}

			// -- Upvalues and closures ---------------------------------------------
			case bytecode.UGET:
				u := cl.up[ins>>16]
				if u.idx >= 0 {
					regs[a] = L.stack[u.idx]
				} else {
					regs[a] = u.v
				}
			case bytecode.USETV:
				u := cl.up[a]
				if u.idx >= 0 {
					L.stack[u.idx] = regs[int(ins>>16)]
				} else {
					u.v = regs[int(ins>>16)]
				}
			case bytecode.USETS:
				u := cl.up[a]
				if u.idx >= 0 {
					L.stack[u.idx] = kstr[ins>>16]
				} else {
					u.v = kstr[ins>>16]
				}
			case bytecode.USETN:
				u := cl.up[a]
				if u.idx >= 0 {
					L.stack[u.idx] = knum[ins>>16]
				} else {
					u.v = knum[ins>>16]
				}
			case bytecode.USETP:
				u := cl.up[a]
				if u.idx >= 0 {
					L.stack[u.idx] = priValue(uint32(ins >> 16))
				} else {
					u.v = priValue(uint32(ins >> 16))
				}
			case bytecode.UCLO:
				if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= base+a {
					L.closeUpvals(base + a)
				}
				pc += jumpOff(ins)
			case bytecode.FNEW:
				np := p.protos[ins>>16]
				v, ncl := L.newClosure(np)
				for i := range np.bp.Upvals {
					ud := &np.bp.Upvals[i]
					if ud.FromLocal {
						ncl.up[i] = L.findUpval(base + ud.Index)
					} else {
						ncl.up[i] = cl.up[ud.Index]
					}
				}
				regs[a] = v
				if L.memBytes >= L.gcNext {
					L.frames[ci].pc = int32(pc)
					L.collect(base + p.fs)
				}

			// -- Tables --------------------------------------------------------------
			case bytecode.TNEW:
				d := int(ins >> 16)
				nh := d >> 11
				if nh > 0 {
					nh = 1 << (nh - 1)
				}
				v, _ := L.newTableValue(d&0x7ff, nh)
				regs[a] = v
				if L.memBytes >= L.gcNext {
					L.frames[ci].pc = int32(pc)
					L.collect(base + p.fs)
				}
			case bytecode.GGET:
				k := kstr[ins>>16]
				h, G := &hints[pc-1].own, L.G
				var v Value
				if i := uint(*h); i < uint(len(G.node)) && G.node[i].key == k {
					v = G.node[i].val
				} else {
					v = G.getStrHint(k, h)
				}
				if v == Nil && L.G.mt != 0 {
					L.frames[ci].pc = int32(pc)
					v = L.index(L.globals, k, -1)
					L.stack[base+a] = v
					if L.stackGen != gen {
						continue frame
					}
				}
				regs[a] = v
			case bytecode.GSET:
				k := kstr[ins>>16]
				if L.G.mt == 0 {
					if s := L.G.slotStrHint(k, &hints[pc-1].own); s != nil {
						*s = regs[a]
					} else {
						L.frames[ci].pc = int32(pc)
						L.tsetChecked(L.G, k, regs[a])
					}
				} else {
					L.frames[ci].pc = int32(pc)
					L.setIndex(L.globals, k, regs[a], -1)
					if L.stackGen != gen {
						continue frame
					}
				}
			case bytecode.TGETV:
				b := int(ins >> 24)
				tv, k := regs[b], regs[int(ins>>16&0xff)]
				if tv>>tagShift == tabHi {
					t := L.tabs[tv.idx()]
					if k < numLimit {
						f := k.Float()
						if i := int(f); float64(i) == f && uint(i-1) < uint(len(t.arr)) {
							if v := t.arr[i-1]; v != Nil || t.mt == 0 {
								regs[a] = v
								continue
							}
						}
					}
					if v := t.get(k); v != Nil || t.mt == 0 {
						regs[a] = v
						continue
					}
				}
				L.frames[ci].pc = int32(pc)
				r := L.index(tv, k, b)
				L.stack[base+a] = r
				if L.stackGen != gen {
					continue frame
				}
			case bytecode.TGETS:
				b := int(ins >> 24)
				tv, k := regs[b], kstr[ins>>16&0xff]
				if tv>>tagShift == tabHi {
					t := L.tabs[tv.idx()]
					h := &hints[pc-1]
					v := Nil
					if i := uint(h.own); i < uint(len(t.node)) && t.node[i].key == k {
						v = t.node[i].val
					} else {
						v = t.getStrHint(k, &h.own)
					}
					if v != Nil || t.mt == 0 {
						regs[a] = v
						continue
					}
					if v, ok := L.getStrChain(t, k, &h.held); ok {
						regs[a] = v
						continue
					}
				}
				L.frames[ci].pc = int32(pc)
				r := L.index(tv, k, b)
				L.stack[base+a] = r
				if L.stackGen != gen {
					continue frame
				}
			case bytecode.TGETB:
				b := int(ins >> 24)
				tv := regs[b]
				i := int(ins >> 16 & 0xff)
				if tv>>tagShift == tabHi {
					t := L.tabs[tv.idx()]
					if v := t.getInt(i); v != Nil || t.mt == 0 {
						regs[a] = v
						continue
					}
				}
				L.frames[ci].pc = int32(pc)
				r := L.index(tv, nv(float64(i)), b)
				L.stack[base+a] = r
				if L.stackGen != gen {
					continue frame
				}
			case bytecode.TSETV:
				b := int(ins >> 24)
				tv, k := regs[b], regs[int(ins>>16&0xff)]
				if tv>>tagShift == tabHi {
					t := L.tabs[tv.idx()]
					if k < numLimit {
						f := k.Float()
						if i := int(f); float64(i) == f && uint(i-1) < uint(len(t.arr)) {
							if t.mt == 0 || t.arr[i-1] != Nil {
								t.arr[i-1] = regs[a]
								continue
							}
						}
					}
					if t.mt == 0 {
						L.frames[ci].pc = int32(pc)
						L.tsetChecked(t, k, regs[a])
						if L.memBytes >= L.gcNext {
							L.collect(base + p.fs)
						}
						continue
					}
				}
				L.frames[ci].pc = int32(pc)
				L.setIndex(tv, k, regs[a], b)
				if L.stackGen != gen {
					continue frame
				}
			case bytecode.TSETS:
				b := int(ins >> 24)
				tv, k := regs[b], kstr[ins>>16&0xff]
				if tv>>tagShift == tabHi {
					t := L.tabs[tv.idx()]
					h := &hints[pc-1].own
					if i := uint(*h); i < uint(len(t.node)) && t.node[i].key == k && (t.node[i].val != Nil || t.mt == 0) {
						t.node[i].val = regs[a]
						t.flags = 0
						continue
					}
					if s := t.slotStrHint(k, h); s != nil && (*s != Nil || t.mt == 0) {
						*s = regs[a]
						t.flags = 0
						continue
					}
					if t.mt == 0 {
						L.frames[ci].pc = int32(pc)
						L.tsetChecked(t, k, regs[a])
						if L.memBytes >= L.gcNext {
							L.collect(base + p.fs)
						}
						continue
					}
				}
				L.frames[ci].pc = int32(pc)
				L.setIndex(tv, k, regs[a], b)
				if L.stackGen != gen {
					continue frame
				}
			case bytecode.TSETB:
				b := int(ins >> 24)
				tv := regs[b]
				i := int(ins >> 16 & 0xff)
				if tv>>tagShift == tabHi {
					t := L.tabs[tv.idx()]
					if uint(i-1) < uint(len(t.arr)) && (t.mt == 0 || t.arr[i-1] != Nil) {
						t.arr[i-1] = regs[a]
						continue
					}
					if t.mt == 0 {
						L.frames[ci].pc = int32(pc)
						L.tsetChecked(t, nv(float64(i)), regs[a])
						if L.memBytes >= L.gcNext {
							L.collect(base + p.fs)
						}
						continue
					}
				}
				L.frames[ci].pc = int32(pc)
				L.setIndex(tv, nv(float64(i)), regs[a], b)
				if L.stackGen != gen {
					continue frame
				}
			case bytecode.TSETM:
				t := L.tabs[regs[a-1].idx()]
				start := int(knum[ins>>16].Float())
				s := L.stack
				for i := 0; i < multres; i++ {
					L.tsetInt(t, start+i, s[base+a+i])
				}
				if L.memBytes >= L.gcNext {
					L.frames[ci].pc = int32(pc)
					L.collect(max(base+p.fs, base+a+multres))
				}

			// -- Calls ---------------------------------------------------------------
			case bytecode.CALL, bytecode.CALLM, bytecode.ITERC:
				op := bytecode.Op(ins & 0xff)
				nargs := int(ins>>16&0xff) - 1
				if op == bytecode.CALLM {
					nargs = int(ins>>16&0xff) + multres
				} else if op == bytecode.ITERC {
					regs[a], regs[a+1], regs[a+2] = regs[a-3], regs[a-2], regs[a-1]
					nargs = 2
				}
				nres := int(ins>>24) - 1
				fslot := base + a
				L.frames[ci].pc = int32(pc)
				fv := regs[a]
				if fv>>tagShift == lfnHi {
					// Fast path: fixed-arity callee, room on the stack and in
					// the frame records.
					np := L.fns[fv.idx()].p
					nb := fslot + 1
					n := len(L.frames)
					if !np.vararg && nb+nargs+np.fs < len(L.stack) && n < cap(L.frames) && n < L.maxFrames {
						for i := nargs; i < np.nparams; i++ {
							regs[a+1+i] = Nil
						}
						if L.steps--; L.steps <= 0 {
							L.checkLimits()
						}
						L.frames = L.frames[:n+1]
						f := &L.frames[n]
						f.fn, f.base, f.fslot, f.pc, f.nres, f.nvar, f.kind = fv.idx(), int32(nb), int32(fslot), 0, int32(nres), 0, frLua
						if np.hotCall--; np.hotCall <= 0 {
							np.hotCall = hotCallCount
							L.hotCall(np)
						}
						continue frame
					}
					L.pushLua(fv, fslot, nargs, nres, frLua)
					continue frame
				}
				if fv>>tagShift == gfnHi {
					n := L.callGo(fv.idx(), fslot, nargs, nres)
					if nres < 0 {
						multres = n
					}
					if L.memBytes >= L.gcNext {
						top := base + p.fs
						if nres < 0 && fslot+n > top {
							top = fslot + n
						}
						L.collect(top)
					}
					if L.stackGen != gen {
						continue frame
					}
					continue
				}
				// __call: the object becomes argument 1.
				L.callMetaShift(ci, fslot, nargs)
				if fv := L.stack[fslot]; fv>>tagShift == lfnHi {
					L.pushLua(fv, fslot, nargs+1, nres, frLua)
				} else {
					n := L.call(fslot, nargs+1, nres)
					if nres < 0 {
						multres = n
					}
				}
				continue frame

			case bytecode.CALLT, bytecode.CALLMT:
				nargs := int(ins>>16) - 1
				if bytecode.Op(ins&0xff) == bytecode.CALLMT {
					nargs = int(ins>>16) + multres
				}
				L.frames[ci].pc = int32(pc)
				fv := regs[a]
				if fv>>tagShift != lfnHi && fv>>tagShift != gfnHi {
					L.callMetaShift(ci, base+a, nargs)
					fv = L.stack[base+a]
					nargs++
					if fv>>tagShift != lfnHi && fv>>tagShift != gfnHi {
						L.callError(ci, a, fv)
					}
				}
				if fv>>tagShift == gfnHi {
					// A Go function in tail position runs in this frame (as in
					// Lua 5.1, so errors name this caller), then we return
					// its results.
					n := L.callGo(fv.idx(), base+a, nargs, -1)
					if L.retFrom(ci, base+a, n, &multres) {
						return
					}
					continue frame
				}
				if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= base {
					L.closeUpvals(base)
				}
				dst := int(fr.fslot)
				s := L.stack
				copy(s[dst:dst+nargs+1], s[base+a:base+a+nargs+1])
				kind, want := fr.kind, int(fr.nres)
				L.frames = L.frames[:ci]
				L.pushLua(fv, dst, nargs, want, kind)
				continue frame

			case bytecode.VARG:
				nvar := int(fr.nvar)
				want := int(ins>>24) - 1
				src := base - 1 - nvar
				if want < 0 {
					if need := base + a + nvar + 1; need > len(L.stack) {
						L.ensureStack(need)
					}
					s := L.stack
					copy(s[base+a:base+a+nvar], s[src:src+nvar])
					multres = nvar
					if L.stackGen != gen {
						L.frames[ci].pc = int32(pc)
						continue frame
					}
				} else {
					s := L.stack
					i := 0
					for ; i < want && i < nvar; i++ {
						regs[a+i] = s[src+i]
					}
					for ; i < want; i++ {
						regs[a+i] = Nil
					}
				}

			// -- Returns ---------------------------------------------------------------
			case bytecode.RET0, bytecode.RET1, bytecode.RET, bytecode.RETM:
				var rn int
				switch bytecode.Op(ins & 0xff) {
				case bytecode.RET0:
					rn = 0
				case bytecode.RET1:
					rn = 1
				case bytecode.RET:
					rn = int(ins>>16) - 1
				default:
					rn = int(ins>>16) + multres
				}
				if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= base {
					L.closeUpvals(base)
				}
				dst, want := int(fr.fslot), int(fr.nres)
				s := L.stack
				if want < 0 {
					copy(s[dst:dst+rn], s[base+a:base+a+rn])
					multres = rn
				} else if want == 1 {
					if rn > 0 {
						s[dst] = regs[a]
					} else {
						s[dst] = Nil
					}
				} else {
					i := 0
					for ; i < want && i < rn; i++ {
						s[dst+i] = regs[a+i]
					}
					for ; i < want; i++ {
						s[dst+i] = Nil
					}
				}
				kind := fr.kind
				L.frames = L.frames[:ci]
				if kind == frEntry {
					if want < 0 {
						L.top = dst + rn
					} else {
						L.top = dst + want
					}
					return
				}
				continue frame

			// -- Loops and jumps ----------------------------------------------------------
			case bytecode.FORI:
				L.frames[ci].pc = int32(pc)
				L.forPrep(regs, a)
				idx, stop, step := regs[a].Float(), regs[a+1].Float(), regs[a+2].Float()
				if (step >= 0 && idx <= stop) || (step < 0 && idx >= stop) {
					regs[a+3] = regs[a]
					// A loop with a trace is entered in the trace right
					// away, not at its first back edge (hot is 0 while a
					// loop has a trace, see hotLoop).
					if forl := pc + jumpOff(ins) - 1; p.hot[forl] == 0 && L.jit != nil {
						L.frames[ci].pc = int32(pc)
						if L.enterLoop(p, forl) {
							multres = L.takeMultres(multres)
							continue frame
						}
					}
				} else {
					pc += jumpOff(ins)
				}
			case bytecode.FORL:
				step := regs[a+2].Float()
				idx := regs[a].Float() + step
				if stop := regs[a+1].Float(); (step >= 0 && idx <= stop) || (step < 0 && idx >= stop) {
					regs[a] = nv(idx)
					regs[a+3] = nv(idx)
					off := jumpOff(ins)
					if h := &p.hot[pc-1]; *h <= 0 {
						*h = L.hotLoopN
						L.frames[ci].pc = int32(pc + off)
						if L.hotLoop(p, pc-1) {
							multres = L.takeMultres(multres)
							continue frame
						}
					} else {
						*h--
					}
					if L.steps += int64(off); L.steps <= 0 {
						L.frames[ci].pc = int32(pc) // errors name the back edge's line
						L.checkLimits()
					}
					pc += off
				} else if h := &p.hot[pc-1]; *h > 1 {
					// The loop ends: that counts too, as in LuaJIT. A
					// loop that gets hot here would be recorded from a
					// round that leaves it (see loopLeft).
					*h--
				} else if L.jit != nil {
					L.loopLeft(p, pc-1)
				}
			case bytecode.ITERL:
				if v := regs[a]; v != Nil {
					regs[a-1] = v
					off := jumpOff(ins)
					if h := &p.hot[pc-1]; *h <= 0 {
						*h = L.hotLoopN
						L.frames[ci].pc = int32(pc + off)
						if L.hotLoop(p, pc-1) {
							multres = L.takeMultres(multres)
							continue frame
						}
					} else {
						*h--
					}
					if L.steps += int64(off); L.steps <= 0 {
						L.frames[ci].pc = int32(pc) // errors name the back edge's line
						L.checkLimits()
					}
					pc += off
				}
			case bytecode.LOOP:
				if h := &p.hot[pc-1]; *h <= 0 {
					*h = L.hotLoopN
					L.frames[ci].pc = int32(pc)
					if L.hotLoop(p, pc-1) {
						multres = L.takeMultres(multres)
						continue frame
					}
				} else {
					*h--
				}
				if L.steps--; L.steps <= 0 {
					L.frames[ci].pc = int32(pc)
					L.checkLimits()
				}
			case bytecode.JMP:
				off := jumpOff(ins)
				if off < 0 {
					if L.steps += int64(off); L.steps <= 0 {
						L.frames[ci].pc = int32(pc)
						L.checkLimits()
					}
				}
				pc += off
			default:
				L.frames[ci].pc = int32(pc)
				L.rtError("bad opcode " + bytecode.Op(ins&0xff).String())
			}
		}
	}
}

// retFrom returns the rn values at stack[src...] from frame ci (closing
// its upvalues) and pops it; it reports whether that was an entry frame.
func (L *State) retFrom(ci, src, rn int, multres *int) bool {
	fr := &L.frames[ci]
	base := int(fr.base)
	if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= base {
		L.closeUpvals(base)
	}
	dst, want := int(fr.fslot), int(fr.nres)
	s := L.stack
	if want < 0 {
		copy(s[dst:dst+rn], s[src:src+rn])
		*multres = rn
	} else {
		i := 0
		for ; i < want && i < rn; i++ {
			s[dst+i] = s[src+i]
		}
		for ; i < want; i++ {
			s[dst+i] = Nil
		}
	}
	kind := fr.kind
	L.frames = L.frames[:ci]
	if kind == frEntry {
		if want < 0 {
			L.top = dst + rn
		} else {
			L.top = dst + want
		}
		return true
	}
	return false
}

// pushLua pushes a frame for Lua function fv called at fslot with nargs
// arguments: it grows the stack if needed, pads missing parameters with
// nil and moves a vararg function's frame above its arguments.
func (L *State) pushLua(fv Value, fslot, nargs, nres int, kind int32) {
	if L.steps--; L.steps <= 0 {
		L.checkLimits() // before the push, so errors name the call's line
	}
	ncl := L.fns[fv.idx()]
	np := ncl.p
	nb := fslot + 1
	if len(L.frames) >= L.maxFrames {
		L.rtError("stack overflow")
	}
	if need := nb + nargs + np.fs + 1; need > len(L.stack) {
		L.ensureStack(need)
	}
	s := L.stack
	npar := np.bp.NumParams
	for i := nargs; i < npar; i++ {
		s[nb+i] = Nil
	}
	nvar := 0
	if np.bp.IsVararg {
		nb, nvar = L.varargFrame(fv, nb, nargs, npar)
	}
	n := len(L.frames)
	if n == cap(L.frames) {
		L.growFrames()
	}
	L.frames = L.frames[:n+1]
	f := &L.frames[n]
	f.fn, f.base, f.fslot, f.pc, f.nres, f.nvar, f.kind = fv.idx(), int32(nb), int32(fslot), 0, int32(nres), int32(nvar), kind
	if np.hotCall--; np.hotCall <= 0 {
		np.hotCall = hotCallCount
		L.hotCall(np)
	}
}

// callMetaShift resolves __call for the non-function at stack[fslot]: the
// arguments move up one slot and the metamethod takes the function slot.
func (L *State) callMetaShift(ci, fslot, nargs int) {
	fv := L.stack[fslot]
	mm := L.metaField(fv, tmCall)
	if mm == Nil {
		L.callError(ci, fslot-int(L.frames[ci].base), fv)
	}
	L.ensureStack(fslot + nargs + 2 + minStack)
	s := L.stack
	copy(s[fslot+1:fslot+nargs+2], s[fslot:fslot+nargs+1])
	s[fslot] = mm
}

// varargFrame moves a vararg function's frame above its arguments: the
// function value is copied to stack[nb'-1] and the fixed parameters to
// nb'...; the extra arguments stay below, where VARG finds them.
func (L *State) varargFrame(fv Value, nb, nargs, npar int) (int, int) {
	top := nargs
	if npar > top {
		top = npar
	}
	newBase := nb + top + 1
	L.ensureStack(newBase + npar + 1)
	s := L.stack
	s[newBase-1] = fv
	copy(s[newBase:newBase+npar], s[nb:nb+npar])
	nvar := nargs - npar
	if nvar < 0 {
		nvar = 0
	}
	return newBase, nvar
}

// luaMod is Lua 5.1's a - floor(a/b)*b. The explicit float64 conversion
// rounds the product before the subtraction: without it the Go compiler
// may fuse the two into one multiply-subtract on arm64 (the spec allows
// it), and results would differ from amd64's, from C Lua's and from the
// JIT's, which never fuses.
func luaMod(a, b float64) float64 { return a - float64(math.Floor(a/b)*b) }

// checkLimits runs when the step budget is used up: it enforces the
// instruction and time limits and refills the budget.
func (L *State) checkLimits() {
	L.stepsUsed += L.stepsArm - L.steps
	L.steps = stepQuantum
	L.stepsArm = L.steps
	if !L.limited {
		return
	}
	if il := L.opts.InstructionLimit; il > 0 {
		if L.stepsUsed >= il {
			L.rtError("instruction limit exceeded")
		}
		if rem := il - L.stepsUsed; rem < stepQuantum {
			L.steps = rem
			L.stepsArm = rem
		}
	}
	if !L.deadline.IsZero() && timeNow().After(L.deadline) {
		L.rtError("time limit exceeded")
	}
}
