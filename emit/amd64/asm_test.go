package amd64

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// TestErrors feeds every encoder bad operands: each must record an error,
// emit nothing and not panic.
func TestErrors(t *testing.T) {
	bad := []struct {
		name string
		f    func(a *Asm)
	}{
		{"alu xmm dst", func(a *Asm) { a.AluRR(ADD, S64, X0, RAX) }},
		{"alu xmm src", func(a *Asm) { a.AluRR(ADD, S64, RAX, X0) }},
		{"alu size 3", func(a *Asm) { a.AluRR(ADD, 3, RAX, RBX) }},
		{"alu size 16", func(a *Asm) { a.AluRI(ADD, 16, RAX, 1) }},
		{"alu noreg", func(a *Asm) { a.AluRI(ADD, S64, NoReg, 1) }},
		{"alumi bad mem", func(a *Asm) { a.AluMI(ADD, S64, Mem{Base: X1}, 1) }},
		{"index rsp", func(a *Asm) { a.Load(S64, false, RAX, MI(RAX, RSP, 1, 0)) }},
		{"index xmm", func(a *Asm) { a.Load(S64, false, RAX, MI(RAX, X2, 1, 0)) }},
		{"index rip", func(a *Asm) { a.Load(S64, false, RAX, MI(RAX, RIP, 1, 0)) }},
		{"rip with index", func(a *Asm) { a.Load(S64, false, RAX, MI(RIP, RCX, 1, 0)) }},
		{"scale 3", func(a *Asm) { a.Store(S64, MI(RAX, RCX, 3, 0), RDX) }},
		{"scale 16", func(a *Asm) { a.Store(S64, MI(RAX, RCX, 16, 0), RDX) }},
		{"base reg 200", func(a *Asm) { a.Lea(S64, RAX, M(Reg(200), 0)) }},
		{"lea size 16", func(a *Asm) { a.Lea(S16, RAX, M(RAX, 0)) }},
		{"imul size 8", func(a *Asm) { a.ImulRR(S8, RAX, RBX) }},
		{"imul imm size 8", func(a *Asm) { a.ImulRRI(S8, RAX, RBX, 3) }},
		{"cmov size 8", func(a *Asm) { a.Cmov(E, S8, RAX, RBX) }},
		{"unop 9", func(a *Asm) { a.UnopR(Unop(9), S64, RAX) }},
		{"unopm 9", func(a *Asm) { a.UnopM(Unop(9), S64, M(RAX, 0)) }},
		{"shift rcl", func(a *Asm) { a.ShiftRI(Shift(2), S64, RAX, 1) }},
		{"shift xmm", func(a *Asm) { a.ShiftRCL(SHL, S64, X4) }},
		{"bit 9", func(a *Asm) { a.BitRR(Bit(9), S64, RAX, RBX) }},
		{"bit size 16", func(a *Asm) { a.BitRR(POPCNT, S16, RAX, RBX) }},
		{"sse 99", func(a *Asm) { a.SseRR(Sse(99), X0, X1) }},
		{"sse gp", func(a *Asm) { a.SseRR(ADDSD, RAX, X1) }},
		{"ssem 99", func(a *Asm) { a.SseRM(Sse(99), X0, M(RAX, 0)) }},
		{"movsd store gp", func(a *Asm) { a.StoreSD(M(RAX, 0), RBX) }},
		{"cvtsi2sd size 16", func(a *Asm) { a.Cvtsi2sd(S16, X0, RAX) }},
		{"cvtsi2sd swapped", func(a *Asm) { a.Cvtsi2sd(S64, RAX, X0) }},
		{"cvttsd2si swapped", func(a *Asm) { a.Cvttsd2si(S64, X0, RAX) }},
		{"movq swapped", func(a *Asm) { a.MovGX(S64, RAX, X0) }},
		{"roundsd gp", func(a *Asm) { a.Roundsd(X0, RAX, RoundFloor) }},
		{"setcc xmm", func(a *Asm) { a.Setcc(E, X0) }},
		{"push xmm", func(a *Asm) { a.Push(X3) }},
		{"pop rip", func(a *Asm) { a.Pop(RIP) }},
		{"mov xmm imm", func(a *Asm) { a.MovRI(X0, 5) }},
		{"mov noreg zero", func(a *Asm) { a.MovRI(NoReg, 0) }},
		{"xchg xmm", func(a *Asm) { a.Xchg(RAX, X1) }},
		{"bswap size 16", func(a *Asm) { a.Bswap(S16, RAX) }},
		{"jmp label 0", func(a *Asm) { a.Jmp(0) }},
		{"jcc label 99", func(a *Asm) { a.Jcc(E, 99) }},
		{"jmplong label -1", func(a *Asm) { a.JmpLong(-1) }},
		{"jcclong label 5", func(a *Asm) { a.JccLong(E, 5) }},
		{"call label 7", func(a *Asm) { a.CallLabel(7) }},
		{"rip label 9", func(a *Asm) { a.Lea(S64, RAX, LabelMem(9)) }},
		{"bind 0", func(a *Asm) { a.Bind(0) }},
		{"bind twice", func(a *Asm) { l := a.NewLabel(); a.Bind(l); a.Bind(l) }},
		{"jmpr xmm", func(a *Asm) { a.JmpR(X0) }},
		{"callm bad", func(a *Asm) { a.CallM(MI(RAX, RSP, 2, 0)) }},
	}
	a := New(nil)
	for _, c := range bad {
		a.Reset()
		c.f(a)
		if a.Err() == nil {
			t.Errorf("%s: no error", c.name)
		} else if !strings.HasPrefix(a.Err().Error(), "amd64: ") {
			t.Errorf("%s: error %q lacks the package prefix", c.name, a.Err())
		}
		if a.Buf.Len() != 0 {
			t.Errorf("%s: emitted % x", c.name, a.Buf.Bytes())
		}
		if a.Finish() == nil {
			t.Errorf("%s: Finish succeeded", c.name)
		}
	}
	// The first error sticks.
	a.Reset()
	a.AluRR(ADD, 3, RAX, RBX)
	first := a.Err()
	a.Push(X0)
	if a.Err() != first {
		t.Errorf("error changed from %v to %v", first, a.Err())
	}
	// A branch to a label that is never bound.
	a.Reset()
	a.Jmp(a.NewLabel())
	if err := a.Finish(); err == nil || !strings.Contains(err.Error(), "never bound") {
		t.Errorf("unbound label: Finish = %v", err)
	}
}

