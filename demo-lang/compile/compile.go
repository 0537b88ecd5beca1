package compile

import (
	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/syntax"
)

// -- Entry points ------------------------------------------------------------------------------

// Compile compiles a parsed chunk into the prototype of its main function
// (vararg, no parameters; nested functions are in Protos). Errors (limits
// exceeded) are *syntax.Error with the line and column of the construct.
func Compile(chunk *syntax.Chunk) (p *bc.Proto, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			p, err = nil, b.err
		}
	}()
	main := &syntax.FuncExpr{
		Pos:      syntax.Pos{Line: 0, Col: 0},
		IsVararg: true,
		Body:     chunk.Body,
		EndLine:  chunk.EndLine,
		Name:     "main chunk",
	}
	return compileFuncIn(nil, chunk.Name, main), nil
}

// CompileSource parses and compiles a chunk; name is the chunk name used in
// messages ("fib.lua").
func CompileSource(name string, src []byte) (*bc.Proto, error) {
	chunk, err := syntax.Parse(name, src)
	if err != nil {
		return nil, err
	}
	return Compile(chunk)
}

func compileFunc(parent *funcState, n *syntax.FuncExpr) *bc.Proto {
	return compileFuncIn(parent, parent.file, n)
}

func compileFuncIn(parent *funcState, file string, n *syntax.FuncExpr) *bc.Proto {
	fs := newFuncState(parent, file, int(n.Line), n.EndLine)
	fs.p.Name = n.Name
	fs.line, fs.col = n.Line, n.Col
	var top blockScope
	fs.enterBlock(&top, false)
	for i, name := range n.Params {
		fs.newLocal(name, i)
	}
	fs.activate(len(n.Params))
	fs.reserve(len(n.Params))
	fs.p.NumParams = len(n.Params)
	fs.p.IsVararg = n.IsVararg
	fs.stmts(n.Body.Stmts)
	fs.line, fs.col = int32(n.EndLine), 0
	if last := fs.pc() - 1; last < 0 || last < fs.lastTgt || !isReturn(fs.p.Code[last].Op()) {
		fs.emitAD(bc.RET0, 0, 1)
	}
	// Open upvalues need no UCLO here: returns close them.
	fs.bl = nil
	fs.removeVars(0)
	if fs.p.FrameSize < 1 {
		fs.p.FrameSize = 1
	}
	return fs.p
}

func isReturn(op bc.Op) bool {
	switch op {
	case bc.RET, bc.RET0, bc.RET1, bc.RETM, bc.CALLT, bc.CALLMT:
		return true
	}
	return false
}
