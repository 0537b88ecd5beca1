package jit

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/emit"
)

// -- Profiling: -jp and -jperfmap -----------------------------------------------
//
// Go's CPU profiler sees generated code only as runtime._ExternalCode, so
// the -jp profiler samples what the VM says it is doing instead: the VM
// keeps a VM-state word current (vm.JITOptions.VMState: interpreter,
// compiling, exit handling, GC, or trace N around each trace run) and a
// separate goroutine reads it every period and counts the samples per
// state, as LuaJIT's -jp does with its vmstate. The sampler needs no
// signal and no cooperation from the trace: traces yield to Go's scheduler
// at every back edge (emit/state.go), so the sampling goroutine runs on
// time even during a long trace. Traces linked in machine code run under
// the VM-state word of the trace entered from Go; a backend that keeps
// the running trace's token in memory (traceWorder) lets the sampler
// name the trace actually running instead. What it cannot see: which
// instruction of a trace is hot (use -jperfmap with Linux perf for that);
// and unless the backend marks it (vmStater), the snapshot restore inside
// a machine-code trace's Run counts as the trace.
//
// -jperfmap (or JITKIT_PERFMAP=1) appends each machine-code trace to
// /tmp/perf-PID.map as demolang:TRACE_N:file:line, so `perf report`
// names it.

// PerfMapEnv enables the perf map when set to 1.
const PerfMapEnv = "JITKIT_PERFMAP"

// codeRanger is implemented by compiled traces that live in executable
// memory (the native backends).
type codeRanger interface {
	CodeRange() (addr uintptr, size int)
}

// PerfMapName is the perf map name of trace id that starts at where
// ("chunk:line"): demolang:TRACE_id:file:line, with the chunk's directory
// dropped.
func PerfMapName(id int, where string) string {
	if i := strings.LastIndexByte(where, ':'); i > 0 {
		where = filepath.Base(where[:i]) + where[i:]
	}
	return fmt.Sprintf("demolang:TRACE_%d:%s", id, where)
}

// PerfMapHook returns a vm.JITOptions.Installed hook that writes each
// machine-code trace to pm. The first write error goes to errw (if not
// nil); later traces are skipped silently.
func PerfMapHook(pm *emit.PerfMap, errw io.Writer) func(id int, where string, c vm.Compiled) {
	failed := false
	return func(id int, where string, c vm.Compiled) {
		cr, ok := c.(codeRanger)
		if !ok || failed {
			return
		}
		addr, size := cr.CodeRange()
		if err := pm.Add(addr, size, PerfMapName(id, where)); err != nil {
			failed = true
			if errw != nil {
				fmt.Fprintf(errw, "jit: %v\n", err)
			}
		}
	}
}

// -- The sampling profiler ---------------------------------------------------------

// Profiler counts samples of a VM-state word (see the section comment).
// Start it, give Word to vm.JITOptions.VMState and Note to
// vm.JITOptions.Installed (or call Hook), and Stop it before reading the
// profile.
type Profiler struct {
	word   uint32 // the VM-state word, written by the VM, read by the sampler
	period time.Duration
	counts []int // per state; only the sampler writes it while running
	stop   chan struct{}
	done   chan struct{}

	mu     sync.Mutex
	where  map[int]string // trace number -> start location
	tokens map[uint32]int // backend token -> trace number (traceWorder)
	trace  *uint32        // the backend's running-trace token, if it has one
}

// traceWorder is implemented by backends that keep the token of the
// machine-code trace running now in memory (links update it); tokener by
// their compiled traces.
type traceWorder interface{ TraceWord() *uint32 }
type tokener interface{ Token() uint32 }

// DefaultPeriod is the sampling period of -jp.
const DefaultPeriod = time.Millisecond

// NewProfiler returns a stopped profiler sampling every period (0 means
// DefaultPeriod).
func NewProfiler(period time.Duration) *Profiler {
	if period <= 0 {
		period = DefaultPeriod
	}
	return &Profiler{period: period, where: map[int]string{}, tokens: map[uint32]int{}}
}

// Word is the VM-state word the VM must keep current.
func (p *Profiler) Word() *uint32 { return &p.word }

// Note records that trace id starts at where (for the report).
func (p *Profiler) Note(id int, where string) {
	p.mu.Lock()
	p.where[id] = where
	p.mu.Unlock()
}

// vmStater is implemented by backends that mark the snapshot restore
// after a trace returns (vm.VMExit) in the VM-state word themselves; the
// VM marks the rest.
type vmStater interface {
	SetVMState(word *uint32)
}

// Hook points o's VM-state word at the profiler (and o's backend's, if it
// takes one) and chains its Installed hook with Note.
func (p *Profiler) Hook(o *vm.JITOptions) {
	o.VMState = p.Word()
	if b, ok := o.Backend.(vmStater); ok {
		b.SetVMState(p.Word())
	}
	if b, ok := o.Backend.(traceWorder); ok {
		p.trace = b.TraceWord()
	}
	prev := o.Installed
	o.Installed = func(id int, where string, c vm.Compiled) {
		p.Note(id, where)
		if t, ok := c.(tokener); ok {
			p.mu.Lock()
			p.tokens[t.Token()] = id
			p.mu.Unlock()
		}
		if prev != nil {
			prev(id, where, c)
		}
	}
}

