package syntax

import "fmt"

// -- Parser ----------------------------------------------------------------------------
//
// A recursive-descent parser shaped like Lua 5.1's lparser.c, so that it
// accepts exactly Lua 5.1's grammar and fails with the same messages at the
// same tokens. Errors unwind with a panic carrying a bailout value that
// Parse recovers; any other panic is a bug and is not swallowed.

// MaxLevels is the nesting limit of blocks and expressions ("chunk has too
// many syntax levels"), Lua 5.1's LUAI_MAXCCALLS.
const MaxLevels = 200

type bailout struct{ err *Error }

type funcState struct {
	isVararg bool
	loops    int // enclosing loops in this function
	outer    *funcState
}

type parser struct {
	lx       *Lexer
	file     string
	tok      Token // current token
	tokEnd   int   // lexer line just after the current token (Lua's linenumber)
	ahead    Token
	aheadEnd int
	hasAhead bool
	lastLine int // end line of the last consumed token (Lua's lastline)
	level    int
	fs       *funcState
}

// Parse parses a whole chunk. name is the chunk name used in messages
// ("fib.lua"). A first line starting with '#' (a Unix "#!" line) is
// skipped, as lua5.1 does for files. Errors are *Error.
func Parse(name string, src []byte) (chunk *Chunk, err error) {
	if len(src) > 0 && src[0] == '#' {
		// Keep the newline so line numbers stay right.
		i := 0
		for i < len(src) && src[i] != '\n' && src[i] != '\r' {
			i++
		}
		blank := make([]byte, len(src))
		copy(blank[i:], src[i:])
		for k := 0; k < i; k++ {
			blank[k] = ' '
		}
		src = blank
	}
	p := &parser{lx: NewLexer(name, src), file: name, lastLine: 1}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			chunk, err = nil, b.err
		}
	}()
	p.fs = &funcState{isVararg: true}
	p.next()
	body := p.block()
	if p.tok.Kind != TokEOF {
		p.errorExpected(TokEOF)
	}
	return &Chunk{Name: name, Body: body, EndLine: p.tokEnd}, nil
}

// -- Token handling --

func (p *parser) lex() (Token, int) {
	t, err := p.lx.Next()
	if err != nil {
		panic(bailout{err.(*Error)})
	}
	return t, p.lx.Line()
}

func (p *parser) next() {
	p.lastLine = p.tokEnd
	if p.hasAhead {
		p.tok, p.tokEnd = p.ahead, p.aheadEnd
		p.hasAhead = false
		return
	}
	p.tok, p.tokEnd = p.lex()
}

func (p *parser) lookahead() Tok {
	if !p.hasAhead {
		p.ahead, p.aheadEnd = p.lex()
		p.hasAhead = true
	}
	return p.ahead.Kind
}

// error fails with msg near the current token, at Lua's current line.
func (p *parser) error(msg string) {
	e := &Error{File: p.file, Line: p.tokEnd, Col: int(p.tok.Pos.Col), Msg: msg, Near: p.tok.NearText()}
	if _, feature, ok := unsupported(p.tok.Kind); ok {
		e.Hint = feature
	}
	panic(bailout{e})
}

// errorNoNear fails with msg and no "near" part (Lua's lexerror with token 0).
func (p *parser) errorNoNear(msg string) {
	panic(bailout{&Error{File: p.file, Line: p.tokEnd, Col: int(p.tok.Pos.Col), Msg: msg}})
}

func (p *parser) errorExpected(t Tok) {
	p.error(fmt.Sprintf("'%s' expected", t))
}

func (p *parser) testNext(t Tok) bool {
	if p.tok.Kind == t {
		p.next()
		return true
	}
	return false
}

func (p *parser) check(t Tok) {
	if p.tok.Kind != t {
		p.errorExpected(t)
	}
}

func (p *parser) checkNext(t Tok) {
	p.check(t)
	p.next()
}

// checkMatch expects what closing who opened at line.
func (p *parser) checkMatch(what, who Tok, line int) {
	if !p.testNext(what) {
		if line == p.tokEnd {
			p.errorExpected(what)
		}
		p.error(fmt.Sprintf("'%s' expected (to close '%s' at line %d)", what, who, line))
	}
}

func (p *parser) checkName() (string, Pos) {
	p.check(TokName)
	s, pos := p.tok.Text, p.tok.Pos
	p.next()
	return s, pos
}

func (p *parser) enter() {
	p.level++
	if p.level > MaxLevels {
		p.errorNoNear("chunk has too many syntax levels")
	}
}

func (p *parser) leave() { p.level-- }

func blockFollow(t Tok) bool {
	switch t {
	case TokElse, TokElseif, TokEnd, TokUntil, TokEOF:
		return true
	}
	return false
}

