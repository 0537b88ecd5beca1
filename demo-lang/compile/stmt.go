package compile

import (
	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/syntax"
)

// -- Statements ----------------------------------------------------------------------------

func (fs *funcState) block(b *syntax.Block) {
	var bl blockScope
	fs.enterBlock(&bl, false)
	fs.stmts(b.Stmts)
	fs.leaveBlock()
}

func (fs *funcState) stmts(list []syntax.Stmt) {
	for _, s := range list {
		fs.stmt(s)
		fs.freereg = fs.nactvar
	}
}

func (fs *funcState) stmt(s syntax.Stmt) {
	fs.at(s)
	switch s := s.(type) {
	case *syntax.LocalStmt:
		for i, name := range s.Names {
			if i < len(s.NamePoss) {
				fs.line, fs.col = s.NamePoss[i].Line, s.NamePoss[i].Col
			}
			fs.newLocal(name, i)
		}
		n, e := fs.exprList(s.Exprs)
		fs.atEnd(s, s.EndLine)
		fs.adjustAssign(len(s.Names), n, &e)
		fs.activate(len(s.Names))
	case *syntax.LocalFuncStmt:
		fs.newLocal(s.Name, 0)
		slot := fs.freereg
		fs.reserve(1)
		fs.activate(1)
		var e expDesc
		fs.function(s.Func, &e)
		fs.toReg(&e, slot)
		// The local is only valid after the store.
		fs.p.Vars[fs.actVars[slot]].StartPC = int32(fs.pc())
	case *syntax.FuncStmt:
		var v, e expDesc
		fs.lvalue(s.Target, &v)
		fs.function(s.Func, &e)
		fs.at(s)
		fs.store(&v, &e)
	case *syntax.AssignStmt:
		fs.assign(s)
	case *syntax.CallStmt:
		var e expDesc
		fs.expr(s.Call, &e)
		fs.setResults(&e, 0)
	case *syntax.DoStmt:
		fs.block(s.Body)
	case *syntax.IfStmt:
		fs.ifStmt(s)
	case *syntax.WhileStmt:
		fs.whileStmt(s)
	case *syntax.RepeatStmt:
		fs.repeatStmt(s)
	case *syntax.NumForStmt:
		fs.numFor(s)
	case *syntax.GenForStmt:
		fs.genFor(s)
	case *syntax.ReturnStmt:
		fs.returnStmt(s)
	case *syntax.BreakStmt:
		b := fs.bl
		for b != nil && !b.isLoop {
			b = b.prev
		}
		if b == nil {
			fs.fail("no loop to break")
		}
		b.breaks = append(b.breaks, fs.emitJump())
	default:
		fs.fail("unknown statement")
	}
}

// exprList compiles a list of expressions: all but the last into
// consecutive registers; the last is returned undischarged.
func (fs *funcState) exprList(list []syntax.Expr) (int, expDesc) {
	var e expDesc
	for i, x := range list {
		if i > 0 {
			fs.toNextReg(&e)
		}
		fs.expr(x, &e)
	}
	if len(list) == 0 {
		e.k = kVoid
	}
	return len(list), e
}

// adjustAssign makes nexps expressions (the last one in e) provide exactly
// nvars values in consecutive registers, as Lua adjusts assignments.
func (fs *funcState) adjustAssign(nvars, nexps int, e *expDesc) {
	extra := nvars - nexps
	if e.k == kCall {
		extra++
		if extra < 0 {
			extra = 0
		}
		fs.setResults(e, extra)
		if extra > 1 {
			fs.reserve(extra - 1)
		}
	} else {
		if e.k != kVoid {
			fs.toNextReg(e)
		}
		if extra > 0 {
			reg := fs.freereg
			fs.reserve(extra)
			fs.emitNil(reg, extra)
		}
	}
	if nexps > nvars {
		fs.freereg -= nexps - nvars
	}
}

