package arm64

import (
	"testing"

	"github.com/jitkit/jitkit/emit"
)

func TestLink(t *testing.T) {
	a := New(emit.NewBuf(64))
	const base = 0x40_0000
	a.Ret()
	a.BLAbs(base + 0x100)
	a.BCondAbs(NE, base-0x1000)
	a.BAbs(base + 4<<20)
	code := a.Buf.Bytes()
	if err := a.Link(code, base); err != nil {
		t.Fatal(err)
	}
	// Program order: b; b.eq .+8; b; bl; ret
	want := []struct {
		i      int
		target int64
	}{{0, 4 << 20}, {4, 12}, {8, -0x1000}, {12, 0x100}}
	for _, w := range want {
		got := int64(w.i) + branchOff(word(code, w.i))
		if w.i == 4 {
			if word(code, 4)&15 != uint32(EQ) {
				t.Errorf("b.cond condition not inverted: %#x", word(code, 4))
			}
		}
		if got != w.target {
			t.Errorf("word %d goes to %#x, want %#x", w.i, got, w.target)
		}
	}
	if err := a.Link(code, base+1<<30); err == nil {
		t.Error("Link accepted targets 1 GiB away")
	}
	if err := a.Link(code, base+2); err == nil {
		t.Error("Link accepted a misaligned address")
	}
	a.Reset()
	a.BAbs(0x1002)
	if a.Err() == nil || a.Buf.Len() != 0 {
		t.Error("misaligned target accepted")
	}
	if _, err := PatchB(0x1000, 0x1000+1<<27); err == nil {
		t.Error("PatchB out of range accepted")
	}
	if b, err := PatchB(0x1000, 0x800); err != nil || b != [4]byte{0x00, 0xfe, 0xff, 0x17} {
		t.Errorf("PatchB = % x, %v", b, err)
	}
	if PosAddr(8, 32, 0x1000) != 0x1018 {
		t.Error("PosAddr")
	}
}
