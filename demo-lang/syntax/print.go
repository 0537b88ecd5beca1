package syntax

import (
	"strconv"
	"strings"
)

// -- Printing ----------------------------------------------------------------------------

// Sprint renders a node as a compact, fully parenthesized S-expression, for
// tests and debugging: `local x = -y^2` prints as (local (x) ((neg (^ y 2)))).
func Sprint(n Node) string {
	var sb strings.Builder
	sprint(&sb, n)
	return sb.String()
}

func sprintList[T Node](sb *strings.Builder, list []T) {
	sb.WriteByte('(')
	for i, x := range list {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sprint(sb, x)
	}
	sb.WriteByte(')')
}

func names(sb *strings.Builder, list []string) {
	sb.WriteByte('(')
	sb.WriteString(strings.Join(list, " "))
	sb.WriteByte(')')
}

func sprint(sb *strings.Builder, n Node) {
	w := sb.WriteString
	switch n := n.(type) {
	case nil:
		w("<nil>")
	case *Block:
		w("(block")
		for _, s := range n.Stmts {
			w(" ")
			sprint(sb, s)
		}
		w(")")
	case *NilExpr:
		w("nil")
	case *TrueExpr:
		w("true")
	case *FalseExpr:
		w("false")
	case *VarargExpr:
		w("...")
	case *NumberExpr:
		w(strconv.FormatFloat(n.Value, 'g', -1, 64))
	case *StringExpr:
		w(strconv.Quote(n.Value))
	case *NameExpr:
		w(n.Name)
	case *IndexExpr:
		w("(index ")
		sprint(sb, n.X)
		w(" ")
		sprint(sb, n.Key)
		w(")")
	case *CallExpr:
		w("(call ")
		sprint(sb, n.Fn)
		w(" ")
		sprintList(sb, n.Args)
		w(")")
	case *MethodCallExpr:
		w("(method ")
		sprint(sb, n.Recv)
		w(" " + n.Name + " ")
		sprintList(sb, n.Args)
		w(")")
	case *FuncExpr:
		w("(function ")
		ps := n.Params
		if n.IsVararg {
			ps = append(append([]string(nil), ps...), "...")
		}
		names(sb, ps)
		w(" ")
		sprint(sb, n.Body)
		w(")")
	case *BinaryExpr:
		w("(" + n.Op.String() + " ")
		sprint(sb, n.L)
		w(" ")
		sprint(sb, n.R)
		w(")")
	case *UnaryExpr:
		op := n.Op.String()
		if n.Op == OpNeg {
			op = "neg"
		}
		w("(" + op + " ")
		sprint(sb, n.X)
		w(")")
	case *ParenExpr:
		w("(paren ")
		sprint(sb, n.X)
		w(")")
	case *TableExpr:
		w("(table")
		for _, f := range n.Fields {
			w(" ")
			switch f.Kind {
			case FieldPos:
				sprint(sb, f.Value)
			default:
				w("[")
				sprint(sb, f.Key)
				w("]=")
				sprint(sb, f.Value)
			}
		}
		w(")")
	case *LocalStmt:
		w("(local ")
		names(sb, n.Names)
		w(" ")
		sprintList(sb, n.Exprs)
		w(")")
	case *AssignStmt:
		w("(= ")
		sprintList(sb, n.Targets)
		w(" ")
		sprintList(sb, n.Exprs)
		w(")")
	case *CallStmt:
		sprint(sb, n.Call)
	case *DoStmt:
		w("(do ")
		sprint(sb, n.Body)
		w(")")
	case *WhileStmt:
		w("(while ")
		sprint(sb, n.Cond)
		w(" ")
		sprint(sb, n.Body)
		w(")")
	case *RepeatStmt:
		w("(repeat ")
		sprint(sb, n.Body)
		w(" ")
		sprint(sb, n.Cond)
		w(")")
	case *IfStmt:
		w("(if")
		for i := range n.Conds {
			w(" ")
			sprint(sb, n.Conds[i])
			w(" ")
			sprint(sb, n.Blocks[i])
		}
		if n.Else != nil {
			w(" else ")
			sprint(sb, n.Else)
		}
		w(")")
	case *NumForStmt:
		w("(fornum " + n.Var + " ")
		sprint(sb, n.Start)
		w(" ")
		sprint(sb, n.Stop)
		if n.Step != nil {
			w(" ")
			sprint(sb, n.Step)
		}
		w(" ")
		sprint(sb, n.Body)
		w(")")
	case *GenForStmt:
		w("(forin ")
		names(sb, n.Names)
		w(" ")
		sprintList(sb, n.Exprs)
		w(" ")
		sprint(sb, n.Body)
		w(")")
	case *FuncStmt:
		w("(funcstat ")
		sprint(sb, n.Target)
		w(" ")
		sprint(sb, n.Func)
		w(")")
	case *LocalFuncStmt:
		w("(localfunc " + n.Name + " ")
		sprint(sb, n.Func)
		w(")")
	case *ReturnStmt:
		w("(return ")
		sprintList(sb, n.Exprs)
		w(")")
	case *BreakStmt:
		w("(break)")
	default:
		w("<?>")
	}
}