// -- Blocks and statements --

// block parses statements up to a block-closing token; a return or break
// must be the last statement.
func (p *parser) block() *Block {
	p.enter()
	b := &Block{Pos: p.tok.Pos}
	for !blockFollow(p.tok.Kind) {
		s, last := p.statement()
		b.Stmts = append(b.Stmts, s)
		p.testNext(';')
		if last {
			break
		}
	}
	b.End = p.tok.Pos
	p.leave()
	return b
}

func (p *parser) statement() (Stmt, bool) {
	pos := p.tok.Pos
	line := int(pos.Line)
	switch p.tok.Kind {
	case TokIf:
		return p.ifStat(pos), false
	case TokWhile:
		p.next()
		cond := p.expr()
		p.checkNext(TokDo)
		body := p.loopBlock()
		p.checkMatch(TokEnd, TokWhile, line)
		return &WhileStmt{Pos: pos, Cond: cond, Body: body}, false
	case TokDo:
		p.next()
		body := p.block()
		p.checkMatch(TokEnd, TokDo, line)
		return &DoStmt{Pos: pos, Body: body}, false
	case TokFor:
		return p.forStat(pos), false
	case TokRepeat:
		p.next()
		body := p.loopBlock()
		p.checkMatch(TokUntil, TokRepeat, line)
		cond := p.expr()
		return &RepeatStmt{Pos: pos, Body: body, Cond: cond}, false
	case TokFunction:
		p.next()
		return p.funcStat(pos), false
	case TokLocal:
		p.next()
		if p.testNext(TokFunction) {
			name, _ := p.checkName()
			f := p.body(pos, false, name)
			return &LocalFuncStmt{Pos: pos, Name: name, Func: f}, false
		}
		return p.localStat(pos), false
	case TokReturn:
		p.next()
		r := &ReturnStmt{Pos: pos}
		if !blockFollow(p.tok.Kind) && p.tok.Kind != ';' {
			r.Exprs = p.exprList()
		}
		return r, true
	case TokBreak:
		p.next()
		if p.fs.loops == 0 {
			p.error("no loop to break")
		}
		return &BreakStmt{Pos: pos}, true
	}
	return p.exprStat(pos), false
}

func (p *parser) loopBlock() *Block {
	p.fs.loops++
	b := p.block()
	p.fs.loops--
	return b
}

func (p *parser) ifStat(pos Pos) Stmt {
	line := int(pos.Line)
	s := &IfStmt{Pos: pos}
	for {
		p.next() // skip if / elseif
		s.Conds = append(s.Conds, p.expr())
		p.checkNext(TokThen)
		s.Blocks = append(s.Blocks, p.block())
		if p.tok.Kind != TokElseif {
			break
		}
	}
	if p.testNext(TokElse) {
		s.Else = p.block()
	}
	p.checkMatch(TokEnd, TokIf, line)
	return s
}

func (p *parser) forStat(pos Pos) Stmt {
	line := int(pos.Line)
	p.next()
	name, npos := p.checkName()
	var s Stmt
	switch p.tok.Kind {
	case '=':
		p.next()
		f := &NumForStmt{Pos: pos, Var: name, VarPos: npos}
		f.Start = p.expr()
		p.checkNext(',')
		f.Stop = p.expr()
		if p.testNext(',') {
			f.Step = p.expr()
		}
		p.checkNext(TokDo)
		f.Body = p.loopBlock()
		s = f
	case ',', TokIn:
		f := &GenForStmt{Pos: pos, Names: []string{name}}
		for p.testNext(',') {
			n, _ := p.checkName()
			f.Names = append(f.Names, n)
		}
		p.checkNext(TokIn)
		f.Exprs = p.exprList()
		p.checkNext(TokDo)
		f.Body = p.loopBlock()
		s = f
	default:
		p.error("'=' or 'in' expected")
	}
	p.checkMatch(TokEnd, TokFor, line)
	return s
}

func (p *parser) funcStat(pos Pos) Stmt {
	name, npos := p.checkName()
	full := name
	var target Expr = &NameExpr{Pos: npos, Name: name}
	isMethod := false
	for p.tok.Kind == '.' || p.tok.Kind == ':' {
		isMethod = p.tok.Kind == ':'
		dpos := p.tok.Pos
		p.next()
		key, kpos := p.checkName()
		target = &IndexExpr{Pos: dpos, X: target, Key: &StringExpr{Pos: kpos, Value: key}, EndLine: kpos.Line}
		if isMethod {
			full += ":" + key
			break
		}
		full += "." + key
	}
	f := p.body(pos, isMethod, full)
	return &FuncStmt{Pos: pos, Target: target, IsMethod: isMethod, Func: f}
}

