package vm

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// internModel drives an internTab beside a Go map holding the same
// strings, with strs and a free list as the State keeps them.
type internModel struct {
	t     *testing.T
	tab   internTab
	hash  func(string) uint32
	strs  []string
	mark  []uint32 // 1: live, 0: free
	free  []uint32
	model map[string]uint32
}

func newInternModel(t *testing.T, hash func(string) uint32) *internModel {
	m := &internModel{t: t, hash: hash, model: map[string]uint32{}}
	m.tab.init()
	if m.hash == nil {
		m.hash = m.tab.hash
	}
	return m
}

func (m *internModel) add(s string) {
	if _, ok := m.model[s]; ok {
		return
	}
	var i uint32
	if n := len(m.free); n > 0 {
		i = m.free[n-1]
		m.free = m.free[:n-1]
		m.strs[i] = s
	} else {
		i = uint32(len(m.strs))
		m.strs = append(m.strs, s)
		m.mark = append(m.mark, 0)
	}
	m.mark[i] = 1
	m.tab.insert(m.hash(s), i)
	m.model[s] = i
}

func (m *internModel) free1(s string) {
	i := m.model[s]
	if !m.tab.remove(m.hash(s), i) {
		m.t.Fatalf("remove(%q) found no entry", s)
	}
	m.kill(s, i)
}

func (m *internModel) kill(s string, i uint32) {
	delete(m.model, s)
	m.strs[i] = ""
	m.mark[i] = 0
	m.free = append(m.free, i)
}

// check compares every string of the pool with the model and verifies
// that no probe sequence is broken: every slot between an entry's home and
// the entry is occupied.
func (m *internModel) check(pool []string) {
	m.t.Helper()
	for _, s := range pool {
		want, wok := m.model[s]
		got, ok := m.tab.find(m.strs, s, m.hash(s))
		if ok != wok || ok && got != want {
			m.t.Fatalf("find(%q) = %d, %v; want %d, %v", s, got, ok, want, wok)
		}
		gotb, okb := m.tab.findBytes(m.strs, []byte(s), m.hash(s))
		if okb != ok || gotb != got {
			m.t.Fatalf("findBytes(%q) = %d, %v; find gave %d, %v", s, gotb, okb, got, ok)
		}
	}
	if m.tab.n != len(m.model) {
		m.t.Fatalf("table holds %d entries, model %d", m.tab.n, len(m.model))
	}
	occupied := 0
	mask := m.tab.mask
	for p, e := range m.tab.slots {
		if e == 0 {
			continue
		}
		occupied++
		i := uint32(e) - 1
		if m.mark[i] == 0 || m.hash(m.strs[i]) != uint32(e>>32) {
			m.t.Fatalf("slot %d holds %#x: dead string or wrong hash", p, e)
		}
		for q := uint32(e>>32) & mask; q != uint32(p); q = (q + 1) & mask {
			if m.tab.slots[q] == 0 {
				m.t.Fatalf("entry at slot %d unreachable from its home %d: slot %d empty", p, uint32(e>>32)&mask, q)
			}
		}
	}
	if occupied != m.tab.n || 4*occupied > 3*len(m.tab.slots) {
		m.t.Fatalf("%d occupied of %d slots, n = %d", occupied, len(m.tab.slots), m.tab.n)
	}
}

// TestInternTableRandom runs random inserts, deletes and purges against a
// Go map, with the real hash and with weak ones that force long clusters,
// equal stored hashes and clusters that wrap around the slot array.
func TestInternTableRandom(t *testing.T) {
	hashes := map[string]func(string) uint32{
		"maphash": nil,
		"len":     func(s string) uint32 { return uint32(len(s)) },                     // same hash, different strings
		"mod13":   func(s string) uint32 { return uint32(s[1]%13) << 28 },              // one home, 10 hashes
		"tail":    func(s string) uint32 { return ^uint32(0) - uint32(s[len(s)-1]%7) }, // wraps
	}
	for name, h := range hashes {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			pool := make([]string, 3000)
			for i := range pool {
				pool[i] = fmt.Sprintf("s%d-%s", i, strings.Repeat("x", i%5))
			}
			m := newInternModel(t, h)
			for round := 0; round < 40; round++ {
				for k := rng.IntN(400); k > 0; k-- {
					switch s := pool[rng.IntN(len(pool))]; rng.IntN(3) {
					case 0, 1:
						m.add(s)
					default:
						if _, ok := m.model[s]; ok {
							m.free1(s)
						}
					}
				}
				m.check(pool)
				if round%5 == 4 { // a sweep: kill a random share, then purge
					share := rng.IntN(101)
					for _, s := range pool {
						if i, ok := m.model[s]; ok && rng.IntN(100) < share {
							m.kill(s, i)
						}
					}
					m.tab.purge(m.mark)
					m.check(pool)
				}
			}
		})
	}
}

