package syntax_test

import (
	"fmt"

	"github.com/jitkit/jitkit/demo-lang/syntax"
)

func ExampleParse() {
	chunk, err := syntax.Parse("t.lua", []byte(`local x = -y^2 .. "!"`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(syntax.Sprint(chunk.Body))
	// Output:
	// (block (local (x) ((.. (neg (^ y 2)) "!"))))
}

func ExampleError() {
	_, err := syntax.Parse("t.lua", []byte("x = 1\ny = a // 2"))
	e := err.(*syntax.Error)
	fmt.Println(e.Error())
	fmt.Println(e.Lua51())
	// Output:
	// t.lua:2:7: unexpected symbol near '/' (integer division '//' is not supported)
	// t.lua:2: unexpected symbol near '/'
}

func ExampleLexer() {
	lx := syntax.NewLexer("t.lua", []byte("a = [[\nlong]] .. 0x10"))
	for {
		tok, err := lx.Next()
		if err != nil || tok.Kind == syntax.TokEOF {
			break
		}
		fmt.Printf("%v %s %q\n", tok.Pos, tok.Kind, tok.Text)
	}
	// Output:
	// 1:1 <name> "a"
	// 1:3 = ""
	// 1:5 <string> "long"
	// 2:8 .. ""
	// 2:11 <number> "0x10"
}