// Start starts the sampling goroutine. Starting a running profiler does
// nothing.
func (p *Profiler) Start() {
	if p.stop != nil {
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.run()
}

func (p *Profiler) run() {
	defer close(p.done)
	tk := time.NewTicker(p.period)
	defer tk.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tk.C:
			s := int(atomic.LoadUint32(&p.word))
			if s >= vm.VMTrace && p.trace != nil {
				// Machine code writes the token with a plain store; a
				// sample may see the previous trace's for an instant.
				tok := atomic.LoadUint32(p.trace)
				p.mu.Lock()
				if id, ok := p.tokens[tok]; ok {
					s = vm.VMTrace + id
				}
				p.mu.Unlock()
			}
			if s >= len(p.counts) {
				if s > 1<<20 { // not a state the VM writes
					continue
				}
				p.counts = append(p.counts, make([]int, s+1-len(p.counts))...)
			}
			p.counts[s]++
		}
	}
}

// Stop stops the sampler and waits for it. The samples stay; Start
// continues adding to them.
func (p *Profiler) Stop() {
	if p.stop == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.stop, p.done = nil, nil
}

// ProfileEntry is one line of a profile: a VM state and its samples.
type ProfileEntry struct {
	State   uint32 // a vm.VM* value; vm.VMTrace+n for trace n
	Name    string // "interpreter", "compiler", "exit", "GC", "TRACE n"
	Where   string // traces: their start location, if noted
	Samples int
}

// Trace is the trace number of a trace entry, or -1.
func (e ProfileEntry) Trace() int {
	if e.State < vm.VMTrace {
		return -1
	}
	return int(e.State - vm.VMTrace)
}

var stateNames = [vm.VMTrace]string{vm.VMInterp: "interpreter", vm.VMCompile: "compiler", vm.VMExit: "exit", vm.VMGC: "GC"}

// Profile returns the states with samples, most samples first (ties by
// state), and the total. Call it when the profiler is stopped.
func (p *Profiler) Profile() ([]ProfileEntry, int) {
	var es []ProfileEntry
	total := 0
	p.mu.Lock()
	defer p.mu.Unlock()
	for s, n := range p.counts {
		if n == 0 {
			continue
		}
		total += n
		e := ProfileEntry{State: uint32(s), Samples: n}
		if s >= vm.VMTrace {
			e.Name = fmt.Sprintf("TRACE %d", s-vm.VMTrace)
			e.Where = p.where[s-vm.VMTrace]
		} else if e.Name = stateNames[s]; e.Name == "" {
			e.Name = fmt.Sprintf("state %d", s)
		}
		es = append(es, e)
	}
	sort.SliceStable(es, func(a, b int) bool { return es[a].Samples > es[b].Samples })
	return es, total
}

// Write prints the profile as a table: percentage, state, location.
func (p *Profiler) Write(w io.Writer) {
	es, total := p.Profile()
	fmt.Fprintf(w, "jp: %d samples every %v\n", total, p.period)
	for _, e := range es {
		fmt.Fprintf(w, "jp: %5.1f%%  %-12s %s\n", 100*float64(e.Samples)/float64(total), e.Name, e.Where)
	}
}

// -- Wiring into Config ----------------------------------------------------------

// profState is the profiling part of a Config's run.
type profState struct {
	prof *Profiler
	pm   *emit.PerfMap
}

// startProfile starts -jp's sampler (before the JIT is attached, so a run
// with -j off is profiled too).
func (c *Config) startProfile() {
	if c.Profile && c.prof.prof == nil {
		c.prof.prof = NewProfiler(0)
		c.prof.prof.Start()
	}
}

// hookProfile connects -jp and -jperfmap to the JIT options o.
func (c *Config) hookProfile(o *vm.JITOptions, w io.Writer) {
	if c.PerfMap {
		if c.prof.pm == nil {
			c.prof.pm = emit.NewPerfMap()
		}
		o.Installed = PerfMapHook(c.prof.pm, w)
	}
	if c.prof.prof != nil {
		c.prof.prof.Hook(o)
	}
}

// finishProfile stops the sampler, prints the -jp table to w and closes
// the perf map.
func (c *Config) finishProfile(w io.Writer) {
	if p := c.prof.prof; p != nil {
		p.Stop()
		p.Write(w)
		c.prof.prof = nil
	}
	if c.prof.pm != nil {
		c.prof.pm.Close()
		c.prof.pm = nil
	}
}

// perfMapFromEnv reports whether JITKIT_PERFMAP asks for a perf map.
func perfMapFromEnv() bool { return os.Getenv(PerfMapEnv) == "1" }