// TestBranchForms checks the encodings and displacements of branches to
// labels bound before (forward in the code) and after (backward) them.
func TestBranchForms(t *testing.T) {
	a := New(nil)
	for _, k := range []int{0, 1, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 1000, 1 << 20} {
		// Forward: k bytes between the branch and its target.
		for _, c := range []struct {
			name        string
			emit        func(l Label)
			short, long []byte
		}{
			{"jmp", func(l Label) { a.Jmp(l) }, []byte{0xEB}, []byte{0xE9}},
			{"jl", func(l Label) { a.Jcc(L, l) }, []byte{0x7C}, []byte{0x0F, 0x8C}},
			{"jmplong", func(l Label) { a.JmpLong(l) }, nil, []byte{0xE9}},
			{"jcclong", func(l Label) { a.JccLong(NE, l) }, nil, []byte{0x0F, 0x85}},
			{"call", func(l Label) { a.CallLabel(l) }, nil, []byte{0xE8}},
		} {
			a.Reset()
			l := a.NewLabel()
			a.Bind(l)
			a.Buf.Reserve(k)
			c.emit(l)
			code := a.Buf.Bytes()
			code = code[:len(code)-k]
			var want []byte
			if c.short != nil && k <= 127 {
				want = append(append([]byte{}, c.short...), byte(k))
			} else {
				want = binary.LittleEndian.AppendUint32(append([]byte{}, c.long...), uint32(k))
			}
			if !bytes.Equal(code, want) {
				t.Errorf("%s over %d bytes: % x, want % x", c.name, k, code, want)
			}
			// Backward: the label is bound k bytes before the branch.
			a.Reset()
			l = a.NewLabel()
			c.emit(l)
			n := a.Buf.Len()
			a.Buf.Reserve(k)
			a.Bind(l)
			if err := a.Finish(); err != nil {
				t.Fatal(err)
			}
			code = a.Buf.Bytes()[k:]
			want = binary.LittleEndian.AppendUint32(append([]byte{}, c.long...), uint32(int32(-k-n)))
			if !bytes.Equal(code, want) {
				t.Errorf("%s back over %d bytes: % x, want % x", c.name, k, code, want)
			}
		}
	}
}

