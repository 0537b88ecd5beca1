package vm

import (
	"bufio"
	"io"
	"os"
	"time"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/compile"
	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// Options configure a State. The zero value is a usable default: no limits,
// standard input and output.
type Options struct {
	// MemoryLimit bounds the VM's estimated heap in bytes (objects, table
	// parts, string bytes); 0 means no limit. Exceeding it raises the
	// error "memory limit exceeded".
	MemoryLimit int64
	// InstructionLimit bounds the work of one DoString/DoFile/Call: the VM
	// charges every loop back edge with the length of the loop body and
	// every call with one, a close and cheap approximation of instructions
	// executed. 0 means no limit; exceeding it raises "instruction limit
	// exceeded".
	InstructionLimit int64
	// TimeLimit bounds the wall-clock time of one run; 0 means no limit.
	// Exceeding it raises "time limit exceeded".
	TimeLimit time.Duration
	// Stdout receives print and io.write output (default os.Stdout).
	Stdout io.Writer
	// Stdin is what io.read reads (default os.Stdin).
	Stdin io.Reader
	// MaxFrames bounds Lua call depth before "stack overflow" (default
	// 200000).
	MaxFrames int
}

// frame kinds
const (
	frLua   = 0
	frEntry = 1 // a Lua frame entered from Go: its return leaves execute
	frGo    = 2 // a Go function's frame
)

// frame is one activation record. The stack layout is LuaJIT's (non-FR2):
// the function value is in stack[base-1] and slot i of the frame is
// stack[base+i]; the link to the caller lives here, in the parallel
// frames slice, instead of in the stack.
type frame struct {
	base  int32  // absolute index of slot 0
	fslot int32  // where results go (the caller's call slot A, absolute)
	pc    int32  // saved pc: where the frame resumes / where it failed
	nres  int32  // results the caller wants; -1 means all (MULTRES)
	nvar  int32  // vararg frames: varargs are stack[base-1-nvar : base-1]
	fn    uint32 // closure index (Lua frames) or Go function index (Go frames)
	kind  int32
	_     int32 // 32 bytes: traces address records in words (frameWords)
}

// fcl returns the closure of a Lua frame, nil for a Go frame.
func (L *State) fcl(f *frame) *Closure {
	if f.kind == frGo {
		return nil
	}
	return L.fns[f.fn]
}

// Proto is a loaded function prototype: the bytecode.Proto plus the VM's
// per-prototype data (interned string constants, numbers as Values, hot
// counters).
type Proto struct {
	bp        *bytecode.Proto
	code      []bytecode.Ins
	K         []Value // Strs interned
	N         []Value // Nums as Values
	protos    []*Proto
	NumUpvals int
	fs        int // frame size
	nparams   int
	vararg    bool
	hotCall   int32
	nclos     int32   // closures made of it so far, saturating (the JIT specializes on the only one, see pinClosure)
	top       bool    // a function of a main chunk's body (made when the chunk runs, usually once)
	hot       []int16 // per-pc counters, used at loop back edges
	hint      []hint  // per-pc node-index hints of the string-keyed table ops (see hint)
	jumpedTo  []bool  // per pc, whether a jump lands there; built by the recorder on first need (stepK)
}

// State is one demo-lang virtual machine: its object tables, value stack,
// globals and options. A State is not safe for concurrent use.
type State struct {
	stack    []Value
	stackGen uint32 // bumped whenever stack is reallocated
	frames   []frame
	base     int // Go frame: first argument
	top      int // Go frame: first free slot
	nargs    int // Go frame: number of arguments

	// object tables (see heap.go)
	strs    []string
	strMark []uint32
	strFree []uint32
	intern  internTab // string bytes -> index in strs (intern.go)
	tabs    []*Table
	tabMark []uint32
	tabFree []uint32
	fns     []*Closure
	fnMark  []uint32
	fnFree  []uint32
	gfns    []goFunc
	gfnMark []uint32
	gfnFree []uint32

	// GC
	epoch    uint32
	gray     []Value
	memBytes int64
	gcNext   int64
	gcMin    int64 // smallest trigger
	gcStress bool  // tests: collect after every gcMin bytes of allocation
	gcCount  int
	nObjects int
	pinned   []Value

	globals  Value
	G        *Table
	registry Value
	strMeta  Value
	tmName   [tmN]Value
	protos   []*Proto

	openUpvals []*Upval
	// upTop is the slot of the highest open upvalue, -1 if none: traces
	// that return from a frame guard that it is below the frame's base
	// (findUpval and closeUpvals keep it).
	upTop int64

	opts      Options
	maxFrames int
	cdepth    int
	exitMres  int   // MULTRES a trace exit hands the interpreter, -1 if none
	steps     int64 // budget until the next limit check
	stepsUsed int64 // charged in earlier quanta
	stepsArm  int64 // the budget the current quantum started with
	stepsLost int64 // budgets forfeited by interrupted traces (not work)
	deadline  time.Time
	limited   bool

	compiler  Compiler
	jrec      bool      // the JIT records the bytecodes being executed (jit_record.go)
	jit       *jitState // the tracing JIT, nil when off (jit.go)
	hotLoopN  int16     // back edges before a loop is hot (setHotLoop)
	ipairsAux Value
	nextFn    Value
	iterVal   Value // the value the JIT's next helper found (jit_helpers.go)

	matcher lstr.Matcher

	out    *bufio.Writer
	in     *bufio.Reader
	rng    rng
	buf    []byte
	clock0 time.Time
	exited bool
}

const (
	defaultMaxFrames = 200000
	maxCCalls        = 200
	minStack         = 40
	stepQuantum      = 1 << 16
)

// New creates a State with the standard library loaded.
func New(opts Options) *State {
	L := &State{opts: opts, compiler: compile.CompileSource}
	L.intern.init()
	L.epoch = 1
	L.gcMin = gcMinHeap
	L.gcNext = gcMinHeap
	L.maxFrames = opts.MaxFrames
	if L.maxFrames <= 0 {
		L.maxFrames = defaultMaxFrames
	}
	w := opts.Stdout
	if w == nil {
		w = os.Stdout
	}
	L.out = bufio.NewWriterSize(w, 32<<10)
	r := opts.Stdin
	if r == nil {
		r = os.Stdin
	}
	L.in = bufio.NewReader(r)
	L.stack = make([]Value, 1024)
	clearValues(L.stack)
	L.frames = make([]frame, 0, 64)
	L.steps, L.stepsArm = stepQuantum, stepQuantum
	L.exitMres = -1
	L.upTop = -1
	L.hotLoopN = hotLoopCount
	L.clock0 = time.Now()
	for e := range tmNames {
		L.tmName[e] = L.String(tmNames[e])
	}
	L.globals, L.G = L.newTableValue(0, 64)
	L.registry, _ = L.newTableValue(0, 4)
	L.rng.seed(0)
	L.openLibs()
	return L
}

// growFrames doubles the capacity of the frame records.
func (L *State) growFrames() {
	nf := make([]frame, len(L.frames), 2*cap(L.frames))
	copy(nf, L.frames)
	L.frames = nf
}

// ensureStack makes sure stack[n-1] exists (n slots), growing by doubling.
func (L *State) ensureStack(n int) {
	if n <= len(L.stack) {
		return
	}
	sz := 2 * len(L.stack)
	for sz < n {
		sz *= 2
	}
	ns := make([]Value, sz)
	L.stackGen++
	copy(ns, L.stack)
	clearValues(ns[len(L.stack):])
	L.stack = ns
}

// Flush writes out buffered print/io.write output.
func (L *State) Flush() error { return L.out.Flush() }

// ObjectCount returns the number of objects in the VM's tables (live and
// not yet collected).
func (L *State) ObjectCount() int { return L.nObjects }

// HeapBytes returns the VM's estimate of its heap size in bytes.
func (L *State) HeapBytes() int64 { return L.memBytes }

// Collect runs a full garbage collection.
func (L *State) Collect() { L.collect(L.liveTop()) }

// liveTop is the first stack slot above everything live.
func (L *State) liveTop() int {
	top := L.top
	for i := range L.frames {
		f := &L.frames[i]
		t := int(f.base)
		if cl := L.fcl(f); cl != nil {
			t += cl.p.fs
		}
		if t > top {
			top = t
		}
	}
	return top
}

// GCCount returns how many collections have run.
func (L *State) GCCount() int { return L.gcCount }