func (p *parser) localStat(pos Pos) Stmt {
	s := &LocalStmt{Pos: pos}
	for {
		n, np := p.checkName()
		s.Names = append(s.Names, n)
		s.NamePoss = append(s.NamePoss, np)
		if !p.testNext(',') {
			break
		}
	}
	if p.testNext('=') {
		s.Exprs = p.exprList()
	}
	s.EndLine = int32(p.lastLine)
	return s
}

func (p *parser) exprStat(pos Pos) Stmt {
	e := p.suffixedExpr()
	switch e.(type) {
	case *CallExpr, *MethodCallExpr:
		return &CallStmt{Pos: pos, Call: e}
	}
	if n, ok := e.(*NameExpr); ok && n.Name == "goto" && p.tok.Kind == TokName {
		err := &Error{File: p.file, Line: p.tokEnd, Col: int(p.tok.Pos.Col), Msg: "'=' expected",
			Near: p.tok.NearText(), Hint: "goto is not supported"}
		panic(bailout{err})
	}
	targets := []Expr{e}
	for {
		if !isAssignable(targets[len(targets)-1]) {
			p.error("syntax error")
		}
		if !p.testNext(',') {
			break
		}
		targets = append(targets, p.suffixedExpr())
	}
	apos := p.tok.Pos
	p.checkNext('=')
	exprs := p.exprList()
	return &AssignStmt{Pos: apos, Targets: targets, Exprs: exprs, EndLine: int32(p.lastLine)}
}

func isAssignable(e Expr) bool {
	switch e.(type) {
	case *NameExpr, *IndexExpr:
		return true
	}
	return false
}

// body parses a function's parameter list and body after `function` (and
// its name); pos is the position of `function`.
func (p *parser) body(pos Pos, isMethod bool, name string) *FuncExpr {
	line := int(pos.Line)
	f := &FuncExpr{Pos: pos, Name: name}
	if isMethod {
		f.Params = append(f.Params, "self")
	}
	p.checkNext('(')
	if p.tok.Kind != ')' {
		for {
			switch p.tok.Kind {
			case TokName:
				f.Params = append(f.Params, p.tok.Text)
				p.next()
			case TokDots:
				p.next()
				f.IsVararg = true
			default:
				p.error("<name> or '...' expected")
			}
			if f.IsVararg || !p.testNext(',') {
				break
			}
		}
	}
	p.checkNext(')')
	p.fs = &funcState{isVararg: f.IsVararg, outer: p.fs}
	f.Body = p.block()
	p.fs = p.fs.outer
	f.EndLine = p.tokEnd
	p.checkMatch(TokEnd, TokFunction, line)
	return f
}

// -- Expressions --

func (p *parser) exprList() []Expr {
	list := []Expr{p.expr()}
	for p.testNext(',') {
		list = append(list, p.expr())
	}
	return list
}

func (p *parser) expr() Expr { return p.subExpr(0) }

// Operator priorities (left, right), Lua 5.1's priority table.
var binPrio = [...]struct{ left, right int }{
	OpAdd: {6, 6}, OpSub: {6, 6}, OpMul: {7, 7}, OpDiv: {7, 7}, OpMod: {7, 7},
	OpPow: {10, 9}, OpConcat: {5, 4},
	OpEq: {3, 3}, OpNE: {3, 3}, OpLT: {3, 3}, OpLE: {3, 3}, OpGT: {3, 3}, OpGE: {3, 3},
	OpAnd: {2, 2}, OpOr: {1, 1},
}

// unaryPrio is the priority of unary operators: above every binary
// operator but ^, so -x^2 is -(x^2) and 2^-x works.
const unaryPrio = 8

func binOp(t Tok) (BinOp, bool) {
	switch t {
	case '+':
		return OpAdd, true
	case '-':
		return OpSub, true
	case '*':
		return OpMul, true
	case '/':
		return OpDiv, true
	case '%':
		return OpMod, true
	case '^':
		return OpPow, true
	case TokConcat:
		return OpConcat, true
	case TokEq:
		return OpEq, true
	case TokNE:
		return OpNE, true
	case '<':
		return OpLT, true
	case TokLE:
		return OpLE, true
	case '>':
		return OpGT, true
	case TokGE:
		return OpGE, true
	case TokAnd:
		return OpAnd, true
	case TokOr:
		return OpOr, true
	}
	return 0, false
}

func unOp(t Tok) (UnOp, bool) {
	switch t {
	case '-':
		return OpNeg, true
	case TokNot:
		return OpNot, true
	case '#':
		return OpLen, true
	}
	return 0, false
}