// TestLink resolves absolute branch targets and rejects unreachable ones.
func TestLink(t *testing.T) {
	a := New(nil)
	const base = 0x10000000
	a.JmpAbs(base + 0x1000)
	a.CallAbs(base - 0x2000)
	a.JccAbs(E, base)
	code := bytes.Clone(a.Buf.Bytes())
	if err := a.Link(code, base); err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x0F, 0x84, 0xFA, 0xFF, 0xFF, 0xFF, // je base: end at base+6
		0xE8, 0xF5, 0xDF, 0xFF, 0xFF, // call base-0x2000: end at base+11
		0xE9, 0xF0, 0x0F, 0x00, 0x00, // jmp base+0x1000: end at base+16
	}
	if !bytes.Equal(code, want) {
		t.Errorf("linked:\n% x\nwant\n% x", code, want)
	}
	if err := a.Link(code, base+1<<32); err == nil {
		t.Error("Link accepted targets 4 GiB away")
	}
	if err := a.Link(code[:3], base); err == nil {
		t.Error("Link accepted truncated code")
	}
	if _, err := PatchJmp(base, base+1<<40); err == nil {
		t.Error("PatchJmp accepted a target out of range")
	}
	p, err := PatchJcc(NE, base, base+0x106)
	if err != nil || !bytes.Equal(p[:], []byte{0x0F, 0x85, 0x00, 0x01, 0x00, 0x00}) {
		t.Errorf("PatchJcc = % x, %v", p, err)
	}
	j, err := PatchJmp(base+0x100, base)
	if err != nil || !bytes.Equal(j[:], []byte{0xE9, 0xFB, 0xFE, 0xFF, 0xFF}) {
		t.Errorf("PatchJmp = % x, %v", j, err)
	}
	if got := PosAddr(emit.Pos(6), 16, base); got != base+10 {
		t.Errorf("PosAddr = %#x", got)
	}
}

// TestNames covers the printable names used in dumps and errors.
func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{RAX.Name(S8), "al"}, {R12.Name(S16), "r12w"}, {RSP.Name(S32), "esp"}, {R15.String(), "r15"},
		{X9.String(), "xmm9"}, {RIP.String(), "rip"}, {NoReg.String(), "noreg"}, {Reg(77).String(), "reg77"},
		{S32.Suffix(), "l"}, {Size(3).Suffix(), "?"}, {GE.String(), "ge"}, {GE.Invert().String(), "l"},
		{ADD.String(), "add"}, {IDIV.String(), "idiv"}, {SAR.String(), "sar"}, {TZCNT.String(), "tzcnt"},
		{Bit(99).String(), "bit?"}, {SQRTSD.String(), "sqrtsd"}, {Sse(99).String(), "sse?"},
		{MI(RBX, R12, 8, -16).String(), "-0x10(%rbx,%r12,8)"}, {M(NoReg, 0x40).String(), "0x40"},
		{Mem{Index: RCX, Scale: 4}.String(), "(,%rcx,4)"}, {M(RIP, 8).String(), "0x8(%rip)"},
		{LabelMem(3).String(), "L3(%rip)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
