package bytecode

import (
	"math/rand"
	"strings"
	"testing"
)

func TestOpTable(t *testing.T) {
	seen := map[string]bool{}
	for i := range Ops {
		info := &Ops[i]
		if info.Name == "" || info.Doc == "" {
			t.Fatalf("opcode %d has no name or doc", i)
		}
		if seen[info.Name] {
			t.Fatalf("duplicate opcode name %s", info.Name)
		}
		seen[info.Name] = true
		if op, ok := OpByName(info.Name); !ok || op != Op(i) {
			t.Fatalf("OpByName(%s) = %v, %v", info.Name, op, ok)
		}
		if (info.CD == MJump || info.CD == MSLit) && !info.IsAD() {
			t.Fatalf("%s: jump/slit operand in ABC form", info.Name)
		}
	}
	if len(seen) != int(NumOps) {
		t.Fatalf("%d names for %d ops", len(seen), NumOps)
	}
	pairs := [][2]Op{{ISLT, ISGE}, {ISLE, ISGT}, {ISEQV, ISNEV}, {ISEQS, ISNES}, {ISEQN, ISNEN}, {ISEQP, ISNEP}, {ISTC, ISFC}, {IST, ISF}}
	for _, p := range pairs {
		if p[0].Negate() != p[1] || p[1].Negate() != p[0] {
			t.Fatalf("%v and %v are not each other's negation", p[0], p[1])
		}
	}
	for k, op := range []Op{ADDVN, SUBVN, MULVN, DIVVN, MODVN} {
		if int(op-ADDVN) != k || Ops[op+5].Event != Ops[op].Event || Ops[op+10].Event != Ops[op].Event {
			t.Fatalf("arithmetic group order broken at %v", op)
		}
	}
	if !ISF.IsCmp() || MOV.IsCmp() || !MODVV.IsArith() || POW.IsArith() {
		t.Fatal("IsCmp/IsArith wrong")
	}
}

func TestEncoding(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 10000; i++ {
		op := Op(r.Intn(int(NumOps)))
		a, b, c, d := r.Intn(256), r.Intn(256), r.Intn(256), r.Intn(65536)
		ins := ABC(op, a, b, c)
		if ins.Op() != op || ins.A() != a || ins.B() != b || ins.C() != c || ins.D() != b<<8|c {
			t.Fatalf("ABC(%v,%d,%d,%d) decodes as %v %d %d %d", op, a, b, c, ins.Op(), ins.A(), ins.B(), ins.C())
		}
		ins = AD(op, a, d)
		if ins.Op() != op || ins.A() != a || ins.D() != d || ins.SD() != int(int16(uint16(d))) {
			t.Fatalf("AD(%v,%d,%d) decodes wrong", op, a, d)
		}
		off := r.Intn(65536) - JumpBias
		j := AJ(JMP, a, off)
		if j.J() != off || j.Target(100) != 101+off {
			t.Fatalf("AJ offset %d decodes as %d", off, j.J())
		}
		if j.SetJ(3).J() != 3 || j.SetA(7).A() != 7 || j.SetA(7).J() != off {
			t.Fatal("SetJ/SetA")
		}
		x := ABC(op, a, b, c).SetB(9).SetC(8).SetOp(MOV)
		if x.B() != 9 || x.C() != 8 || x.A() != a || x.Op() != MOV {
			t.Fatal("SetB/SetC/SetOp")
		}
	}
}

// fibProto is the hand-assembled body of
// `local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end`.
func fibProto() *Proto {
	return &Proto{
		Code: []Ins{
			AD(KSHORT, 1, 2),
			AD(ISGE, 0, 1),
			AJ(JMP, 1, 1),
			AD(RET1, 0, 2),
			AD(UGET, 1, 0),
			ABC(SUBVN, 2, 0, 0),
			ABC(CALL, 1, 2, 2),
			AD(UGET, 2, 0),
			ABC(SUBVN, 3, 0, 1),
			ABC(CALL, 2, 2, 2),
			ABC(ADDVV, 1, 1, 2),
			AD(RET1, 1, 2),
		},
		Nums:      []float64{1, 2},
		Upvals:    []UpvalDesc{{Name: "fib", FromLocal: true, Index: 0}},
		NumParams: 1,
		FrameSize: 4,
		Source:    "fib.lua",
		Name:      "fib",
		FirstLine: 1,
		LastLine:  1,
		Lines:     []int32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
		Vars:      []VarInfo{{Name: "n", StartPC: 0, EndPC: 12, Slot: 0}},
	}
}

