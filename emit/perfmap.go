package emit

import (
	"fmt"
	"os"
	"sync"
)

// -- Perf map: names for generated code -----------------------------------------
//
// Linux perf cannot name code that no ELF file describes: samples in a
// trace show as raw addresses. perf looks for /tmp/perf-PID.map, a text
// file with one line per code range, "START SIZE name" with START and SIZE
// in hex, and uses it to name addresses that fall in those ranges. A JIT
// appends a line whenever it installs a block. Lines are written with one
// write call each on a file opened with O_APPEND, so several writers in one
// process (or a crash half-way) never interleave a line.

// PerfMap appends "START SIZE name" lines to a perf map file. The file is
// created on the first Add; its methods are safe for concurrent use.
type PerfMap struct {
	mu   sync.Mutex
	path string
	f    *os.File
	err  error // sticky: an unwritable file is reported once and skipped
}

// NewPerfMap returns a perf map for /tmp/perf-PID.map of this process.
func NewPerfMap() *PerfMap { return OpenPerfMap(PerfMapPath(os.Getpid())) }

// PerfMapPath is the file perf reads for process pid.
func PerfMapPath(pid int) string { return fmt.Sprintf("/tmp/perf-%d.map", pid) }

// OpenPerfMap returns a perf map writing to path (created on first use).
func OpenPerfMap(path string) *PerfMap { return &PerfMap{path: path} }

// Path is the file the map writes.
func (p *PerfMap) Path() string { return p.path }

// Add records that [addr, addr+size) holds the code called name. Newlines
// in name are replaced by spaces (a line is one range). The line is on disk
// when Add returns. An error opening or writing the file is returned by
// this call and, once it has happened, by every later Add.
func (p *PerfMap) Add(addr uintptr, size int, name string) error {
	if size <= 0 {
		return fmt.Errorf("%w: %d", ErrBadSize, size)
	}
	line := make([]byte, 0, 40+len(name))
	line = fmt.Appendf(line, "%x %x ", addr, size)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '\n' || c == '\r' {
			c = ' '
		}
		line = append(line, c)
	}
	line = append(line, '\n')
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if p.f == nil {
		f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			p.err = fmt.Errorf("emit: perf map: %w", err)
			return p.err
		}
		p.f = f
	}
	if _, err := p.f.Write(line); err != nil {
		p.err = fmt.Errorf("emit: perf map: %w", err)
		return p.err
	}
	return nil
}

// AddBlock records blk under name.
func (p *PerfMap) AddBlock(blk Block, name string) error { return p.Add(blk.Addr, blk.Size, name) }

// Close closes the file (the lines stay: perf reads them after the
// process has exited). A later Add reopens it.
func (p *PerfMap) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f == nil {
		return nil
	}
	err := p.f.Close()
	p.f = nil
	return err
}
