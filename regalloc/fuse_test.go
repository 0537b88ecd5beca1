package regalloc

import (
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// tableRead builds demo-lang's read of t[k][j] with t a table value in
// slot 1 and k an int in slot 0: the row through the biased table array
// (a BCAST of the value word as index), its array's length compared in
// memory, the element checked and unboxed in memory. It returns the
// refs the test looks at.
func tableRead() (tr *irkit.Trace, refs map[string]irkit.Ref) {
	b := irkit.NewBuilder(nil)
	tr = b.T
	tr.AddSnap(0, 4, nil, nil)
	k := b.SLoad(0, irkit.TInt)
	tv := b.SLoad(1, irkit.TVal)
	b.Guard(irkit.ISTAG, tv, 5)
	base := b.Emit(irkit.ADD, irkit.TPtr, b.SLoad(2, irkit.TPtr), b.KI64(-64))
	bc := b.Emit(irkit.BCAST, irkit.TI64, tv, irkit.NoRef)
	rowRef := b.Emit(irkit.AREF, irkit.TPtr, base, bc)
	row := b.Emit(irkit.ALOAD, irkit.TPtr, rowRef, irkit.NoRef)
	data := b.Emit(irkit.FLOAD, irkit.TPtr, row, 0)
	n := b.Emit(irkit.FLOAD, irkit.TI64, row, 8)
	idx := b.Emit(irkit.SEXT, irkit.TI64, k, irkit.NoRef)
	ult := b.Guard(irkit.ULT, idx, n)
	elRef := b.Emit(irkit.AREF, irkit.TPtr, data, idx)
	el := b.Emit(irkit.ALOAD, irkit.TVal, elRef, irkit.NoRef)
	isnum := b.Guard(irkit.ISNUM, el, irkit.NoRef)
	x := b.Emit(irkit.UNBOXN, irkit.TNum, el, irkit.NoRef)
	// A field store through an FREF: one register for the object.
	fref := b.Emit(irkit.FREF, irkit.TPtr, row, 16)
	st := b.Emit(irkit.FSTORE, irkit.TVoid, fref, x)
	return tr, map[string]irkit.Ref{"base": base, "bcast": bc, "rowRef": rowRef, "row": row,
		"n": n, "idx": idx, "ult": ult, "elRef": elRef, "el": el, "isnum": isnum, "x": x,
		"fref": fref, "st": st, "data": data}
}

// On amd64 the addresses, the BCAST and the loads read only through fused
// operands get no register; the fused instructions read the base and the
// index in Op1 and Op2; Check proves the allocation. arm64 fuses nothing
// of this.
func TestFusedAddr(t *testing.T) {
	tr, r := tableRead()
	if err := tr.Verify(); err != nil {
		t.Fatalf("%v\n%s", err, tr)
	}
	res := allocChecked(t, tr)
	for _, name := range []string{"bcast", "rowRef", "n", "elRef", "el", "fref"} {
		if d := res.At(r[name]).Dest; d != NoReg {
			t.Errorf("%s has register %s, want none (fused)\n%s", name, AMD64.RegName(d), res.Format(tr))
		}
	}
	for _, c := range []struct {
		ins, addr string
		index     irkit.Ref
	}{
		{"row", "rowRef", irkit.Ref(0)}, {"isnum", "elRef", r["idx"]}, {"x", "elRef", r["idx"]}, {"st", "fref", irkit.NoRef},
	} {
		addr, ok := AMD64.FusedAddr(tr, r[c.ins])
		if !ok || addr != r[c.addr] {
			t.Errorf("FusedAddr(%s) = %v, %v; want %s", c.ins, addr, ok, c.addr)
			continue
		}
		a, i := AMD64.Operands(tr, r[c.ins])
		if a != tr.Ins(addr).Op1 {
			t.Errorf("%s reads %v, want the base %v", c.ins, a, tr.Ins(addr).Op1)
		}
		want := c.index
		if c.ins == "row" {
			want = tr.Ins(r["bcast"]).Op1 // the value word, through the BCAST
		}
		if c.ins == "st" {
			want = tr.Ins(r["st"]).Op2 // the stored value
		}
		if i != want {
			t.Errorf("%s reads %v as second operand, want %v", c.ins, i, want)
		}
	}
	if load, ok := AMD64.FusedLoad2(tr, r["ult"]); !ok || load != r["n"] {
		t.Errorf("FusedLoad2(ult) = %v, %v; want the length's FLOAD", load, ok)
	}
	if _, c := AMD64.Operands(tr, r["ult"]); c != r["row"] {
		t.Errorf("the bounds check reads %v, want the row %v", c, r["row"])
	}

	res2, err := Alloc(ARM64, tr)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(tr, res2); err != nil {
		t.Fatalf("%v\n%s", err, res2.Format(tr))
	}
	if _, ok := ARM64.FusedAddr(tr, r["row"]); ok {
		t.Errorf("arm64 fuses an address")
	}
	if res2.At(r["rowRef"]).Dest == NoReg || res2.At(r["bcast"]).Dest == NoReg {
		t.Errorf("arm64 left an address or its index without a register")
	}
}

// An address is not fused into a store that needs a third register, nor
// across LOOP or beyond fuseReach; a constant index becomes a
// displacement within int32 only.
func TestFusedAddrLimits(t *testing.T) {
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 4, nil, nil)
	p := b.SLoad(2, irkit.TPtr)
	i := b.SLoad(0, irkit.TI64)
	v := b.SLoad(1, irkit.TI64)
	ar := b.Emit(irkit.AREF, irkit.TPtr, p, i)
	st := b.Emit(irkit.ASTORE, irkit.TVoid, ar, v)
	k := b.Emit(irkit.AREF, irkit.TPtr, p, b.KI64(3))
	ld := b.Emit(irkit.ALOAD, irkit.TI64, k, irkit.NoRef)
	far := b.Emit(irkit.AREF, irkit.TPtr, p, b.KI64(1<<40))
	ldFar := b.Emit(irkit.ALOAD, irkit.TI64, far, irkit.NoRef)
	sum := b.Emit(irkit.ADD, irkit.TI64, ld, ldFar)
	b.Emit(irkit.SSTORE, irkit.TI64, 3, sum)
	if _, ok := AMD64.FusedAddr(tr, st); ok {
		t.Errorf("a store with an index register fused its address")
	}
	if _, ok := AMD64.FusedAddr(tr, ld); !ok {
		t.Errorf("a constant index not fused")
	} else if m := AMD64.FusedMemOf(tr, k); m.Index || m.Disp != 24 {
		t.Errorf("constant index 3: %+v, want displacement 24", m)
	}
	if _, ok := AMD64.FusedAddr(tr, ldFar); ok {
		t.Errorf("a displacement beyond int32 fused")
	}
	res := allocChecked(t, tr)
	if res.At(ar).Dest == NoReg || res.At(far).Dest == NoReg || res.At(k).Dest != NoReg {
		t.Errorf("registers: store's AREF %v, far AREF %v, fused AREF %v\n%s",
			res.At(ar).Dest, res.At(far).Dest, res.At(k).Dest, res.Format(tr))
	}
}

