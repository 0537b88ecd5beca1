package emit

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"unsafe"
)

// -- Executable memory ---------------------------------------------------
//
// Mem hands out blocks of executable memory carved from areas that are
// mapped with mmap. Every page is either read-write (while it is written)
// or read-execute (while it may run), never both: writing a block or
// patching a few bytes of it flips exactly the pages that hold the bytes
// being written to read-write, copies, and flips them back to
// read-execute. On arm64 the instruction cache is then made coherent with
// flushICache.
//
// An area is one mapping. Its free space is a sorted list of free ranges
// (first fit, coalesced on Free); a request that fits nowhere maps a new
// area. An area whose blocks are all freed is unmapped, except the last
// one, which is kept for the next trace.

// CodeAlign is the alignment of every block Mem hands out: a cache line
// half, which is what both architectures' branch targets like.
const CodeAlign = 16

// DefaultAreaSize is the size of an area when NewMem is given 0.
const DefaultAreaSize = 1 << 20

// Block is a range of executable memory owned by a Mem.
type Block struct {
	Addr uintptr // address of the first byte
	Size int     // bytes, a multiple of CodeAlign
}

// End is the address one past the block's last byte.
func (b Block) End() uintptr { return b.Addr + uintptr(b.Size) }

// span is a free range inside an area, as offsets from its start.
type span struct{ off, n int }

// area is one mapping. mem aliases the mapped pages (outside the Go heap).
type area struct {
	mem  []byte
	free []span // sorted by off, never adjacent
	live []span // blocks handed out, sorted by off
	used int    // bytes handed out
}

func (a *area) addr() uintptr { return uintptr(unsafe.Pointer(&a.mem[0])) }

// Mem is an allocator of executable memory (see the section comment
// above). Its methods are safe for concurrent use, but a page is not
// executable while it is written: code must not run on another thread from
// a page that Write or Patch is changing at that moment.
type Mem struct {
	mu       sync.Mutex
	areaSize int
	pageSize int
	areas    []*area
}

// Errors returned by Mem.
var (
	ErrBadSize  = errors.New("emit: bad code size")
	ErrNotOwned = errors.New("emit: address not owned by this Mem")
	ErrClosed   = errors.New("emit: Mem is closed")
)

// NewMem returns an allocator whose areas are areaSize bytes (rounded up to
// whole pages; 0 means DefaultAreaSize). No memory is mapped until the
// first Alloc.
func NewMem(areaSize int) *Mem {
	ps := syscall.Getpagesize()
	if areaSize <= 0 {
		areaSize = DefaultAreaSize
	}
	areaSize = roundUp(areaSize, ps)
	return &Mem{areaSize: areaSize, pageSize: ps}
}

func roundUp(n, a int) int { return (n + a - 1) / a * a }

// PageSize is the system page size, the granularity of protection changes.
func (m *Mem) PageSize() int { return m.pageSize }

// Alloc reserves n bytes of executable memory (rounded up to CodeAlign).
// The block's address is known at once, so code can be encoded for it
// before it is written; its contents are undefined until Write.
func (m *Mem) Alloc(n int) (Block, error) {
	if n <= 0 || n > 1<<30 {
		return Block{}, fmt.Errorf("%w: %d", ErrBadSize, n)
	}
	n = roundUp(n, CodeAlign)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pageSize == 0 {
		return Block{}, ErrClosed
	}
	for _, a := range m.areas {
		if b, ok := a.take(n); ok {
			return b, nil
		}
	}
	size := max(m.areaSize, roundUp(n, m.pageSize))
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return Block{}, fmt.Errorf("emit: mmap %d bytes: %w", size, err)
	}
	a := &area{mem: mem, free: []span{{0, size}}}
	m.areas = append(m.areas, a)
	b, _ := a.take(n)
	return b, nil
}

// take carves n bytes from the first free span that holds them.
func (a *area) take(n int) (Block, bool) {
	for i := range a.free {
		s := &a.free[i]
		if s.n < n {
			continue
		}
		b := Block{Addr: a.addr() + uintptr(s.off), Size: n}
		j, _ := slices.BinarySearchFunc(a.live, s.off, func(l span, off int) int { return l.off - off })
		a.live = slices.Insert(a.live, j, span{s.off, n})
		s.off += n
		s.n -= n
		if s.n == 0 {
			a.free = append(a.free[:i], a.free[i+1:]...)
		}
		a.used += n
		return b, true
	}
	return Block{}, false
}

