package vm

import (
	"fmt"
	"os"
	"time"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- Loading ----------------------------------------------------------------------

// load converts a compiled prototype (and its children) into the VM's form.
func (L *State) load(bp *bytecode.Proto) *Proto {
	p := &Proto{bp: bp, code: bp.Code, NumUpvals: len(bp.Upvals), fs: bp.FrameSize, nparams: bp.NumParams, vararg: bp.IsVararg, hotCall: hotCallCount}
	p.K = make([]Value, len(bp.Strs))
	for i, s := range bp.Strs {
		p.K[i] = L.String(s)
	}
	p.N = make([]Value, len(bp.Nums))
	for i, f := range bp.Nums {
		p.N[i] = Number(f)
	}
	p.protos = make([]*Proto, len(bp.Protos))
	for i, c := range bp.Protos {
		p.protos[i] = L.load(c)
	}
	p.hint = make([]hint, len(bp.Code))
	p.hot = make([]int16, len(bp.Code))
	for i := range p.hot {
		p.hot[i] = L.hotLoopN
	}
	L.protos = append(L.protos, p)
	return p
}

// Load verifies a compiled main chunk and returns it as a function Value.
// The chunk must have no upvalues.
func (L *State) Load(bp *bytecode.Proto) (Value, error) {
	if err := bytecode.Verify(bp); err != nil {
		return Nil, err
	}
	if len(bp.Upvals) != 0 {
		return Nil, fmt.Errorf("vm: a main chunk cannot have upvalues")
	}
	p := L.load(bp)
	for _, c := range p.protos {
		c.top = true
	}
	v, _ := L.newClosure(p)
	return v, nil
}

// -- Running ----------------------------------------------------------------------

// Call calls f with args in protected mode and returns its results. The
// returned Values stay valid until the next Call/DoString/DoFile. A Lua
// error comes back as an *Error with its traceback.
func (L *State) Call(f Value, args ...Value) (res []Value, err error) {
	L.pinned = L.pinned[:0]
	if len(L.frames) == 0 {
		L.startRun()
	}
	fslot := L.scratch()
	L.ensureStack(fslot + len(args) + 1 + minStack)
	L.stack[fslot] = f
	copy(L.stack[fslot+1:], args)
	nframes := len(L.frames)
	ob, ot, on, od := L.base, L.top, L.nargs, L.cdepth
	L.top = fslot + len(args) + 1
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		e, isLua := r.(*Error)
		if !isLua {
			e = L.internalError(r)
		}
		e2 := *e
		e2.Traceback = L.traceback()
		L.pinned = append(L.pinned, e2.Value)
		L.closeUpvals(fslot)
		L.frames = L.frames[:nframes]
		L.base, L.top, L.nargs, L.cdepth = ob, ot, on, od
		res, err = nil, &e2
	}()
	n := L.call(fslot, len(args), -1)
	res = make([]Value, n)
	copy(res, L.stack[fslot:fslot+n])
	L.pinned = append(L.pinned, res...)
	L.base, L.top, L.nargs, L.cdepth = ob, ot, on, od
	if nframes == 0 {
		L.out.Flush()
	}
	return res, nil
}

// startRun arms the limits for a top-level run.
func (L *State) startRun() {
	L.stepsUsed, L.stepsLost = 0, 0
	L.steps = stepQuantum
	L.deadline = time.Time{}
	L.limited = L.opts.InstructionLimit > 0 || L.opts.TimeLimit > 0
	if L.opts.TimeLimit > 0 {
		L.deadline = timeNow().Add(L.opts.TimeLimit)
	}
	if il := L.opts.InstructionLimit; il > 0 && il < stepQuantum {
		L.steps = il
	}
	L.stepsArm = L.steps
	if ml := L.opts.MemoryLimit; ml > 0 && L.gcNext > ml {
		L.gcNext = ml
	}
}

var timeNow = time.Now

// Compiler turns source text into a main-chunk prototype. DoString and
// DoFile use it; the demo-lang compiler is installed by default.
type Compiler func(chunkname string, src []byte) (*bytecode.Proto, error)

// SetCompiler replaces the compiler used by DoString and DoFile.
func (L *State) SetCompiler(c Compiler) { L.compiler = c }

