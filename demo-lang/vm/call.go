package vm

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- Errors -----------------------------------------------------------------------

// Error is a Lua error: the error value (a message string with its
// "chunk:line:" prefix, or any value given to error()) and, once it has
// reached the top level, the stack traceback.
type Error struct {
	Value     Value  // the error value, valid in the State that raised it
	Message   string // the value as text (tostring, or "(error object is a X value)")
	Traceback string // "stack traceback:\n\t..." lines, set at the top level
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// throw raises v as a Lua error.
func (L *State) throw(v Value) {
	panic(&Error{Value: v, Message: L.errorText(v)})
}

// errorText renders an error value for Error.Message.
func (L *State) errorText(v Value) string {
	switch v.tag() {
	case tagStr:
		return L.str(v)
	case 0:
		return lstr.FormatNumber(v.Float())
	}
	return "(error object is a " + v.TypeName() + " value)"
}

// where returns "chunk:line:" for frame fi if it is a Lua frame.
func (L *State) where(fi int) string {
	if fi < 0 || fi >= len(L.frames) {
		return ""
	}
	f := &L.frames[fi]
	cl := L.fcl(f)
	if cl == nil {
		return ""
	}
	bp := cl.p.bp
	return bp.Source + ":" + strconv.Itoa(bp.Line(atPC(f))) + ":"
}

// atPC is the pc of the bytecode frame f is at: the one before its resume
// pc, or its first if it has not run one (a trace left it at its entry).
func atPC(f *frame) int { return max(int(f.pc)-1, 0) }

// rtError raises msg with the position of the innermost frame, as Lua's
// luaG_runerror does for the running function.
func (L *State) rtError(msg string) {
	w := L.where(len(L.frames) - 1)
	if w != "" {
		w += " "
	}
	L.throw(L.String(w + msg))
}

// typeError raises "attempt to OP NAME (a TYPE value)" for the value v in
// slot of the innermost Lua frame (slot < 0: no name).
func (L *State) typeError(v Value, slot int, op string) {
	if slot >= 0 {
		if fi := len(L.frames) - 1; fi >= 0 && L.frames[fi].kind != frGo {
			f := &L.frames[fi]
			kind, n := L.fcl(f).p.bp.SlotName(int(f.pc)-1, slot)
			if kind != "" {
				L.rtError("attempt to " + op + " " + kind + " '" + n + "' (a " + v.TypeName() + " value)")
			}
		}
	}
	L.rtError("attempt to " + op + " a " + v.TypeName() + " value")
}

// callError raises the error for calling the non-function v in slot.
func (L *State) callError(ci, slot int, v Value) {
	L.typeError(v, slot, "call")
}

// goError converts the error returned by the Go function of frame fi into
// a raised Lua error.
func (L *State) goError(fi int, err error) {
	var le *Error
	if errors.As(err, &le) {
		panic(le)
	}
	var ae *lstr.ArgError
	if errors.As(err, &ae) {
		err = L.argError(fi, ae.Arg, ae.Func, ae.Msg)
	}
	w := L.where(fi - 1)
	if w != "" {
		w += " "
	}
	L.throw(L.String(w + err.Error()))
}

// argError builds luaL_argerror's message for the Go function of frame fi,
// with the name the call site used and the argument number adjusted for
// method calls, as Lua 5.1 does.
func (L *State) argError(fi, arg int, fn, msg string) error {
	kind, name := L.callSiteName(fi)
	if kind == "method" {
		arg--
		if arg == 0 {
			return fmt.Errorf("calling '%s' on bad self (%s)", name, msg)
		}
	}
	if name == "" {
		name = "?" // called from Go (pcall, metamethod): Lua 5.1 knows no name either
	}
	return fmt.Errorf("bad argument #%d to '%s' (%s)", arg, name, msg)
}

// callSiteName returns how the caller of frame fi named the function.
func (L *State) callSiteName(fi int) (kind, name string) {
	if fi < 1 || fi >= len(L.frames) {
		return "", ""
	}
	c := &L.frames[fi-1]
	cl := L.fcl(c)
	if cl == nil || c.pc < 1 {
		return "", ""
	}
	ins := cl.p.code[c.pc-1]
	return cl.p.bp.SlotName(int(c.pc)-1, ins.A())
}

// -- Calling ----------------------------------------------------------------------

// callGo calls Go function gi with the nargs arguments at stack[fslot+1..]
// and moves its results to stack[fslot..]: exactly nres of them (nil
// padded), or all when nres < 0. It returns the number of results stored.
func (L *State) callGo(gi uint32, fslot, nargs, nres int) int {
	gf := L.gfns[gi].fn
	base := fslot + 1
	L.ensureStack(base + nargs + minStack)
	if len(L.frames) >= L.maxFrames+maxCCalls {
		L.rtError("stack overflow")
	}
	L.frames = append(L.frames, frame{base: int32(base), fslot: int32(fslot), kind: frGo, fn: gi, nres: int32(nres)})
	fi := len(L.frames) - 1
	ob, ot, on := L.base, L.top, L.nargs
	L.base, L.top, L.nargs = base, base+nargs, nargs
	n, err := gf(L)
	if err != nil {
		L.goError(fi, err)
	}
	if n > L.top-L.base {
		n = L.top - L.base
	}
	if n < 0 {
		n = 0
	}
	src := L.top - n
	s := L.stack
	if nres < 0 {
		copy(s[fslot:fslot+n], s[src:src+n])
		nres = n
	} else {
		i := 0
		for ; i < nres && i < n; i++ {
			s[fslot+i] = s[src+i]
		}
		for ; i < nres; i++ {
			s[fslot+i] = Nil
		}
	}
	L.frames = L.frames[:fi]
	L.base, L.top, L.nargs = ob, ot, on
	return nres
}

// call calls the value at stack[fslot] with the nargs values after it and
// leaves the results at stack[fslot..]: nres of them, or all if nres < 0.
// It returns how many it left.
func (L *State) call(fslot, nargs, nres int) int {
	for {
		fv := L.stack[fslot]
		switch fv.tag() {
		case tagGFn:
			return L.callGo(fv.idx(), fslot, nargs, nres)
		case tagLFn:
			if L.cdepth >= maxCCalls {
				L.rtError("C stack overflow")
			}
			if len(L.frames) >= L.maxFrames {
				L.rtError("stack overflow")
			}
			cl := L.fns[fv.idx()]
			p := cl.p
			nb := fslot + 1
			L.ensureStack(nb + nargs + p.bp.FrameSize + 1)
			for i := nargs; i < p.bp.NumParams; i++ {
				L.stack[nb+i] = Nil
			}
			nvar := 0
			if p.bp.IsVararg {
				nb, nvar = L.varargFrame(fv, nb, nargs, p.bp.NumParams)
			}
			L.frames = append(L.frames, frame{fn: fv.idx(), base: int32(nb), fslot: int32(fslot), nres: int32(nres), nvar: int32(nvar), kind: frEntry})
			ot, ob, on := L.top, L.base, L.nargs
			L.cdepth++
			L.execute()
			L.cdepth--
			n := L.top - fslot
			L.top, L.base, L.nargs = ot, ob, on
			return n
		default:
			mm := L.metaField(fv, tmCall)
			if mm == Nil {
				L.typeError(fv, -1, "call")
			}
			L.ensureStack(fslot + nargs + 2 + minStack)
			s := L.stack
			copy(s[fslot+1:fslot+nargs+2], s[fslot:fslot+nargs+1])
			s[fslot] = mm
			nargs++
		}
	}
}

// scratch returns the first stack slot free for a nested call: above the
// innermost Lua frame, or above a Go frame's pushed values.
func (L *State) scratch() int {
	if n := len(L.frames); n > 0 {
		f := &L.frames[n-1]
		if f.kind != frGo {
			return int(f.base) + L.fns[f.fn].p.fs
		}
	}
	return L.top
}

// call2to1 calls f(a, b) and returns its first result.
func (L *State) call2to1(f, a, b Value) Value {
	s := L.scratch()
	L.ensureStack(s + 3 + minStack)
	L.stack[s], L.stack[s+1], L.stack[s+2] = f, a, b
	ot := L.top
	L.top = s + 3
	L.call(s, 2, 1)
	L.top = ot
	return L.stack[s]
}

// callMeta calls f(a, b, c) discarding results.
func (L *State) callMeta(f Value, _ int, a, b, c Value) {
	s := L.scratch()
	L.ensureStack(s + 4 + minStack)
	L.stack[s], L.stack[s+1], L.stack[s+2], L.stack[s+3] = f, a, b, c
	ot := L.top
	L.top = s + 4
	L.call(s, 3, 0)
	L.top = ot
}

// -- Protected calls ------------------------------------------------------------

// pcall calls stack[fslot] with nargs arguments like call (all results),
// catching errors. On error it calls handler (if not Nil) with the error
// value while the failing frames are still there, and returns ok=false
// with the (handled) error value.
func (L *State) pcall(fslot, nargs int, handler Value) (n int, errv Value, ok bool) {
	nframes := len(L.frames)
	ob, ot, on, od := L.base, L.top, L.nargs, L.cdepth
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		e, isLua := r.(*Error)
		if !isLua {
			e = L.internalError(r)
		}
		errv = e.Value
		if handler != Nil {
			errv = L.runHandler(handler, errv)
		}
		L.closeUpvals(fslot)
		L.frames = L.frames[:nframes]
		L.base, L.top, L.nargs, L.cdepth = ob, ot, on, od
		n, ok = 0, false
	}()
	n = L.call(fslot, nargs, -1)
	return n, Nil, true
}