// subExpr parses an expression whose binary operators bind tighter than
// limit (Lua's subexpr).
func (p *parser) subExpr(limit int) Expr {
	p.enter()
	var e Expr
	if op, ok := unOp(p.tok.Kind); ok {
		pos := p.tok.Pos
		p.next()
		x := p.subExpr(unaryPrio)
		e = &UnaryExpr{Pos: pos, Op: op, X: x, EndLine: int32(p.lastLine)}
	} else {
		e = p.simpleExpr()
	}
	for {
		op, ok := binOp(p.tok.Kind)
		if !ok || binPrio[op].left <= limit {
			break
		}
		pos := p.tok.Pos
		p.next()
		r := p.subExpr(binPrio[op].right)
		e = &BinaryExpr{Pos: pos, Op: op, L: e, R: r, EndLine: int32(p.lastLine)}
	}
	p.leave()
	return e
}

func (p *parser) simpleExpr() Expr {
	pos := p.tok.Pos
	var e Expr
	switch p.tok.Kind {
	case TokNumber:
		e = &NumberExpr{Pos: pos, Value: p.tok.Num}
	case TokString:
		e = &StringExpr{Pos: pos, Value: p.tok.Text}
	case TokNil:
		e = &NilExpr{Pos: pos}
	case TokTrue:
		e = &TrueExpr{Pos: pos}
	case TokFalse:
		e = &FalseExpr{Pos: pos}
	case TokDots:
		if !p.fs.isVararg {
			p.error("cannot use '...' outside a vararg function")
		}
		e = &VarargExpr{Pos: pos}
	case '{':
		return p.constructor()
	case TokFunction:
		p.next()
		return p.body(pos, false, "")
	default:
		return p.suffixedExpr()
	}
	p.next()
	return e
}

func (p *parser) primaryExpr() Expr {
	pos := p.tok.Pos
	switch p.tok.Kind {
	case TokName:
		n := &NameExpr{Pos: pos, Name: p.tok.Text}
		p.next()
		return n
	case '(':
		line := p.tokEnd
		p.next()
		x := p.expr()
		p.checkMatch(')', '(', line)
		return &ParenExpr{Pos: pos, X: x}
	}
	p.error("unexpected symbol")
	return nil
}

func (p *parser) suffixedExpr() Expr {
	e := p.primaryExpr()
	for {
		pos := p.tok.Pos
		switch p.tok.Kind {
		case '.':
			p.next()
			name, npos := p.checkName()
			e = &IndexExpr{Pos: pos, X: e, Key: &StringExpr{Pos: npos, Value: name}, EndLine: int32(p.lastLine)}
		case '[':
			p.next()
			k := p.expr()
			p.checkNext(']')
			e = &IndexExpr{Pos: pos, X: e, Key: k, EndLine: int32(p.lastLine)}
		case ':':
			p.next()
			name, npos := p.checkName()
			apos := p.tok.Pos
			args := p.funcArgs()
			e = &MethodCallExpr{Pos: apos, Recv: e, Name: name, NamePos: npos, Args: args}
		case '(', TokString, '{':
			args := p.funcArgs()
			e = &CallExpr{Pos: pos, Fn: e, Args: args}
		default:
			return e
		}
	}
}

func (p *parser) funcArgs() []Expr {
	line := p.tokEnd
	switch p.tok.Kind {
	case '(':
		if line != p.lastLine {
			p.error("ambiguous syntax (function call x new statement)")
		}
		p.next()
		var args []Expr
		if p.tok.Kind != ')' {
			args = p.exprList()
		}
		p.checkMatch(')', '(', line)
		return args
	case '{':
		return []Expr{p.constructor()}
	case TokString:
		s := &StringExpr{Pos: p.tok.Pos, Value: p.tok.Text}
		p.next()
		return []Expr{s}
	}
	p.error("function arguments expected")
	return nil
}

func (p *parser) constructor() Expr {
	t := &TableExpr{Pos: p.tok.Pos}
	line := p.tokEnd
	p.checkNext('{')
	for p.tok.Kind != '}' {
		fpos := p.tok.Pos
		switch {
		case p.tok.Kind == TokName && p.lookahead() == '=':
			name := p.tok.Text
			p.next()
			p.next() // '='
			t.Fields = append(t.Fields, Field{Pos: fpos, Kind: FieldNamed, Key: &StringExpr{Pos: fpos, Value: name}, Value: p.expr()})
		case p.tok.Kind == '[':
			p.next()
			k := p.expr()
			p.checkNext(']')
			p.checkNext('=')
			t.Fields = append(t.Fields, Field{Pos: fpos, Kind: FieldKeyed, Key: k, Value: p.expr()})
		default:
			t.Fields = append(t.Fields, Field{Pos: fpos, Kind: FieldPos, Value: p.expr()})
		}
		if !p.testNext(',') && !p.testNext(';') {
			break
		}
	}
	p.checkMatch('}', '{', line)
	return t
}
