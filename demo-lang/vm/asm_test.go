package vm

import (
	"testing"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
)

// fibProto hand-assembles the bytecode package's worked example, wrapped in a
// main chunk: local function fib(n) ... end; return fib(N)
func fibChunk(n int) *bc.Proto {
	fib := &bc.Proto{
		Code: []bc.Ins{
			bc.AD(bc.KSHORT, 1, 2),
			bc.AD(bc.ISGE, 0, 1),
			bc.AJ(bc.JMP, 1, 1),
			bc.AD(bc.RET1, 0, 2),
			bc.AD(bc.UGET, 1, 0),
			bc.ABC(bc.SUBVN, 2, 0, 0),
			bc.ABC(bc.CALL, 1, 2, 2),
			bc.AD(bc.UGET, 2, 0),
			bc.ABC(bc.SUBVN, 3, 0, 1),
			bc.ABC(bc.CALL, 2, 2, 2),
			bc.ABC(bc.ADDVV, 1, 1, 2),
			bc.AD(bc.RET1, 1, 2),
		},
		Nums:      []float64{1, 2},
		Upvals:    []bc.UpvalDesc{{Name: "fib", FromLocal: true, Index: 0}},
		NumParams: 1,
		FrameSize: 4,
		Source:    "fib.lua",
		Name:      "fib",
		FirstLine: 1,
		LastLine:  1,
		Lines:     []int32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	}
	return &bc.Proto{
		Code: []bc.Ins{
			bc.AD(bc.FNEW, 0, 0),
			bc.AD(bc.MOV, 1, 0),
			bc.AD(bc.KSHORT, 2, n),
			bc.ABC(bc.CALL, 1, 2, 2),
			bc.AD(bc.UCLO, 0, bc.NoJump),
			bc.AD(bc.RET1, 1, 2),
		},
		Protos:    []*bc.Proto{fib},
		IsVararg:  true,
		FrameSize: 3,
		Source:    "fib.lua",
		Name:      "main chunk",
		LastLine:  2,
		Lines:     []int32{1, 2, 2, 2, 2, 2},
	}
}

func TestAsmFib(t *testing.T) {
	L := New(Options{})
	f, err := L.Load(fibChunk(20))
	if err != nil {
		t.Fatal(err)
	}
	res, err := L.Call(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Float() != 6765 {
		t.Fatalf("fib(20) = %v", L.ToGo(res[0]))
	}
}

func BenchmarkAsmFib(b *testing.B) {
	L := New(Options{})
	f, err := L.Load(fibChunk(25))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := L.Call(f); err != nil {
			b.Fatal(err)
		}
	}
}