// TestInternTableGrowShrink fills the table past several doublings, then
// purges nearly everything: it must shrink and keep the survivors.
func TestInternTableGrowShrink(t *testing.T) {
	m := newInternModel(t, nil)
	var pool []string
	for i := 0; i < 20000; i++ {
		s := fmt.Sprint("g", i)
		pool = append(pool, s)
		m.add(s)
	}
	m.check(pool)
	big := len(m.tab.slots)
	if big < 20000*4/3 {
		t.Fatalf("%d slots for 20000 strings", big)
	}
	for _, s := range pool {
		if i := m.model[s]; i%100 != 0 {
			m.kill(s, i)
		}
	}
	m.tab.purge(m.mark)
	m.check(pool)
	if len(m.tab.slots) >= big/8 {
		t.Fatalf("after purging to %d entries the table has %d slots (was %d)", m.tab.n, len(m.tab.slots), big)
	}
}

// checkInterned verifies the State's intern table against its strings:
// every live string is found at its own index and nothing else is there.
func checkInterned(t *testing.T, L *State) {
	t.Helper()
	live := 0
	for i, mk := range L.strMark {
		if mk == 0 {
			continue
		}
		live++
		if got, ok := L.lookupString(L.strs[i]); !ok || got != uint32(i) {
			t.Fatalf("string %d %q: lookup gives %d, %v", i, L.strs[i], got, ok)
		}
	}
	if L.intern.n != live {
		t.Fatalf("intern table holds %d entries, %d strings live", L.intern.n, live)
	}
}

// TestInternCollector makes strings die in small and large numbers, so
// sweeps take both the one-by-one delete and the purge, and checks that
// equal strings stay the same Value and dead ones leave the table.
func TestInternCollector(t *testing.T) {
	for _, stress := range []bool{false, true} {
		L := New(Options{})
		if stress {
			L.SetGCStress()
		}
		_, err := L.DoString("churn", `
			keep = {}
			for r = 1, 6 do
				for i = 1, 3000 * r do
					local s = "t" .. i .. "/" .. r
					if i % 97 == 0 then keep[#keep + 1] = s end
				end
				collectgarbage()
			end
			for i = 1, 20 do local s = "few" .. i end
			collectgarbage()
			n = 0
			for _, s in ipairs(keep) do
				local i, r = string.match(s, "^t(%d+)/(%d+)$")
				if s == "t" .. i .. "/" .. r then n = n + 1 end
			end`)
		if err != nil {
			t.Fatal(err)
		}
		checkInterned(t, L)
		keep := L.tab(L.GetGlobal("keep"))
		if n := L.GetGlobal("n").Float(); int(n) != keep.length() || n == 0 {
			t.Fatalf("%v of %d kept strings equal their rebuilt copies", n, keep.length())
		}
		if _, ok := L.lookupString("t1/1"); ok {
			t.Fatal("dead string t1/1 still interned")
		}
		if v := L.String("t97/1"); v != keep.getInt(1) {
			t.Fatal("interning a kept string again gave another Value")
		}
		// the one-by-one path: few dead strings in a large table
		L.String("lonely")
		before := L.intern.n
		L.Collect()
		if _, ok := L.lookupString("lonely"); ok || L.intern.n >= before {
			t.Fatalf("lonely string survived a collection (entries %d -> %d)", before, L.intern.n)
		}
		checkInterned(t, L)
	}
}

// TestInternPairsOrderDeterministic runs a program whose output depends on
// the order pairs visits string keys in several States (each with its own
// hash seed): the order must not depend on the seed.
func TestInternPairsOrderDeterministic(t *testing.T) {
	const prog = `
		local t = {}
		for i = 1, 500 do t["key" .. (i * 7919 % 1000)] = i end
		for i = 1, 500, 3 do t["key" .. (i * 7919 % 1000)] = nil end
		collectgarbage()
		for i = 1, 200 do t[tostring(i * 1.5)] = i end
		local out = {}
		for k, v in pairs(t) do out[#out + 1] = k .. "=" .. v end
		print(table.concat(out, " "))`
	var first string
	for run := 0; run < 4; run++ {
		var out bytes.Buffer
		L := New(Options{Stdout: &out})
		if _, err := L.DoString("pairs", prog); err != nil {
			t.Fatal(err)
		}
		L.Flush()
		if run == 0 {
			first = out.String()
			continue
		}
		if out.String() != first {
			t.Fatalf("run %d printed a different pairs order", run)
		}
	}
	if len(first) < 1000 {
		t.Fatalf("short output %q", first)
	}
}
