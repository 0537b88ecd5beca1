package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.lua")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, c := range errorCases {
		f.Add([]byte(c.src))
	}
	f.Add([]byte("x = [==[ a ]] ]=] ]==] --[[ c ]] y = 0x1p4 .. '\\65\\n'"))
}

// FuzzLexer checks that the lexer never panics or loops, that it always
// makes progress, and that token positions never go backwards.
func FuzzLexer(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		lx := NewLexer("f.lua", src)
		var last Pos
		for n := 0; ; n++ {
			if n > len(src)+1 {
				t.Fatalf("more tokens than bytes")
			}
			tok, err := lx.Next()
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error of type %T", err)
				}
				return
			}
			if tok.Pos.Line < last.Line || tok.Pos.Line == last.Line && tok.Pos.Col < last.Col {
				t.Fatalf("position went backwards: %v after %v", tok.Pos, last)
			}
			last = tok.Pos
			if tok.Kind == TokEOF {
				return
			}
		}
	})
}

// FuzzParser checks that Parse never panics, returns either a chunk or an
// *Error, and that printing the tree works.
func FuzzParser(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		ch, err := Parse("f.lua", src)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Line < 1 {
				t.Fatalf("bad error %T %v", err, err)
			}
			_ = e.Lua51()
			return
		}
		_ = Sprint(ch.Body)
	})
}