// give returns the block [off, off+n) to the free list, coalescing. It
// must be a block handed out and not yet freed.
func (a *area) give(off, n int) error {
	j, found := slices.BinarySearchFunc(a.live, off, func(l span, off int) int { return l.off - off })
	if !found || a.live[j].n != n {
		return fmt.Errorf("emit: Free of %d bytes at offset %d, which is not a live block", n, off)
	}
	a.live = slices.Delete(a.live, j, j+1)
	i := 0
	for i < len(a.free) && a.free[i].off < off {
		i++
	}
	if i > 0 && a.free[i-1].off+a.free[i-1].n > off || i < len(a.free) && off+n > a.free[i].off {
		return fmt.Errorf("emit: Free of a block that is already free (offset %d)", off)
	}
	a.used -= n
	joinPrev := i > 0 && a.free[i-1].off+a.free[i-1].n == off
	joinNext := i < len(a.free) && off+n == a.free[i].off
	switch {
	case joinPrev && joinNext:
		a.free[i-1].n += n + a.free[i].n
		a.free = append(a.free[:i], a.free[i+1:]...)
	case joinPrev:
		a.free[i-1].n += n
	case joinNext:
		a.free[i].off, a.free[i].n = off, a.free[i].n+n
	default:
		a.free = append(a.free, span{})
		copy(a.free[i+1:], a.free[i:])
		a.free[i] = span{off, n}
	}
	return nil
}

// find returns the area holding [addr, addr+n) and the offset of addr.
func (m *Mem) find(addr uintptr, n int) (int, int, error) {
	for i, a := range m.areas {
		base := a.addr()
		if addr >= base && addr-base <= uintptr(len(a.mem)) && uintptr(n) <= uintptr(len(a.mem))-(addr-base) {
			return i, int(addr - base), nil
		}
	}
	return 0, 0, fmt.Errorf("%w: %#x+%d", ErrNotOwned, addr, n)
}

// Free returns a block to the allocator. Its code must not run again. An
// area left empty is unmapped unless it is the only one.
func (m *Mem) Free(b Block) error {
	if b.Size <= 0 || b.Size%CodeAlign != 0 {
		return fmt.Errorf("%w: %d", ErrBadSize, b.Size)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, off, err := m.find(b.Addr, b.Size)
	if err != nil {
		return err
	}
	a := m.areas[i]
	if err := a.give(off, b.Size); err != nil {
		return err
	}
	if a.used == 0 && len(m.areas) > 1 {
		m.areas = append(m.areas[:i], m.areas[i+1:]...)
		return syscall.Munmap(a.mem)
	}
	return nil
}

// Write copies code into the block at byte offset off. Only the pages that
// the copied bytes touch are made writable, and they are not executable
// while they are.
func (m *Mem) Write(b Block, off int, code []byte) error {
	if off < 0 || off > b.Size || len(code) > b.Size-off {
		return fmt.Errorf("%w: %d bytes at offset %d of a %d-byte block", ErrBadSize, len(code), off, b.Size)
	}
	return m.Patch(b.Addr+uintptr(off), code)
}

// Patch overwrites len(p) bytes of code at addr, for instance to retarget
// the jump of an exit to a side trace. It flips only the pages that hold
// those bytes (usually one) to read-write and back to read-execute, then
// makes the instruction cache coherent.
func (m *Mem) Patch(addr uintptr, p []byte) error {
	if len(p) == 0 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, off, err := m.find(addr, len(p))
	if err != nil {
		return err
	}
	a := m.areas[i]
	lo := off / m.pageSize * m.pageSize
	hi := roundUp(off+len(p), m.pageSize)
	pages := a.mem[lo:hi]
	if err := syscall.Mprotect(pages, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		return fmt.Errorf("emit: mprotect RW: %w", err)
	}
	copy(a.mem[off:], p)
	if err := syscall.Mprotect(pages, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
		return fmt.Errorf("emit: mprotect RX: %w", err)
	}
	flushICache(addr, uintptr(len(p)))
	return nil
}

// Load allocates a block for code, writes it and returns the block; the
// code's first byte is at Block.Addr.
func (m *Mem) Load(code []byte) (Block, error) {
	b, err := m.Alloc(len(code))
	if err != nil {
		return Block{}, err
	}
	if err := m.Write(b, 0, code); err != nil {
		m.Free(b)
		return Block{}, err
	}
	return b, nil
}

// Read copies the n bytes of code at addr, for dumps and tests.
func (m *Mem) Read(addr uintptr, n int) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, off, err := m.find(addr, n)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), m.areas[i].mem[off:off+n]...), nil
}

// MemStats describes a Mem's footprint.
type MemStats struct {
	Areas  int // mappings
	Mapped int // bytes mapped
	Used   int // bytes in live blocks
}

// Stats reports the number of areas and bytes mapped and in use.
func (m *Mem) Stats() MemStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := MemStats{Areas: len(m.areas)}
	for _, a := range m.areas {
		s.Mapped += len(a.mem)
		s.Used += a.used
	}
	return s
}

// Close unmaps every area. The Mem must not be used afterwards, and no code
// from it may run.
func (m *Mem) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var first error
	for _, a := range m.areas {
		if err := syscall.Munmap(a.mem); err != nil && first == nil {
			first = err
		}
	}
	m.areas = nil
	m.pageSize = 0
	return first
}