// lvalue compiles an assignment target.
func (fs *funcState) lvalue(x syntax.Expr, v *expDesc) {
	switch x := x.(type) {
	case *syntax.NameExpr:
		*v = expDesc{}
		fs.singleVar(x.Name, v)
	case *syntax.IndexExpr:
		fs.expr(x.X, v)
		fs.toAnyReg(v)
		var k expDesc
		fs.expr(x.Key, &k)
		fs.toVal(&k)
		fs.index(v, &k)
	default:
		fs.fail("syntax error")
	}
}

// assign compiles a (multiple) assignment with Lua's order: targets'
// table and key expressions left to right, then the values, then the stores
// right to left.
func (fs *funcState) assign(s *syntax.AssignStmt) {
	targets := make([]expDesc, len(s.Targets))
	for i, t := range s.Targets {
		fs.at(t)
		fs.lvalue(t, &targets[i])
		if targets[i].k == kLocal {
			fs.assignHazard(targets[:i], targets[i].info)
		}
	}
	fs.at(s)
	n, e := fs.exprList(s.Exprs)
	fs.atEnd(s, s.EndLine)
	nvars := len(targets)
	if n == nvars {
		if e.k == kCall {
			if fs.p.Code[e.info].Op() == bc.VARG {
				fs.freereg--
				e.k = kReloc
			} else {
				e.info = e.aux
				e.k = kNonReloc
			}
		}
		fs.store(&targets[nvars-1], &e)
		nvars--
	} else {
		fs.adjustAssign(nvars, n, &e)
	}
	for i := nvars - 1; i >= 0; i-- {
		v := expDesc{k: kNonReloc, info: fs.freereg - 1}
		fs.store(&targets[i], &v)
	}
}

// assignHazard protects earlier indexed targets that use the local in slot
// reg as table or key from the store to that local (t[i], i = 1, 2).
func (fs *funcState) assignHazard(prev []expDesc, reg int) {
	tmp := fs.freereg
	hazard := false
	for i := range prev {
		v := &prev[i]
		if v.k != kIndexed {
			continue
		}
		if v.info == reg {
			v.info = tmp
			hazard = true
		}
		if v.key == keySlot && v.aux == reg {
			v.aux = tmp
			hazard = true
		}
	}
	if hazard {
		fs.emitAD(bc.MOV, tmp, reg)
		fs.reserve(1)
	}
}

// cond compiles a condition and returns the jumps taken when it is false.
func (fs *funcState) cond(x syntax.Expr) []int {
	var e expDesc
	fs.expr(x, &e)
	if e.k == kNil {
		e.k = kFalse
	}
	fs.goIfTrue(&e)
	return e.f
}

func (fs *funcState) ifStmt(s *syntax.IfStmt) {
	var escapes []int
	var flist []int
	for i, c := range s.Conds {
		if i > 0 {
			escapes = append(escapes, fs.emitJump())
			fs.jumpsToHere(flist)
		}
		fs.at(c)
		flist = fs.cond(c)
		fs.block(s.Blocks[i])
	}
	if s.Else != nil {
		escapes = append(escapes, fs.emitJump())
		fs.jumpsToHere(flist)
		fs.block(s.Else)
	} else {
		escapes = append(escapes, flist...)
	}
	fs.jumpsToHere(escapes)
}

func (fs *funcState) whileStmt(s *syntax.WhileStmt) {
	start := fs.pc()
	fs.markTarget()
	flist := fs.cond(s.Cond)
	var loop blockScope
	fs.enterBlock(&loop, true)
	fs.at(s)
	lpc := fs.emit(bc.AJ(bc.LOOP, fs.nactvar, 0))
	fs.block(s.Body)
	fs.at(s)
	fs.patchJump(fs.emitJump(), start)
	fs.leaveBlock()
	fs.jumpsToHere(flist)
	fs.markTarget()
	fs.patchJump(lpc, fs.pc())
}

