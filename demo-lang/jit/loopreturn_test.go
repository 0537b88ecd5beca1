package jit

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

// queensSrc is a backtracking search: a loop in a recursive function that
// calls itself from the loop body, made as a new closure per solve, and
// tables whose integer keys live in the hash part.
const queensSrc = `local function solve(n)
  local cols, d1, d2 = {}, {}, {}
  local count = 0
  local function place(r)
    if r > n then count = count + 1; return end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = false, false, false
      end
    end
  end
  place(1)
  return count
end
local total = 0
for _ = 1, 30 do total = total + solve(7) end
print(total)`

// TestRecursionInLoopTraces: in queens, the loop's side traces return from
// the loop's function into its caller's loop (recRetDown in a loop tree)
// and call the function again with its record pushed (pushRecords), so the
// search runs in machine code: few entries from Go (14,745 of them when
// each return came back to Go through a side trace from the caller's
// frame, 330 with the returns in machine code). The output is the
// interpreter's, with forced exits too.
func TestRecursionInLoopTraces(t *testing.T) {
	if NativeBackend() == nil {
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	want, _ := runSrc(queensSrc, nil)
	if want != "1200\n" {
		t.Fatalf("interpreter: %q", want)
	}
	for _, m := range []string{"off", "all", "random:7", "random:3:2"} {
		stress, err := guard.ParseStress(m)
		if err != nil {
			t.Fatal(err)
		}
		var v bytes.Buffer
		o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: NativeBackend(), Stress: stress, Verbose: &v}
		got, st, err := runSrcStats(queensSrc, &o)
		if err != nil || got != want {
			t.Fatalf("stress=%s: got %q (err %v), want %q\n%s", m, got, err, want, v.String())
		}
		if m != "off" {
			continue
		}
		if !strings.Contains(v.String(), "-> return") {
			t.Errorf("no trace returns from the loop's function:\n%s", v.String())
		}
		if st.Entries > 2000 {
			t.Errorf("%d entries from Go, %d exits; want at most 2000 entries\n%s", st.Entries, st.Exits, v.String())
		}
		t.Logf("%d traces, %d entries from Go, %d exits", st.Traces, st.Entries, st.Exits)
	}
}

// hashKeysSrc reads and writes integer keys that live in a table's hash
// part, among them keys that collide, keys absent, 0 and -0, and a table
// that grows while the loop runs.
const hashKeysSrc = `local t, keys = {}, {}
for i = 1, 40 do t[i * 7] = i; keys[#keys + 1] = i * 7 end
keys[#keys + 1] = 0; keys[#keys + 1] = -0.0; keys[#keys + 1] = 1000003
t[0] = 100
local s = 0
for r = 1, 20000 do
  local k = keys[r % #keys + 1]
  s = s + (t[k] or 0.5)
  t[k] = (t[k] or 0) + 1
  if r % 4001 == 0 then t[r * 11 + 0.0] = r end
end
local u = 0
for k, v in pairs(t) do u = u + k * v end
print(s, u)`

// TestHashNumKeys: integer keys in the hash part are read and written in
// the trace's own code (recHashNum: the main position computed as hashKey
// does, the node's key guarded), and every way the guard can fail (a key
// in another node, an absent key, -0, a resized table) gives the
// interpreter's answer, with forced exits too.
func TestHashNumKeys(t *testing.T) {
	want, _ := runSrc(hashKeysSrc, nil)
	for _, native := range []bool{false, true} {
		be := NativeBackend()
		if native && be == nil {
			continue
		}
		for _, m := range []string{"off", "all", "random:5", "random:9:2"} {
			stress, err := guard.ParseStress(m)
			if err != nil {
				t.Fatal(err)
			}
			var d bytes.Buffer
			o := vm.JITOptions{Opt: guard.DefaultOptions(), Stress: stress, Dump: &d}
			if native {
				o.Backend = be
			}
			got, _, err := runSrcStats(hashKeysSrc, &o)
			if err != nil || got != want {
				t.Fatalf("native=%v stress=%s: got %q (err %v), want %q", native, m, got, err, want)
			}
			if m == "off" && !strings.Contains(d.String(), "BXOR") {
				t.Errorf("native=%v: no trace computes a key's main position:\n%s", native, d.String())
			}
		}
	}
}

// tailInLinkSrc calls, from a loop, a wrapper that tail-calls a function
// whose loop has a trace: the wrapper's frame then runs the callee, and a
// side trace that inlines the call and links to the callee's loop pushes
// the frame's record, which must name the callee's closure, as the
// interpreter's CALLT leaves it. Naming the wrapper's sent the
// interpreter, at the loop trace's next exit to Go, to a pc past the
// wrapper's code: an internal error.
const tailInLinkSrc = `local h = {x = 1.5, y = -2, z = 1}
local acc = 0
function G(n, x)
  if n < 2 or n % 4 == 0 or x > 687 then
    return 7
  end
  for pk, pv in pairs(h) do acc = (acc + pv * 2) % 100003 end
  return G(n - 1, 1)
end
for i = 1, 198 do
  if i == 109 then
    local old = G
    G = function(n, x) if n % 3 == 1 then return (n * 7) % 100003 end return old(n, x) end
  end
  for pk, pv in pairs(h) do acc = (acc + pv * 2) % 100003 end
  G(i % 6, 3)
end
print(acc)`

// TestTailCallInPushedFrame runs tailInLinkSrc with the JIT on, in
// machine code and on the IR interpreter, and under forced exits.
func TestTailCallInPushedFrame(t *testing.T) {
	want, _ := runSrc(tailInLinkSrc, nil)
	if want != "330\n" {
		t.Fatalf("interpreter: %q", want)
	}
	for _, be := range []vm.Backend{nil, NativeBackend()} {
		for _, m := range []string{"off", "all", "random:7"} {
			stress, err := guard.ParseStress(m)
			if err != nil {
				t.Fatal(err)
			}
			o := vm.JITOptions{Opt: guard.DefaultOptions(), Backend: be, Stress: stress}
			if got, err := runSrc(tailInLinkSrc, &o); got != want {
				t.Errorf("backend %v stress=%s: got %q (err %v), want %q", be != nil, m, got, err, want)
			}
		}
	}
}
