package emit

import (
	"runtime"
	"testing"
	"unsafe"
)

// Hand-assembled x86-64 code (this package does not depend on emit/amd64).
var (
	// mov (%rdi),%rax; add $1,%rax; mov %rax,0x8(%rdi); ret
	codeIncr = []byte{0x48, 0x8b, 0x07, 0x48, 0x83, 0xc0, 0x01, 0x48, 0x89, 0x47, 0x08, 0xc3}
	// Clobbers every register Go cares about except RSP, then returns 7:
	// xor %ebp,%ebp; xor %r14d,%r14d; pcmpeqd %xmm15,%xmm15; mov $-1,%rbx;
	// mov %rbx,%r12..%r15; mov $7,%eax; ret
	codeClobber = []byte{
		0x31, 0xed, 0x45, 0x31, 0xf6, 0x66, 0x45, 0x0f, 0x76, 0xff,
		0x48, 0xc7, 0xc3, 0xff, 0xff, 0xff, 0xff,
		0x49, 0x89, 0xdc, 0x49, 0x89, 0xdd, 0x49, 0x89, 0xde, 0x49, 0x89, 0xdf,
		0xb8, 0x07, 0x00, 0x00, 0x00, 0xc3,
	}
)

func TestEnter(t *testing.T) {
	m := NewMem(0)
	defer m.Close()
	b, err := m.Load(codeIncr)
	if err != nil {
		t.Fatal(err)
	}
	state := [2]uint64{41, 0}
	st := Enter(b.Addr, uintptr(unsafe.Pointer(&state)))
	runtime.KeepAlive(&state)
	if st != 42 || state[1] != 42 {
		t.Errorf("Enter = %d, state = %v; want 42, [41 42]", st, state)
	}
}

// grow recurses to force stack growth and a traceback through every frame.
func grow(n int) int {
	var pad [64]byte
	pad[n%64] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return grow(n-1) + int(pad[n%64]&1)
}

//go:noinline
func zero4(p *[4]uint64) { *p = [4]uint64{} }

// TestEnterClobber checks that code which destroys RBP, R14 (g), X15 (the
// zero register of ABIInternal) and the callee registers of other ABIs
// leaves Go working: the trampoline and its ABI wrapper restore them.
func TestEnterClobber(t *testing.T) {
	m := NewMem(0)
	defer m.Close()
	b, err := m.Load(codeClobber)
	if err != nil {
		t.Fatal(err)
	}
	z := new([4]uint64)
	for i := 0; i < 1000; i++ {
		if st := Enter(b.Addr, 0); st != 7 {
			t.Fatalf("Enter = %d, want 7", st)
		}
		z[0], z[3] = 1, 1
		zero4(z) // ABIInternal zeroes memory from X15
		if *z != ([4]uint64{}) {
			t.Fatalf("X15 not restored: zeroing gave %v", *z)
		}
		if i%100 == 0 {
			runtime.GC()
			if grow(200) < 0 {
				t.Fatal("unreachable")
			}
		}
	}
	if bad := writableExecutable(t); len(bad) > 0 {
		t.Errorf("writable and executable mappings: %q", bad)
	}
}

func BenchmarkEnter(b *testing.B) {
	m := NewMem(0)
	defer m.Close()
	blk, err := m.Load(codeIncr)
	if err != nil {
		b.Fatal(err)
	}
	state := [2]uint64{}
	p := uintptr(unsafe.Pointer(&state))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		state[0] = uint64(Enter(blk.Addr, p))
	}
	runtime.KeepAlive(&state)
}

// TestEnterGuardSlot checks that Enter leaves the address of the
// goroutine's stack guard word at GuardSlotAMD64(SP): the word it points to
// must lie below this goroutine's stack pointer, within a stack's reach.
func TestEnterGuardSlot(t *testing.T) {
	m := NewMem(0)
	defer m.Close()
	// mov rax, [rsp+8]; mov rax, [rax]; ret
	blk, err := m.Load([]byte{0x48, 0x8b, 0x44, 0x24, GuardSlotAMD64, 0x48, 0x8b, 0x00, 0xc3})
	if err != nil {
		t.Fatal(err)
	}
	guard := uintptr(Enter(blk.Addr, 0))
	var local int
	sp := uintptr(unsafe.Pointer(&local))
	if uint64(guard) == StackPreempt {
		return // a preemption request was pending: the word is the right one
	}
	if guard >= sp || sp-guard > 1<<30 {
		t.Errorf("stack guard %#x is not just below the stack pointer %#x", guard, sp)
	}
}
