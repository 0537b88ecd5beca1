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

func (L *State) execute() {
	ci := len(L.frames) - 1
	cl := L.fns[L.frames[ci].fn]
	p := cl.p
	code := p.code
	kstr := p.K
	knum := p.N
	base := int(L.frames[ci].base)
	pc := int(L.frames[ci].pc)
	stack := L.stack
	regs := stack[base:]
	multres := 0

	for {
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
				stack = L.stack
				regs = stack[base:]
			}
			if c == (bytecode.Op(ins&0xff) == bytecode.ISLT) {
				pc += jumpOff(code[pc]) + 1
			} else {
				pc++
			}
		case bytecode.ISLE, bytecode.ISGT:
			x, y := regs[a], regs[int(ins>>16)]
			var c bool
			if x < numLimit && y < numLimit {
				c = x.Float() <= y.Float()
			} else {
				L.frames[ci].pc = int32(pc)
				c = L.lessEqual(x, y)
				stack = L.stack
				regs = stack[base:]
			}
			if c == (bytecode.Op(ins&0xff) == bytecode.ISLE) {
				pc += jumpOff(code[pc]) + 1
			} else {
				pc++
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
				stack = L.stack
				regs = stack[base:]
			}
			if c == (bytecode.Op(ins&0xff) == bytecode.ISEQV) {
				pc += jumpOff(code[pc]) + 1
			} else {
				pc++
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
				stack = L.stack
				regs = stack[base:]
				regs[a] = r
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
				stack = L.stack
				regs = stack[base:]
				regs[a] = r
			}

		// -- Arithmetic -------------------------------------------------------
		case bytecode.ADDVN:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(x.Float() + knum[ins>>16&0xff].Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmAdd, x, knum[ins>>16&0xff], b, -1)
				stack = L.stack
			}
		case bytecode.SUBVN:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(x.Float() - knum[ins>>16&0xff].Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmSub, x, knum[ins>>16&0xff], b, -1)
				stack = L.stack
			}
		case bytecode.MULVN:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(x.Float() * knum[ins>>16&0xff].Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmMul, x, knum[ins>>16&0xff], b, -1)
				stack = L.stack
			}
		case bytecode.DIVVN:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(x.Float() / knum[ins>>16&0xff].Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmDiv, x, knum[ins>>16&0xff], b, -1)
				stack = L.stack
			}
		case bytecode.MODVN:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(luaMod(x.Float(), knum[ins>>16&0xff].Float()))
			} else {
				regs = L.arithOp(ci, pc, a, tmMod, x, knum[ins>>16&0xff], b, -1)
				stack = L.stack
			}
		case bytecode.ADDNV:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(knum[ins>>16&0xff].Float() + x.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmAdd, knum[ins>>16&0xff], x, -1, b)
				stack = L.stack
			}
		case bytecode.SUBNV:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(knum[ins>>16&0xff].Float() - x.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmSub, knum[ins>>16&0xff], x, -1, b)
				stack = L.stack
			}
		case bytecode.MULNV:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(knum[ins>>16&0xff].Float() * x.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmMul, knum[ins>>16&0xff], x, -1, b)
				stack = L.stack
			}
		case bytecode.DIVNV:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(knum[ins>>16&0xff].Float() / x.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmDiv, knum[ins>>16&0xff], x, -1, b)
				stack = L.stack
			}
		case bytecode.MODNV:
			b := int(ins >> 24)
			if x := regs[b]; x < numLimit {
				regs[a] = nv(luaMod(knum[ins>>16&0xff].Float(), x.Float()))
			} else {
				regs = L.arithOp(ci, pc, a, tmMod, knum[ins>>16&0xff], x, -1, b)
				stack = L.stack
			}
		case bytecode.ADDVV:
			b, c := int(ins>>24), int(ins>>16&0xff)
			if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
				regs[a] = nv(x.Float() + y.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmAdd, x, y, b, c)
				stack = L.stack
			}
		case bytecode.SUBVV:
			b, c := int(ins>>24), int(ins>>16&0xff)
			if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
				regs[a] = nv(x.Float() - y.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmSub, x, y, b, c)
				stack = L.stack
			}
		case bytecode.MULVV:
			b, c := int(ins>>24), int(ins>>16&0xff)
			if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
				regs[a] = nv(x.Float() * y.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmMul, x, y, b, c)
				stack = L.stack
			}
		case bytecode.DIVVV:
			b, c := int(ins>>24), int(ins>>16&0xff)
			if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
				regs[a] = nv(x.Float() / y.Float())
			} else {
				regs = L.arithOp(ci, pc, a, tmDiv, x, y, b, c)
				stack = L.stack
			}
		case bytecode.MODVV:
			b, c := int(ins>>24), int(ins>>16&0xff)
			if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
				regs[a] = nv(luaMod(x.Float(), y.Float()))
			} else {
				regs = L.arithOp(ci, pc, a, tmMod, x, y, b, c)
				stack = L.stack
			}
		case bytecode.POW:
			b, c := int(ins>>24), int(ins>>16&0xff)
			if x, y := regs[b], regs[c]; x < numLimit && y < numLimit {
				regs[a] = nv(math.Pow(x.Float(), y.Float()))
			} else {
				regs = L.arithOp(ci, pc, a, tmPow, x, y, b, c)
				stack = L.stack
			}
		case bytecode.CAT:
			b, c := int(ins>>24), int(ins>>16&0xff)
			L.frames[ci].pc = int32(pc)
			r := L.concat(base+b, base+c)
			stack = L.stack
			regs = stack[base:]
			regs[a] = r
			if L.memBytes >= L.gcNext {
				L.collect(base + p.fs)
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
				regs[a] = stack[u.idx]
			} else {
				regs[a] = u.v
			}
		case bytecode.USETV:
			u := cl.up[a]
			if u.idx >= 0 {
				stack[u.idx] = regs[int(ins>>16)]
			} else {
				u.v = regs[int(ins>>16)]
			}
		case bytecode.USETS:
			u := cl.up[a]
			if u.idx >= 0 {
				stack[u.idx] = kstr[ins>>16]
			} else {
				u.v = kstr[ins>>16]
			}
		case bytecode.USETN:
			u := cl.up[a]
			if u.idx >= 0 {
				stack[u.idx] = knum[ins>>16]
			} else {
				u.v = knum[ins>>16]
			}
		case bytecode.USETP:
			u := cl.up[a]
			if u.idx >= 0 {
				stack[u.idx] = priValue(uint32(ins >> 16))
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
			v := L.G.getHash(k)
			if v == Nil && L.G.mt != 0 {
				L.frames[ci].pc = int32(pc)
				v = L.index(L.globals, k, -1)
				stack = L.stack
				regs = stack[base:]
			}
			regs[a] = v
		case bytecode.GSET:
			k := kstr[ins>>16]
			if L.G.mt == 0 {
				if s := L.G.slot(k); s != nil {
					*s = regs[a]
				} else {
					L.frames[ci].pc = int32(pc)
					L.tsetChecked(L.G, k, regs[a])
				}
			} else {
				L.frames[ci].pc = int32(pc)
				L.setIndex(L.globals, k, regs[a], -1)
				stack = L.stack
				regs = stack[base:]
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
			stack = L.stack
			regs = stack[base:]
			regs[a] = r
		case bytecode.TGETS:
			b := int(ins >> 24)
			tv, k := regs[b], kstr[ins>>16&0xff]
			if tv>>tagShift == tabHi {
				t := L.tabs[tv.idx()]
				v := Nil
				if len(t.node) > 0 {
					n := hashKey(k, t.lsize)
					for {
						nd := &t.node[n]
						if nd.key == k {
							v = nd.val
							break
						}
						n = nd.next
						if n < 0 {
							break
						}
					}
				}
				if v != Nil || t.mt == 0 {
					regs[a] = v
					continue
				}
			}
			{
				L.frames[ci].pc = int32(pc)
				r := L.index(tv, k, b)
				stack = L.stack
				regs = stack[base:]
				regs[a] = r
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
			stack = L.stack
			regs = stack[base:]
			regs[a] = r
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
			stack = L.stack
			regs = stack[base:]
		case bytecode.TSETS:
			b := int(ins >> 24)
			tv, k := regs[b], kstr[ins>>16&0xff]
			if tv>>tagShift == tabHi {
				t := L.tabs[tv.idx()]
				if s := t.slot(k); s != nil && (*s != Nil || t.mt == 0) {
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
			stack = L.stack
			regs = stack[base:]
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
			stack = L.stack
			regs = stack[base:]
		case bytecode.TSETM:
			t := L.tabs[regs[a-1].idx()]
			start := int(knum[ins>>16].Float())
			for i := 0; i < multres; i++ {
				L.tsetInt(t, start+i, regs[a+i])
			}
			if L.memBytes >= L.gcNext {
				L.frames[ci].pc = int32(pc)
				L.collect(base + a + multres)
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
		callLua:
			fv := stack[fslot]
			if fv>>tagShift == lfnHi {
				ncl := L.fns[fv.idx()]
				np := ncl.p
				nb := fslot + 1
				if ci >= L.maxFrames {
					L.rtError("stack overflow")
				}
				if need := nb + nargs + np.fs + 1; need > len(stack) {
					L.ensureStack(need)
					stack = L.stack
				}
				npar := np.bp.NumParams
				for i := nargs; i < npar; i++ {
					stack[nb+i] = Nil
				}
				nvar := 0
				if np.bp.IsVararg {
					nb, nvar = L.varargFrame(fv, nb, nargs, npar)
					stack = L.stack
				}
				if ci+1 == cap(L.frames) {
					L.growFrames()
				}
				ci++
				L.frames = L.frames[:ci+1]
				nf := &L.frames[ci]
				nf.fn, nf.base, nf.fslot, nf.nres, nf.nvar, nf.kind = fv.idx(), int32(nb), int32(fslot), int32(nres), int32(nvar), frLua
				cl, p = ncl, np
				code, kstr, knum = p.code, p.K, p.N
				base, pc = nb, 0
				regs = stack[base:]
				if p.hotCall--; p.hotCall <= 0 {
					p.hotCall = hotCallCount
					L.hotCall(p)
				}
				if L.steps--; L.steps <= 0 {
					L.checkLimits()
				}
				continue
			}
			if fv>>tagShift == gfnHi {
				n := L.callGo(fv.idx(), fslot, nargs, nres)
				stack = L.stack
				regs = stack[base:]
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
				continue
			}
			// __call: shift the arguments up, the object becomes argument 1.
			{
				mm := L.metaField(fv, tmCall)
				if mm == Nil {
					L.callError(ci, fslot-base, fv)
				}
				L.ensureStack(fslot + nargs + 2 + minStack)
				stack = L.stack
				regs = stack[base:]
				copy(stack[fslot+1:fslot+nargs+2], stack[fslot:fslot+nargs+1])
				stack[fslot] = mm
				nargs++
				goto callLua
			}

		case bytecode.CALLT, bytecode.CALLMT:
			nargs := int(ins>>16) - 1
			if bytecode.Op(ins&0xff) == bytecode.CALLMT {
				nargs = int(ins>>16) + multres
			}
			L.frames[ci].pc = int32(pc)
		tailAgain:
			fv := regs[a]
			if fv>>tagShift == lfnHi {
				if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= base {
					L.closeUpvals(base)
				}
				fr := &L.frames[ci]
				fslot := int(fr.fslot)
				copy(stack[fslot:fslot+nargs+1], stack[base+a:base+a+nargs+1])
				ncl := L.fns[fv.idx()]
				np := ncl.p
				nb := fslot + 1
				if need := nb + nargs + np.fs + 1; need > len(stack) {
					L.ensureStack(need)
					stack = L.stack
				}
				npar := np.bp.NumParams
				for i := nargs; i < npar; i++ {
					stack[nb+i] = Nil
				}
				nvar := 0
				if np.bp.IsVararg {
					nb, nvar = L.varargFrame(fv, nb, nargs, npar)
					stack = L.stack
				}
				fr = &L.frames[ci]
				fr.fn, fr.base, fr.nvar, fr.pc = fv.idx(), int32(nb), int32(nvar), 0
				cl, p = ncl, np
				code, kstr, knum = p.code, p.K, p.N
				base, pc = nb, 0
				regs = stack[base:]
				if p.hotCall--; p.hotCall <= 0 {
					p.hotCall = hotCallCount
					L.hotCall(p)
				}
				if L.steps--; L.steps <= 0 {
					L.checkLimits()
				}
				continue
			}
			if fv>>tagShift != gfnHi {
				mm := L.metaField(fv, tmCall)
				if mm == Nil {
					L.callError(ci, a, fv)
				}
				L.ensureStack(base + a + nargs + 2 + minStack)
				stack = L.stack
				regs = stack[base:]
				copy(regs[a+1:a+nargs+2], regs[a:a+nargs+1])
				regs[a] = mm
				nargs++
				goto tailAgain
			}
			// A Go function in tail position: call it, then return its results.
			{
				n := L.callGo(fv.idx(), base+a, nargs, -1)
				stack = L.stack
				regs = stack[base:]
				rsrc, rn := a, n
				if n := len(L.openUpvals); n > 0 && L.openUpvals[n-1].idx >= base {
					L.closeUpvals(base)
				}
				fr := &L.frames[ci]
				dst, want := int(fr.fslot), int(fr.nres)
				if want < 0 {
					copy(stack[dst:dst+rn], regs[rsrc:rsrc+rn])
					multres = rn
				} else {
					i := 0
					for ; i < want && i < rn; i++ {
						stack[dst+i] = regs[rsrc+i]
					}
					for ; i < want; i++ {
						stack[dst+i] = Nil
					}
				}
				if fr.kind == frEntry {
					if want < 0 {
						L.top = dst + rn
					} else {
						L.top = dst + want
					}
					L.frames = L.frames[:ci]
					return
				}
				L.frames = L.frames[:ci]
				ci--
				fr = &L.frames[ci]
				cl = L.fns[fr.fn]
				p = cl.p
				code, kstr, knum = p.code, p.K, p.N
				base, pc = int(fr.base), int(fr.pc)
				regs = stack[base:]
			}

		case bytecode.VARG:
			nvar := int(L.frames[ci].nvar)
			want := int(ins>>24) - 1
			src := base - 1 - nvar
			if want < 0 {
				if need := base + a + nvar + 1; need > len(stack) {
					L.ensureStack(need)
					stack = L.stack
					regs = stack[base:]
				}
				copy(regs[a:a+nvar], stack[src:src+nvar])
				multres = nvar
			} else {
				i := 0
				for ; i < want && i < nvar; i++ {
					regs[a+i] = stack[src+i]
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
			fr := &L.frames[ci]
			dst, want := int(fr.fslot), int(fr.nres)
			if want < 0 {
				copy(stack[dst:dst+rn], regs[a:a+rn])
				multres = rn
			} else if want == 1 {
				if rn > 0 {
					stack[dst] = regs[a]
				} else {
					stack[dst] = Nil
				}
			} else {
				i := 0
				for ; i < want && i < rn; i++ {
					stack[dst+i] = regs[a+i]
				}
				for ; i < want; i++ {
					stack[dst+i] = Nil
				}
			}
			if fr.kind == frEntry {
				if want < 0 {
					L.top = dst + rn
				} else {
					L.top = dst + want
				}
				L.frames = L.frames[:ci]
				return
			}
			L.frames = L.frames[:ci]
			ci--
			fr = &L.frames[ci]
			cl = L.fns[fr.fn]
			p = cl.p
			code, kstr, knum = p.code, p.K, p.N
			base, pc = int(fr.base), int(fr.pc)
			regs = stack[base:]

		// -- Loops and jumps ----------------------------------------------------------
		case bytecode.FORI:
			L.frames[ci].pc = int32(pc)
			L.forPrep(regs, a)
			idx, stop, step := regs[a].Float(), regs[a+1].Float(), regs[a+2].Float()
			if (step >= 0 && idx <= stop) || (step < 0 && idx >= stop) {
				regs[a+3] = regs[a]
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
					*h = hotLoopCount
					L.hotLoop(p, pc-1)
				} else {
					*h--
				}
				pc += off
				if L.steps += int64(off); L.steps <= 0 {
					L.frames[ci].pc = int32(pc)
					L.checkLimits()
				}
			}
		case bytecode.ITERL:
			if v := regs[a]; v != Nil {
				regs[a-1] = v
				off := jumpOff(ins)
				if h := &p.hot[pc-1]; *h <= 0 {
					*h = hotLoopCount
					L.hotLoop(p, pc-1)
				} else {
					*h--
				}
				pc += off
				if L.steps += int64(off); L.steps <= 0 {
					L.frames[ci].pc = int32(pc)
					L.checkLimits()
				}
			}
		case bytecode.LOOP:
			if h := &p.hot[pc-1]; *h <= 0 {
				*h = hotLoopCount
				L.hotLoop(p, pc-1)
			} else {
				*h--
			}
			if L.steps--; L.steps <= 0 {
				L.frames[ci].pc = int32(pc)
				L.checkLimits()
			}
		case bytecode.JMP:
			off := jumpOff(ins)
			pc += off
			if off < 0 {
				if L.steps += int64(off); L.steps <= 0 {
					L.frames[ci].pc = int32(pc)
					L.checkLimits()
				}
			}
		default:
			L.frames[ci].pc = int32(pc)
			L.rtError("bad opcode " + bytecode.Op(ins&0xff).String())
		}
	}
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

// luaMod is Lua 5.1's a - floor(a/b)*b.
func luaMod(a, b float64) float64 { return a - math.Floor(a/b)*b }

// hotLoop is called when a loop back edge at pc of p becomes hot. The JIT
// attaches here; the interpreter does nothing.
func (L *State) hotLoop(p *Proto, pc int) {}

// hotCall is called when a function becomes hot. The JIT attaches here.
func (L *State) hotCall(p *Proto) {}

// checkLimits runs when the step budget is used up: it enforces the
// instruction and time limits and refills the budget.
func (L *State) checkLimits() {
	L.stepsUsed += stepQuantum - L.steps
	L.steps = stepQuantum
	if !L.limited {
		return
	}
	if il := L.opts.InstructionLimit; il > 0 {
		if L.stepsUsed >= il {
			L.rtError("instruction limit exceeded")
		}
		if rem := il - L.stepsUsed; rem < stepQuantum {
			L.steps = rem
		}
	}
	if !L.deadline.IsZero() && timeNow().After(L.deadline) {
		L.rtError("time limit exceeded")
	}
}