func TestDumpGolden(t *testing.T) {
	main := &Proto{
		Code:      []Ins{AD(FNEW, 0, 0), AD(GGET, 1, 0), AD(KPRI, 2, PriTrue), ABC(CALL, 1, 1, 2), AD(RET0, 0, 1)},
		Strs:      []string{"print"},
		Protos:    []*Proto{fibProto()},
		IsVararg:  true,
		FrameSize: 3,
		Source:    "fib.lua",
		LastLine:  2,
		Lines:     []int32{1, 2, 2, 2, 2},
		Vars:      []VarInfo{{Name: "fib", StartPC: 1, EndPC: 5, Slot: 0}},
	}
	main.Protos[0].Upvals[0].Index = 0
	if err := Verify(main); err != nil {
		t.Fatal(err)
	}
	want := `-- BYTECODE -- fib.lua:1-1
0000    KSHORT   1   2
0001    ISGE     0   1
0002    JMP      1 => 0004
0003    RET1     0   2
0004 => UGET     1   0          ; fib
0005    SUBVN    2   0   0      ; 1
0006    CALL     1   2   2
0007    UGET     2   0          ; fib
0008    SUBVN    3   0   1      ; 2
0009    CALL     2   2   2
0010    ADDVV    1   1   2
0011    RET1     1   2

-- BYTECODE -- fib.lua:0-2
0000    FNEW     0   0          ; fib.lua:1
0001    GGET     1   0          ; "print"
0002    KPRI     2   2          ; true
0003    CALL     1   1   2
0004    RET0     0   1

`
	if got := DumpString(main); got != want {
		t.Fatalf("dump mismatch:\n%s\nwant:\n%s", got, want)
	}
}

func TestSlotName(t *testing.T) {
	p := &Proto{
		Code: []Ins{
			AD(GGET, 0, 0),      // 0: slot0 = foo
			AD(MOV, 1, 0),       // 1: slot1 = slot0
			ABC(TGETS, 2, 1, 1), // 2: slot2 = slot1.y
			AD(UGET, 3, 0),      // 3: slot3 = up
			AD(MOV, 5, 4),       // 4: slot5 = obj (local)
			ABC(TGETS, 4, 4, 2), // 5: slot4 = obj.m  (method shape)
			ABC(CALL, 4, 1, 2),  // 6
			AD(KNIL, 6, 7),      // 7
			AD(RET0, 0, 1),      // 8
		},
		Strs:      []string{"foo", "y", "m"},
		Upvals:    []UpvalDesc{{Name: "up"}},
		FrameSize: 8,
		Lines:     make([]int32, 9),
		Vars:      []VarInfo{{Name: "obj", StartPC: 0, EndPC: 5, Slot: 4}},
	}
	cases := []struct {
		pc, slot   int
		kind, name string
	}{
		{1, 0, "global", "foo"},
		{2, 1, "global", "foo"}, // through the MOV
		{3, 2, "field", "y"},
		{4, 3, "upvalue", "up"},
		{4, 4, "local", "obj"},
		{6, 4, "method", "m"},
		{8, 6, "", ""}, // KNIL ends the search
		{8, 7, "", ""},
		{0, 0, "", ""},         // nothing before pc 0
		{5, 5, "local", "obj"}, // MOV from local 4 at pc 4
		{9, 5, "", ""},         // the CALL at pc 6 clobbered slot 5
	}
	for _, c := range cases {
		k, n := p.SlotName(c.pc, c.slot)
		if k != c.kind || n != c.name {
			t.Errorf("SlotName(%d, %d) = %q %q, want %q %q", c.pc, c.slot, k, n, c.kind, c.name)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	good := fibProto()
	if err := Verify(good); err != nil {
		t.Fatalf("fib: %v", err)
	}
	mut := []struct {
		name string
		f    func(p *Proto)
	}{
		{"bad opcode", func(p *Proto) { p.Code[0] = Ins(NumOps) }},
		{"slot", func(p *Proto) { p.Code[0] = AD(KSHORT, 4, 2) }},
		{"num const", func(p *Proto) { p.Code[5] = ABC(SUBVN, 2, 0, 9) }},
		{"jump out", func(p *Proto) { p.Code[2] = AJ(JMP, 1, 100) }},
		{"cmp without jmp", func(p *Proto) { p.Code[2] = AD(MOV, 1, 1) }},
		{"fall off end", func(p *Proto) { p.Code[11] = AD(MOV, 1, 1) }},
		{"lines", func(p *Proto) { p.Lines = p.Lines[:3] }},
		{"frame", func(p *Proto) { p.FrameSize = 251 }},
		{"upvalue", func(p *Proto) { p.Code[4] = AD(UGET, 1, 3) }},
		{"var", func(p *Proto) { p.Vars[0].EndPC = 99 }},
		{"call range", func(p *Proto) { p.Code[9] = ABC(CALL, 2, 2, 3) }},
		{"empty", func(p *Proto) { p.Code = nil; p.Lines = nil }},
	}
	for _, m := range mut {
		p := fibProto()
		m.f(p)
		if err := Verify(p); err == nil {
			t.Errorf("%s: Verify accepted a broken proto", m.name)
		}
	}
	// A child whose upvalue points outside its parent.
	parent := &Proto{Code: []Ins{AD(FNEW, 0, 0), AD(RET0, 0, 1)}, Protos: []*Proto{fibProto()}, FrameSize: 1, Lines: []int32{0, 0}}
	parent.Protos[0].Upvals[0].Index = 5
	if err := Verify(parent); err == nil || !strings.Contains(err.Error(), "upvalue") {
		t.Errorf("bad child upvalue accepted: %v", err)
	}
}
