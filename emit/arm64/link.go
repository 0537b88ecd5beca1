package arm64

import (
	"encoding/binary"
	"fmt"

	"github.com/jitkit/jitkit/emit"
)

// -- Absolute targets, linking and installing --------------------------------
//
// Code is encoded before its address is known, so a branch to a fixed
// address outside the buffer (an exit handler, another trace, a leaf
// helper) is recorded as a relocation and resolved by Link once the code's
// address is chosen. b and bl reach ±128 MiB, which covers code carved from
// one emit.Mem area; CallFar and JumpFar reach anything, at the price of a
// constant load into IP0.

type reloc struct {
	at     emit.Pos // Pos of the b/bl word
	target uintptr
}

// BAbs emits b to the absolute address target, resolved by Link.
func (a *Asm) BAbs(target uintptr) { a.abs(0x14000000, target) }

// BLAbs emits bl to the absolute address target, resolved by Link.
func (a *Asm) BLAbs(target uintptr) { a.abs(0x94000000, target) }

// BCondAbs emits a conditional branch to the absolute address target:
// b.!cond over a b resolved by Link (the distance is unknown when encoding,
// so the long form is always used).
func (a *Asm) BCondAbs(c Cond, target uintptr) {
	if c > NV {
		a.fail("b.cond: bad condition %d", c)
		return
	}
	a.room(2)
	a.abs(0x14000000, target)
	if c < AL {
		a.Buf.Put4(0x54000000 | 2<<5 | uint32(c.Invert()))
	}
}

func (a *Asm) abs(op uint32, target uintptr) {
	if target&3 != 0 {
		a.fail("branch target %#x is not 4-byte aligned", target)
		return
	}
	a.put(op)
	a.relocs = append(a.relocs, reloc{at: a.Buf.Here(), target: target})
}

// CallFar calls the absolute address target from anywhere: the address is
// loaded into IP0 (X16, clobbered) and called with blr.
func (a *Asm) CallFar(target uintptr) {
	a.Blr(IP0)
	a.MovImm(IP0, uint64(target))
}

// JumpFar jumps to the absolute address target through IP0 (clobbered).
func (a *Asm) JumpFar(target uintptr) {
	a.Br(IP0)
	a.MovImm(IP0, uint64(target))
}

// Link resolves the relocations of BAbs, BLAbs and BCondAbs once the
// code's address is known: code is the finished code (Buf.Bytes() or a
// copy) and addr is where its first byte will live. It fails if a target
// is beyond the ±128 MiB of b; use CallFar or JumpFar for such targets.
func (a *Asm) Link(code []byte, addr uintptr) error {
	if addr&3 != 0 {
		return fmt.Errorf("arm64: Link: code address %#x is not 4-byte aligned", addr)
	}
	for _, r := range a.relocs {
		if int(r.at) > len(code) {
			return fmt.Errorf("arm64: Link: code is %d bytes, shorter than the emitted code", len(code))
		}
		i := len(code) - int(r.at)
		at := addr + uintptr(i)
		w, ok := setOffset(binary.LittleEndian.Uint32(code[i:]), fixB26, int64(r.target-at))
		if !ok {
			return fmt.Errorf("arm64: Link: target %#x is out of the ±128 MiB of b at %#x", r.target, at)
		}
		binary.LittleEndian.PutUint32(code[i:], w)
	}
	return nil
}

// Install finishes the code and puts it into executable memory: it checks
// Finish, allocates a block, resolves the relocations for the block's
// address (Link) and writes the code, which flushes the instruction cache.
// The code's entry is Block.Addr.
func (a *Asm) Install(mem *emit.Mem) (emit.Block, error) {
	if mem == nil {
		return emit.Block{}, fmt.Errorf("arm64: Install: no executable memory")
	}
	if err := a.Finish(); err != nil {
		return emit.Block{}, err
	}
	code := a.Buf.Bytes()
	blk, err := mem.Alloc(len(code))
	if err != nil {
		return emit.Block{}, err
	}
	err = a.Link(code, blk.Addr)
	if err == nil {
		err = mem.Write(blk, 0, code)
	}
	if err != nil {
		mem.Free(blk)
		return emit.Block{}, err
	}
	return blk, nil
}

// PatchB returns the word of a b placed at address at that jumps to
// target, as bytes for emit.Mem.Patch: linking an exit to a side trace.
func PatchB(at, target uintptr) ([4]byte, error) {
	var b [4]byte
	w, ok := EncodeB(int64(target - at))
	if !ok || at&3 != 0 {
		return b, fmt.Errorf("arm64: b at %#x cannot reach %#x", at, target)
	}
	binary.LittleEndian.PutUint32(b[:], w)
	return b, nil
}

// PosAddr converts a Pos of finished code into an address, given the code's
// length and the address of its first byte.
func PosAddr(p emit.Pos, codeLen int, addr uintptr) uintptr {
	return addr + uintptr(codeLen) - uintptr(p)
}
