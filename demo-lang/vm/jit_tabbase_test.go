package vm_test

import (
	"bytes"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/irkit"
)

// TestTableBiasedBase: a table read through another table's element
// (matmul's b[k][j]) reaches State.tabs with the value word itself as the
// index of a biased base (BCAST, no UNBOXP) in the inner loop's trace, and
// prints what the interpreter prints, also when a row is short (the
// bounds guard leaves) or replaced by another table mid-loop.
func TestTableBiasedBase(t *testing.T) {
	const src = `local n = 30
local a, b = {}, {}
for i = 1, n do
  local ra, rb = {}, {}
  for j = 1, n do ra[j] = i + j * 0.5; rb[j] = i * j * 0.25 end
  a[i], b[i] = ra, rb
end
b[n - 3] = {1, 2, 3}
local tr = 0
for i = 1, n do
  local ai = a[i]
  for j = 1, n do
    local s = 0
    for k = 1, n do
      local row = b[k]
      s = s + ai[k] * (row[j] or 1)
    end
    tr = tr + s
  end
  if i == 10 then b[2] = {7, 8, 9, 10} end
end
print(tr)
`
	var want bytes.Buffer
	L := vm.New(vm.Options{Stdout: &want})
	if _, err := L.DoString("m.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	got, traces, _ := runUnroll(t, src, 15)
	if got != want.String() {
		t.Fatalf("JIT printed %q, interpreter %q", got, want.String())
	}
	found := false
	for _, ti := range traces {
		if ti.Parent != 0 || ti.End != "loop" || ti.Line != 15 {
			continue
		}
		found = true
		tr := ti.IR
		bcast := 0
		for r := irkit.First; r < tr.Next(); r++ {
			ins := tr.Ins(r)
			switch ins.Op {
			case irkit.UNBOXP:
				t.Errorf("%04d: UNBOXP of a table value\n%s", int(r-irkit.Bias), tr)
			case irkit.AREF:
				if bi := tr.Ins(ins.Op2); bi.Op == irkit.BCAST && tr.Ins(bi.Op1).T.Base() == irkit.TVal {
					bcast++
				}
			}
		}
		if bcast == 0 {
			t.Errorf("no table reached through its value word\n%s", tr)
		}
	}
	if !found {
		t.Fatal("no root trace of the inner loop (line 15)")
	}
}
