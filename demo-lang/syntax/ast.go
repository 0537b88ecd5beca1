package syntax

// -- AST -------------------------------------------------------------------------------
//
// Every node embeds a Pos (line and column of the token that starts it, or
// of its operator for binary expressions and assignments) and therefore has
// the method Position. Expressions implement Expr, statements Stmt.

// Node is any AST node.
type Node interface{ Position() Pos }

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

// Chunk is a parsed source file: the body of the main function, which is
// vararg and has no parameters.
type Chunk struct {
	Name    string // chunk name used in messages
	Body    *Block
	EndLine int // the last line of the source
}

// Block is a sequence of statements; End is the position of the token that
// closes it (end, else, elseif, until or <eof>).
type Block struct {
	Pos
	Stmts []Stmt
	End   Pos
}

// -- Expressions --

type (
	// NilExpr is `nil`.
	NilExpr struct{ Pos }
	// TrueExpr is `true`.
	TrueExpr struct{ Pos }
	// FalseExpr is `false`.
	FalseExpr struct{ Pos }
	// VarargExpr is `...`.
	VarargExpr struct{ Pos }
	// NumberExpr is a numeric literal.
	NumberExpr struct {
		Pos
		Value float64
	}
	// StringExpr is a string literal (decoded).
	StringExpr struct {
		Pos
		Value string
	}
	// NameExpr is a variable reference: a local, an upvalue or a global.
	NameExpr struct {
		Pos
		Name string
	}
	// IndexExpr is X[Key], also X.name (Key is then a StringExpr). Pos is
	// the position of '.' or '['.
	IndexExpr struct {
		Pos
		X, Key  Expr
		EndLine int32 // line of the last token (the name or ']')
	}
	// CallExpr is Fn(Args). Pos is the position of '(' (or of the string or
	// table argument), the line Lua 5.1 attributes the call to.
	CallExpr struct {
		Pos
		Fn   Expr
		Args []Expr
	}
	// MethodCallExpr is Recv:Name(Args). Pos is the position of the
	// arguments, as for CallExpr; NamePos that of Name.
	MethodCallExpr struct {
		Pos
		Recv    Expr
		Name    string
		NamePos Pos
		Args    []Expr
	}
	// FuncExpr is a function body: `function (params) body end`. For
	// methods the parser has already inserted the parameter "self".
	FuncExpr struct {
		Pos
		Params   []string
		IsVararg bool
		Body     *Block
		EndLine  int    // line of the closing `end`
		Name     string // a name for listings and tracebacks ("" if anonymous)
	}
	// BinaryExpr is L Op R. Pos is the position of the operator.
	BinaryExpr struct {
		Pos
		Op      BinOp
		L, R    Expr
		EndLine int32 // line of the last token of R: Lua 5.1 attributes the operation there
	}
	// UnaryExpr is Op X.
	UnaryExpr struct {
		Pos
		Op      UnOp
		X       Expr
		EndLine int32 // line of the last token of X
	}
	// ParenExpr is (X): it truncates X to one value.
	ParenExpr struct {
		Pos
		X Expr
	}
	// TableExpr is a table constructor.
	TableExpr struct {
		Pos
		Fields []Field
	}
)

// FieldKind tells the three forms of table constructor fields apart.
type FieldKind uint8

// Table constructor field forms.
const (
	FieldPos   FieldKind = iota // exp (next array index)
	FieldNamed                  // name = exp (Key is a StringExpr)
	FieldKeyed                  // [exp] = exp
)

// Field is one table constructor entry.
type Field struct {
	Pos
	Kind  FieldKind
	Key   Expr // nil for FieldPos
	Value Expr
}

// BinOp is a binary operator.
type BinOp uint8

// Binary operators.
const (
	OpAdd BinOp = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpPow
	OpConcat
	OpEq
	OpNE
	OpLT
	OpLE
	OpGT
	OpGE
	OpAnd
	OpOr
)

var binOpNames = [...]string{"+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"}

// String returns the operator as written in Lua.
func (o BinOp) String() string { return binOpNames[o] }