func (fs *funcState) repeatStmt(s *syntax.RepeatStmt) {
	start := fs.pc()
	fs.markTarget()
	var loop, inner blockScope
	fs.enterBlock(&loop, true)
	fs.enterBlock(&inner, false)
	lpc := fs.emit(bc.AJ(bc.LOOP, fs.nactvar, 0))
	fs.stmts(s.Body.Stmts)
	fs.at(s.Cond)
	flist := fs.cond(s.Cond)
	if !inner.upval {
		fs.leaveBlock()
		fs.jumpsTo(flist, start)
	} else {
		// true: leave the loop through a break (closing the upvalues);
		// false: close the upvalues, then jump back.
		loop.breaks = append(loop.breaks, fs.emitJump())
		fs.jumpsToHere(flist)
		fs.leaveBlock()
		fs.patchJump(fs.emitJump(), start)
	}
	fs.leaveBlock()
	fs.markTarget()
	fs.patchJump(lpc, fs.pc())
}

func (fs *funcState) numFor(s *syntax.NumForStmt) {
	var loop, inner blockScope
	fs.enterBlock(&loop, true)
	base := fs.freereg
	fs.newLocal("(for index)", 0)
	fs.newLocal("(for limit)", 1)
	fs.newLocal("(for step)", 2)
	fs.newLocal(s.Var, 3)
	var e expDesc
	fs.expr(s.Start, &e)
	fs.toNextReg(&e)
	fs.expr(s.Stop, &e)
	fs.toNextReg(&e)
	if s.Step != nil {
		fs.expr(s.Step, &e)
		fs.toNextReg(&e)
	} else {
		fs.reserve(1)
		fs.loadNum(fs.freereg-1, 1)
	}
	fs.activate(3)
	fs.at(s)
	fori := fs.emit(bc.AJ(bc.FORI, base, 0))
	fs.enterBlock(&inner, false)
	fs.activate(1)
	fs.reserve(1)
	fs.stmts(s.Body.Stmts)
	fs.leaveBlock()
	fs.at(s)
	forl := fs.emit(bc.AJ(bc.FORL, base, 0))
	fs.patchJump(forl, fori+1)
	fs.patchJump(fori, forl+1)
	fs.leaveBlock()
	fs.markTarget()
}

func (fs *funcState) genFor(s *syntax.GenForStmt) {
	var loop, inner blockScope
	fs.enterBlock(&loop, true)
	base := fs.freereg
	fs.newLocal("(for generator)", 0)
	fs.newLocal("(for state)", 1)
	fs.newLocal("(for control)", 2)
	for i, name := range s.Names {
		fs.newLocal(name, 3+i)
	}
	n, e := fs.exprList(s.Exprs)
	fs.at(s)
	fs.adjustAssign(3, n, &e)
	fs.bumpStack(3) // ITERC's call uses base+3 .. base+5
	fs.activate(3)
	j := fs.emitJump()
	fs.enterBlock(&inner, false)
	fs.activate(len(s.Names))
	fs.reserve(len(s.Names))
	fs.stmts(s.Body.Stmts)
	fs.leaveBlock()
	fs.at(s)
	fs.markTarget()
	fs.patchJump(j, fs.pc())
	fs.emitABC(bc.ITERC, base+3, len(s.Names)+1, 3)
	iterl := fs.emit(bc.AJ(bc.ITERL, base+3, 0))
	fs.patchJump(iterl, j+1)
	fs.leaveBlock()
	fs.markTarget()
}

func (fs *funcState) returnStmt(s *syntax.ReturnStmt) {
	if len(s.Exprs) == 0 {
		fs.emitAD(bc.RET0, 0, 1)
		return
	}
	n, e := fs.exprList(s.Exprs)
	fs.at(s)
	if n == 1 && e.k == kCall && fs.p.Code[e.info].Op() != bc.VARG {
		// Tail call: CALL -> CALLT, CALLM -> CALLMT, keeping A and C.
		ins := fs.p.Code[e.info]
		fs.p.Code[e.info] = bc.AD(ins.Op()+(bc.CALLT-bc.CALL), ins.A(), ins.C())
		return
	}
	if n == 1 && e.k != kCall {
		fs.emitAD(bc.RET1, fs.toAnyReg(&e), 2)
		return
	}
	if e.k == kCall {
		fs.setMultRet(&e)
		fs.emitAD(bc.RETM, fs.nactvar, e.aux-fs.nactvar)
		return
	}
	fs.toNextReg(&e)
	fs.emitAD(bc.RET, fs.nactvar, n+1)
}