// runHandler calls an xpcall message handler; an error inside it becomes
// "error in error handling" as in Lua 5.1.
func (L *State) runHandler(h, v Value) (res Value) {
	defer func() {
		if r := recover(); r != nil {
			if _, isLua := r.(*Error); !isLua {
				panic(r)
			}
			res = L.String("error in error handling")
		}
	}()
	s := L.liveTop()
	L.ensureStack(s + 2 + minStack)
	L.stack[s], L.stack[s+1] = h, v
	L.top = s + 2
	L.call(s, 1, 1)
	return L.stack[s]
}

// internalError turns a Go runtime panic inside the VM into a Lua error
// instead of crashing the embedding program.
func (L *State) internalError(r any) *Error {
	msg := fmt.Sprint(r)
	if _, ok := r.(runtime.Error); ok {
		buf := make([]byte, 4096)
		buf = buf[:runtime.Stack(buf, false)]
		msg = "internal error: " + msg + "\n" + string(buf)
	}
	w := L.where(len(L.frames) - 1)
	if w != "" {
		msg = w + " " + msg
	}
	return &Error{Value: L.String(msg), Message: msg}
}

// -- Tracebacks -------------------------------------------------------------------

// traceback renders the frames as Lua 5.1's "stack traceback:" lines.
func (L *State) traceback() string {
	var b strings.Builder
	b.WriteString("stack traceback:")
	n := len(L.frames)
	shown := 0
	for fi := n - 1; fi >= 0; fi-- {
		if shown == 12 && fi > 10 {
			b.WriteString("\n\t...")
			fi = 10
		}
		shown++
		f := &L.frames[fi]
		b.WriteString("\n\t")
		kind, name := L.callSiteName(fi)
		cl := L.fcl(f)
		if cl == nil {
			b.WriteString("[C]: in function '")
			if name == "" {
				name = L.gfns[f.fn].name
			}
			b.WriteString(name)
			b.WriteString("'")
			continue
		}
		bp := cl.p.bp
		b.WriteString(bp.Source + ":" + strconv.Itoa(bp.Line(atPC(f))) + ":")
		switch {
		case fi == 0 || (f.kind == frEntry && bp.FirstLine == 0):
			b.WriteString(" in main chunk")
		case kind != "":
			b.WriteString(" in function '" + name + "'")
		default:
			b.WriteString(" in function <" + bp.Source + ":" + strconv.Itoa(bp.FirstLine) + ">")
		}
	}
	b.WriteString("\n\t[C]: ?")
	return b.String()
}