// LoadString compiles src as a chunk named chunkname.
func (L *State) LoadString(chunkname, src string) (Value, error) {
	if L.compiler == nil {
		return Nil, fmt.Errorf("vm: no compiler installed")
	}
	bp, err := L.compiler(chunkname, []byte(src))
	if err != nil {
		return Nil, err
	}
	return L.Load(bp)
}

// DoString compiles and runs src; chunkname names it in messages.
func (L *State) DoString(chunkname, src string) ([]Value, error) {
	f, err := L.LoadString(chunkname, src)
	if err != nil {
		return nil, err
	}
	return L.Call(f)
}

// DoFile runs the file at path (its chunk name is the path as given).
func (L *State) DoFile(path string) ([]Value, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(src) > 0 && src[0] == '#' { // skip a #! line as lua does
		i := 0
		for i < len(src) && src[i] != '\n' {
			i++
		}
		src = append([]byte("--"), src[i:]...)
	}
	return L.DoString(path, string(src))
}

// -- Globals and conversions ------------------------------------------------------

// SetGlobal sets the global name to v.
func (L *State) SetGlobal(name string, v Value) { _ = L.tset(L.G, L.String(name), v) }

// GetGlobal returns the global name (raw access).
func (L *State) GetGlobal(name string) Value { return L.G.get(L.String(name)) }

// Register makes fn callable from Lua as the global name.
func (L *State) Register(name string, fn GoFunction) {
	L.SetGlobal(name, L.NewFunction(name, fn))
}

// ToString returns v as a Go string if it is a string or a number.
func (L *State) ToString(v Value) (string, bool) {
	switch v.tag() {
	case tagStr:
		return L.str(v), true
	case 0:
		return lstr.FormatNumber(v.Float()), true
	}
	return "", false
}

// ToGo converts v to a Go value: nil, bool, float64, string, or for
// tables a map[any]any of their converted contents (cycles become nil);
// functions become the string "function".
func (L *State) ToGo(v Value) any {
	return L.toGo(v, map[Value]bool{})
}

func (L *State) toGo(v Value, seen map[Value]bool) any {
	switch v.tag() {
	case 0:
		return v.Float()
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagStr:
		return L.str(v)
	case tagTab:
		if seen[v] {
			return nil
		}
		seen[v] = true
		m := map[any]any{}
		k := Nil
		t := L.tab(v)
		for {
			nk, nv, ok := t.next(k)
			if !ok || nk == Nil {
				break
			}
			m[L.toGo(nk, seen)] = L.toGo(nv, seen)
			k = nk
		}
		return m
	}
	return "function"
}

// -- Go function helpers ----------------------------------------------------------
//
// Inside a GoFunction, arguments are numbered from 1 as in Lua's C API.
// The Check helpers raise Lua's "bad argument" errors directly (like
// luaL_check*), so they may only be used inside a GoFunction.

// ArgCount returns the number of arguments of the running Go function.
func (L *State) ArgCount() int { return L.nargs }

// Arg returns argument i (1-based), Nil if absent.
func (L *State) Arg(i int) Value {
	if i >= 1 && i <= L.nargs {
		return L.stack[L.base+i-1]
	}
	return Nil
}

// Push appends a result (or a scratch value) above the arguments.
func (L *State) Push(v Value) {
	if L.top >= len(L.stack) {
		L.ensureStack(L.top + 1)
	}
	L.stack[L.top] = v
	L.top++
}

// PushNumber pushes a number.
func (L *State) PushNumber(f float64) { L.Push(Number(f)) }

// PushString pushes a string.
func (L *State) PushString(s string) { L.Push(L.String(s)) }

// PushBool pushes a boolean.
func (L *State) PushBool(b bool) { L.Push(Bool(b)) }

// ArgError raises "bad argument #i to 'fn' (msg)" for the running Go function.
func (L *State) ArgError(i int, msg string) {
	fi := len(L.frames) - 1
	name := ""
	if fi >= 0 && L.frames[fi].kind == frGo {
		name = L.gfns[L.frames[fi].fn].name
	}
	err := L.argError(fi, i, name, msg)
	w := L.where(fi - 1)
	if w != "" {
		w += " "
	}
	L.throw(L.String(w + err.Error()))
}