// An AREF's i64 index x+k is index x with displacement 8*k, for the AREF
// itself and for a load that fuses it: the ADD gets no register. An int
// ADD (which wraps at 32 bits) and a k whose 8*k leaves the displacement
// range stay ADDs. An integer field compared with a constant is compared
// in memory (FusedLoad), its load left without a register.
func TestFusedIndexAdd(t *testing.T) {
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 4, nil, nil)
	p := b.SLoad(2, irkit.TPtr)
	n := b.SLoad(0, irkit.TI64)
	w := b.Emit(irkit.BSHL, irkit.TI64, n, b.KI64(2))
	add := b.Emit(irkit.ADD, irkit.TI64, w, b.KI64(-4))
	rec := b.Emit(irkit.AREF, irkit.TPtr, p, add)
	kind := b.Emit(irkit.FLOAD, irkit.TInt, rec, 24)
	b.Guard(irkit.EQ, kind, b.KInt(0))
	tr.AddSnap(0, 4, nil, nil)
	b.Emit(irkit.FSTORE, irkit.TVoid, b.Emit(irkit.FREF, irkit.TPtr, rec, 8), b.KInt(7))
	far := b.Emit(irkit.ADD, irkit.TI64, w, b.KI64(1<<40))
	ldFar := b.Emit(irkit.ALOAD, irkit.TI64, b.Emit(irkit.AREF, irkit.TPtr, p, far), irkit.NoRef)
	i := b.SLoad(1, irkit.TInt)
	add32 := b.Emit(irkit.ADD, irkit.TInt, i, b.KInt(1))
	ld32 := b.Emit(irkit.ALOAD, irkit.TI64, b.Emit(irkit.AREF, irkit.TPtr, p, add32), irkit.NoRef)
	b.Emit(irkit.SSTORE, irkit.TI64, 3, b.Emit(irkit.ADD, irkit.TI64, ldFar, ld32))
	if m := AMD64.FusedMemOf(tr, rec); !m.Index || m.IndexInt || m.Disp != -32 {
		t.Errorf("index n*4-4: %+v, want index n*4 and displacement -32", m)
	}
	if _, c := AMD64.Operands(tr, rec); c != w {
		t.Errorf("the AREF reads %v, want the BSHL %v", c, w)
	}
	if _, ok := AMD64.FusedLoad(tr, kind+1); !ok {
		t.Errorf("the kind's compare does not read the field in memory")
	}
	res := allocChecked(t, tr)
	if res.At(add).Dest != NoReg || res.At(kind).Dest != NoReg {
		t.Errorf("the folded ADD in %v, the compared field in %v; want neither in a register\n%s",
			res.At(add).Dest, res.At(kind).Dest, res.Format(tr))
	}
	if res.At(far).Dest == NoReg || res.At(add32).Dest == NoReg {
		t.Errorf("an ADD out of displacement range or of int type left without a register\n%s", res.Format(tr))
	}
}

