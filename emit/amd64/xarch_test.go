package amd64

import (
	"fmt"
	"math/rand"
	"os"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// The GNU comparison (gnu_test.go) also decodes every instruction with
// golang.org/x/arch and compares its text with objdump's.
func init() { decodeText = xarchText }

func xarchText(code []byte, pc uint64) (string, error) {
	in, err := x86asm.Decode(code, 64)
	if err != nil || in.Len != len(code) {
		return "", fmt.Errorf("x/arch decodes % x as %d bytes, err %v", code, in.Len, err)
	}
	return x86asm.GNUSyntax(in, pc, nil), nil
}

// TestRandomOperands calls the encoders with random, often invalid,
// operands. Nothing may panic; an instruction that encodes without error
// must decode with x/arch to exactly its own length, and one that fails
// must emit nothing.
func TestRandomOperands(t *testing.T) {
	rng := rand.New(rand.NewSource(99))
	reg := func() Reg {
		if rng.Intn(8) == 0 {
			return Reg(rng.Intn(40))
		}
		if rng.Intn(3) == 0 {
			return X0 + Reg(rng.Intn(16))
		}
		return RAX + Reg(rng.Intn(16))
	}
	size := func() Size { return Size(rng.Intn(10)) }
	mem := func() Mem {
		m := Mem{Base: reg(), Disp: int32(rng.Uint32()) >> rng.Intn(32)}
		if rng.Intn(3) == 0 {
			m.Base = []Reg{NoReg, RIP, RSP, RBP, R12, R13}[rng.Intn(6)]
		}
		if rng.Intn(2) == 0 {
			m.Index, m.Scale = reg(), uint8(rng.Intn(10))
		}
		return m
	}
	imm := func() int32 { return int32(rng.Uint32()) >> rng.Intn(32) }
	ops := []func(a *Asm){
		func(a *Asm) { a.AluRR(Alu(rng.Intn(8)), size(), reg(), reg()) },
		func(a *Asm) { a.AluRI(Alu(rng.Intn(8)), size(), reg(), imm()) },
		func(a *Asm) { a.AluRM(Alu(rng.Intn(8)), size(), reg(), mem()) },
		func(a *Asm) { a.AluMR(Alu(rng.Intn(8)), size(), mem(), reg()) },
		func(a *Asm) { a.AluMI(Alu(rng.Intn(8)), size(), mem(), imm()) },
		func(a *Asm) { a.TestRR(size(), reg(), reg()) },
		func(a *Asm) { a.TestRI(size(), reg(), imm()) },
		func(a *Asm) { a.TestMI(size(), mem(), imm()) },
		func(a *Asm) { a.UnopR(Unop(rng.Intn(10)), size(), reg()) },
		func(a *Asm) { a.UnopM(Unop(rng.Intn(10)), size(), mem()) },
		func(a *Asm) { a.ImulRR(size(), reg(), reg()) },
		func(a *Asm) { a.ImulRM(size(), reg(), mem()) },
		func(a *Asm) { a.ImulRRI(size(), reg(), reg(), imm()) },
		func(a *Asm) { a.ShiftRI(Shift(rng.Intn(9)), size(), reg(), uint8(rng.Intn(256))) },
		func(a *Asm) { a.ShiftRCL(Shift(rng.Intn(9)), size(), reg()) },
		func(a *Asm) { a.MovRR(size(), reg(), reg()) },
		func(a *Asm) { a.MovRI(reg(), int64(rng.Uint64())>>rng.Intn(64)) },
		func(a *Asm) { a.Load(size(), rng.Intn(2) == 0, reg(), mem()) },
		func(a *Asm) { a.ExtRR(size(), rng.Intn(2) == 0, reg(), reg()) },
		func(a *Asm) { a.Store(size(), mem(), reg()) },
		func(a *Asm) { a.StoreI(size(), mem(), imm()) },
		func(a *Asm) { a.Lea(size(), reg(), mem()) },
		func(a *Asm) { a.Xchg(reg(), reg()) },
		func(a *Asm) { a.Bswap(size(), reg()) },
		func(a *Asm) { a.Setcc(Cond(rng.Intn(16)), reg()) },
		func(a *Asm) { a.Cmov(Cond(rng.Intn(16)), size(), reg(), reg()) },
		func(a *Asm) { a.CmovM(Cond(rng.Intn(16)), size(), reg(), mem()) },
		func(a *Asm) { a.BitRR(Bit(rng.Intn(7)), size(), reg(), reg()) },
		func(a *Asm) { a.Push(reg()) },
		func(a *Asm) { a.Pop(reg()) },
		func(a *Asm) { a.SseRR(Sse(rng.Intn(25)), reg(), reg()) },
		func(a *Asm) { a.SseRM(Sse(rng.Intn(25)), reg(), mem()) },
		func(a *Asm) { a.StoreSD(mem(), reg()) },
		func(a *Asm) { a.StoreSS(mem(), reg()) },
		func(a *Asm) { a.Roundsd(reg(), reg(), Round(rng.Intn(16))) },
		func(a *Asm) { a.Cvtsi2sd(size(), reg(), reg()) },
		func(a *Asm) { a.Cvtsi2sdM(size(), reg(), mem()) },
		func(a *Asm) { a.Cvttsd2si(size(), reg(), reg()) },
		func(a *Asm) { a.Cvtsd2si(size(), reg(), reg()) },
		func(a *Asm) { a.MovGX(size(), reg(), reg()) },
		func(a *Asm) { a.MovXG(size(), reg(), reg()) },
		func(a *Asm) { a.JmpR(reg()) },
		func(a *Asm) { a.JmpM(mem()) },
		func(a *Asm) { a.CallR(reg()) },
		func(a *Asm) { a.CallM(mem()) },
		func(a *Asm) { a.Jmp(Label(rng.Intn(4))) },
		func(a *Asm) { a.Jcc(Cond(rng.Intn(16)), Label(rng.Intn(4))) },
		func(a *Asm) { a.Lea(S64, reg(), LabelMem(Label(rng.Intn(4)))) },
		func(a *Asm) { a.Nop(rng.Intn(30)) },
	}
	a := New(nil)
	n := 200000
	if testing.Short() || os.Getenv("JITKIT_QEMU") == "1" {
		n = 20000
	}
	good := 0
	for i := 0; i < n; i++ {
		a.Reset()
		a.NewLabel()
		a.Bind(a.NewLabel()) // label 2 is bound, 1 and 3 are not
		a.NewLabel()
		op := rng.Intn(len(ops))
		ops[op](a)
		code := a.Buf.Bytes()
		if a.Err() != nil {
			if len(code) != 0 {
				t.Fatalf("op %d failed (%v) but emitted % x", op, a.Err(), code)
			}
			continue
		}
		good++
		for len(code) > 0 {
			in, err := x86asm.Decode(code, 64)
			if err != nil {
				t.Fatalf("op %d: % x does not decode: %v", op, a.Buf.Bytes(), err)
			}
			code = code[in.Len:]
		}
	}
	t.Logf("%d random calls, %d encoded and decoded", n, good)
}