func (L *State) typeArgError(i int, expected string) {
	got := "no value"
	if i <= L.nargs {
		got = L.Arg(i).TypeName()
	}
	L.ArgError(i, expected+" expected, got "+got)
}

// CheckNumber returns argument i as a number (numeric strings convert).
func (L *State) CheckNumber(i int) float64 {
	v := L.Arg(i)
	if v < numLimit {
		return v.Float()
	}
	if f, ok := L.toNumber(v); ok {
		return f
	}
	L.typeArgError(i, "number")
	return 0
}

// OptNumber returns argument i as a number, or def if it is nil or absent.
func (L *State) OptNumber(i int, def float64) float64 {
	if L.Arg(i) == Nil {
		return def
	}
	return L.CheckNumber(i)
}

// CheckInt returns argument i as an integer (truncated like lua_tointeger).
func (L *State) CheckInt(i int) int {
	f := L.CheckNumber(i)
	return toInt(f)
}

// OptInt returns argument i as an integer, or def if nil or absent.
func (L *State) OptInt(i int, def int) int {
	if L.Arg(i) == Nil {
		return def
	}
	return L.CheckInt(i)
}

func toInt(f float64) int {
	if f != f {
		return 0
	}
	if f >= 9.2e18 {
		return 1 << 62
	}
	if f <= -9.2e18 {
		return -1 << 62
	}
	return int(f)
}

// CheckString returns argument i as a string (numbers convert).
func (L *State) CheckString(i int) string {
	v := L.Arg(i)
	if v.tag() == tagStr {
		return L.str(v)
	}
	if v < numLimit {
		return lstr.FormatNumber(v.Float())
	}
	L.typeArgError(i, "string")
	return ""
}

// OptString returns argument i as a string, or def if nil or absent.
func (L *State) OptString(i int, def string) string {
	if L.Arg(i) == Nil {
		return def
	}
	return L.CheckString(i)
}

// CheckTable returns argument i, which must be a table.
func (L *State) CheckTable(i int) *Table {
	v := L.Arg(i)
	if v.tag() != tagTab {
		L.typeArgError(i, "table")
	}
	return L.tab(v)
}

// CheckAny raises "value expected" if argument i is absent.
func (L *State) CheckAny(i int) Value {
	if i > L.nargs {
		L.ArgError(i, "value expected")
	}
	return L.Arg(i)
}

// NewTable makes an empty table.
func (L *State) NewTable() Value {
	v, _ := L.newTableValue(0, 0)
	return v
}

// RawSetInt sets t[i] = v without metamethods; t must be a table.
func (L *State) RawSetInt(t Value, i int, v Value) {
	if t.tag() == tagTab {
		L.tsetInt(L.tab(t), i, v)
	}
}

// RawGet returns t[k] without metamethods (Nil if t is not a table).
func (L *State) RawGet(t, k Value) Value {
	if t.tag() != tagTab {
		return Nil
	}
	return L.tab(t).get(k)
}

// Tostring converts v as Lua's tostring does, calling __tostring; an error
// there gives the message instead.
func (L *State) Tostring(v Value) (s string) {
	if str, ok := L.ToString(v); ok {
		return str
	}
	res, err := L.Call(L.GetGlobal("tostring"), v)
	if err != nil {
		return err.Error()
	}
	if len(res) > 0 {
		if str, ok := L.ToString(res[0]); ok {
			return str
		}
	}
	return v.TypeName()
}

// Steps returns about how many bytecodes the interpreter has executed in
// the current or last top-level run (DoString, DoFile, a Call from Go): a
// loop's back edge charges its body's length, a call one, and each entry
// into a compiled trace one, whatever the trace then runs. With the JIT on,
// the share of a program's Steps against a run with it off is the share of
// its work left to the interpreter. The count does not depend on timing: a
// trace that returns because Go or the VM asked for the goroutine forfeits
// the rest of its step quantum, so that the limits look at the clock, but
// that forfeit is not counted here.
func (L *State) Steps() int64 { return L.stepsUsed + L.stepsArm - L.steps - L.stepsLost }