// A shift by an immediate count may have its operand and result in RCX
// (Cons.ImmFree): on a target whose only general register is RCX, x<<2
// of a value kept alive across it allocates and checks; a shift by a
// register count still keeps RCX for the count.
func TestShiftImmFree(t *testing.T) {
	tg := *AMD64
	tg.Alloc[GPR] = Set(rcx)
	b := irkit.NewBuilder(nil)
	tr := b.T
	tr.AddSnap(0, 2, nil, nil)
	x := b.SLoad(0, irkit.TI64)
	y := b.Emit(irkit.BSHL, irkit.TI64, x, b.KI64(2))
	b.Emit(irkit.SSTORE, irkit.TI64, 1, y)
	res, err := Alloc(&tg, tr)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(tr, res); err != nil {
		t.Fatalf("%v\n%s", err, res.Format(tr))
	}
	if d, o := res.At(y).Dest, res.At(y).Op1; d != rcx || o != rcx {
		t.Errorf("x<<2 in %s from %s, want rcx from rcx", tg.RegName(d), tg.RegName(o))
	}
	b2 := irkit.NewBuilder(nil)
	tr2 := b2.T
	tr2.AddSnap(0, 2, nil, nil)
	x2 := b2.SLoad(0, irkit.TI64)
	n2 := b2.SLoad(1, irkit.TI64)
	b2.Emit(irkit.SSTORE, irkit.TI64, 1, b2.Emit(irkit.BSHL, irkit.TI64, x2, n2))
	if res2, err := Alloc(&tg, tr2); err == nil {
		t.Errorf("a shift by a register count allocated with RCX alone:\n%s", res2.Format(tr2))
	}
}

// allocChecked allocates tr for AMD64 and proves the allocation with
// Check, failing t (with the trace or the allocation) otherwise.
func allocChecked(t *testing.T, tr *irkit.Trace) *Result {
	t.Helper()
	res, err := Alloc(AMD64, tr)
	if err != nil {
		t.Fatalf("%v\n%s", err, tr)
	}
	if err := Check(tr, res); err != nil {
		t.Fatalf("%v\n%s", err, res.Format(tr))
	}
	return res
}