// UnOp is a unary operator.
type UnOp uint8

// Unary operators.
const (
	OpNeg UnOp = iota // -
	OpNot             // not
	OpLen             // #
)

var unOpNames = [...]string{"-", "not", "#"}

// String returns the operator as written in Lua.
func (o UnOp) String() string { return unOpNames[o] }

// -- Statements --

type (
	// LocalStmt is `local names = exprs`.
	LocalStmt struct {
		Pos
		Names    []string
		NamePoss []Pos
		Exprs    []Expr
		EndLine  int32 // line of the statement's last token
	}
	// AssignStmt is `targets = exprs`; targets are NameExpr or IndexExpr.
	// Pos is the position of '='.
	AssignStmt struct {
		Pos
		Targets []Expr
		Exprs   []Expr
		EndLine int32 // line of the statement's last token, where Lua 5.1 attributes the stores
	}
	// CallStmt is a function call used as a statement.
	CallStmt struct {
		Pos
		Call Expr // *CallExpr or *MethodCallExpr
	}
	// DoStmt is `do body end`.
	DoStmt struct {
		Pos
		Body *Block
	}
	// WhileStmt is `while cond do body end`.
	WhileStmt struct {
		Pos
		Cond Expr
		Body *Block
	}
	// RepeatStmt is `repeat body until cond`; cond sees body's locals.
	RepeatStmt struct {
		Pos
		Body *Block
		Cond Expr
	}
	// IfStmt is `if Conds[0] then Blocks[0] elseif Conds[1] then Blocks[1]
	// ... else Else end`; Else is nil without an else part.
	IfStmt struct {
		Pos
		Conds  []Expr
		Blocks []*Block
		Else   *Block
	}
	// NumForStmt is `for Var = Start, Stop, Step do body end`; Step may be nil.
	NumForStmt struct {
		Pos
		Var               string
		VarPos            Pos
		Start, Stop, Step Expr
		Body              *Block
	}
	// GenForStmt is `for names in exprs do body end`.
	GenForStmt struct {
		Pos
		Names []string
		Exprs []Expr
		Body  *Block
	}
	// FuncStmt is `function a.b.c:m() ... end`: Target is the NameExpr or
	// IndexExpr assigned to; for methods Func has the "self" parameter.
	FuncStmt struct {
		Pos
		Target   Expr
		IsMethod bool
		Func     *FuncExpr
	}
	// LocalFuncStmt is `local function Name() ... end`.
	LocalFuncStmt struct {
		Pos
		Name string
		Func *FuncExpr
	}
	// ReturnStmt is `return exprs`.
	ReturnStmt struct {
		Pos
		Exprs []Expr
	}
	// BreakStmt is `break`.
	BreakStmt struct{ Pos }
)

func (*NilExpr) exprNode()        {}
func (*TrueExpr) exprNode()       {}
func (*FalseExpr) exprNode()      {}
func (*VarargExpr) exprNode()     {}
func (*NumberExpr) exprNode()     {}
func (*StringExpr) exprNode()     {}
func (*NameExpr) exprNode()       {}
func (*IndexExpr) exprNode()      {}
func (*CallExpr) exprNode()       {}
func (*MethodCallExpr) exprNode() {}
func (*FuncExpr) exprNode()       {}
func (*BinaryExpr) exprNode()     {}
func (*UnaryExpr) exprNode()      {}
func (*ParenExpr) exprNode()      {}
func (*TableExpr) exprNode()      {}

func (*LocalStmt) stmtNode()     {}
func (*AssignStmt) stmtNode()    {}
func (*CallStmt) stmtNode()      {}
func (*DoStmt) stmtNode()        {}
func (*WhileStmt) stmtNode()     {}
func (*RepeatStmt) stmtNode()    {}
func (*IfStmt) stmtNode()        {}
func (*NumForStmt) stmtNode()    {}
func (*GenForStmt) stmtNode()    {}
func (*FuncStmt) stmtNode()      {}
func (*LocalFuncStmt) stmtNode() {}
func (*ReturnStmt) stmtNode()    {}
func (*BreakStmt) stmtNode()     {}
