package guard

import (
	"fmt"
	"strconv"
	"strings"
)

// -- Tunables ----------------------------------------------------------------

// Params are the numeric tunables of a tracing JIT, named and defaulted as
// LuaJIT's -O parameters so that its documentation and experience carry
// over. A language may ignore those that do not apply to it.
type Params struct {
	MaxTrace   int // most traces in the cache
	MaxRecord  int // most IR instructions recorded for one trace
	MaxIRConst int // most IR constants in one trace
	MaxSide    int // most side traces of one root trace
	MaxSnap    int // most snapshots in one trace
	HotLoop    int // loop iterations (or calls) before a root trace is recorded
	HotExit    int // times an exit is taken before a side trace is recorded
	TrySide    int // attempts to record a side trace from one exit
	InstUnroll int // most unrolling of an unstable loop
	LoopUnroll int // most back edges of inner loops one trace unrolls
	CallUnroll int // most unrolling of pseudo-recursive calls
	RecUnroll  int // least unrolling of true recursion
	SizeMCode  int // size of one machine-code area, KiB
	MaxMCode   int // most machine code in all areas, KiB
}

// paramTable names every parameter once, for Parse and String.
var paramTable = []struct {
	name string
	get  func(*Params) *int
	def  int
}{
	{"maxtrace", func(p *Params) *int { return &p.MaxTrace }, 1000},
	{"maxrecord", func(p *Params) *int { return &p.MaxRecord }, 4000},
	{"maxirconst", func(p *Params) *int { return &p.MaxIRConst }, 500},
	{"maxside", func(p *Params) *int { return &p.MaxSide }, 100},
	{"maxsnap", func(p *Params) *int { return &p.MaxSnap }, 500},
	{"hotloop", func(p *Params) *int { return &p.HotLoop }, 56},
	{"hotexit", func(p *Params) *int { return &p.HotExit }, 10},
	{"tryside", func(p *Params) *int { return &p.TrySide }, 4},
	{"instunroll", func(p *Params) *int { return &p.InstUnroll }, 4},
	{"loopunroll", func(p *Params) *int { return &p.LoopUnroll }, 15},
	{"callunroll", func(p *Params) *int { return &p.CallUnroll }, 3},
	{"recunroll", func(p *Params) *int { return &p.RecUnroll }, 2},
	{"sizemcode", func(p *Params) *int { return &p.SizeMCode }, 32},
	{"maxmcode", func(p *Params) *int { return &p.MaxMCode }, 512},
}

// -- Optimization flags --------------------------------------------------------

// Flags switch optimizations on and off, as LuaJIT's -O flags do.
type Flags uint32

// The optimization flags, in LuaJIT's order.
const (
	Fold   Flags = 1 << iota // constant folding and algebraic simplification
	CSE                      // common-subexpression elimination
	DCE                      // dead-code elimination
	Fwd                      // load forwarding (store-to-load, load-to-load)
	DSE                      // dead-store elimination
	Narrow                   // narrowing of numbers to integers
	Loop                     // loop optimization (peeling, invariant hoisting)
	ABC                      // array bounds-check elimination
	Sink                     // allocation and store sinking
	Fuse                     // fusion of operands into instructions
)

var flagNames = []string{"fold", "cse", "dce", "fwd", "dse", "narrow", "loop", "abc", "sink", "fuse"}

// Levels maps -O0 .. -O3 to the flags they switch on, as in LuaJIT.
var Levels = [4]Flags{
	0,
	Fold | CSE | DCE,
	Fold | CSE | DCE | Narrow | Loop,
	Fold | CSE | DCE | Narrow | Loop | Fwd | DSE | ABC | Sink | Fuse,
}

// String lists the flags that are on, e.g. "fold cse dce".
func (f Flags) String() string {
	var parts []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " ")
}

// -- Options -----------------------------------------------------------------

// Options are a JIT's flags and parameters together.
type Options struct {
	Flags Flags
	Params
}

// DefaultOptions returns LuaJIT's defaults: -O3 and the default parameters.
func DefaultOptions() Options {
	o := Options{Flags: Levels[3]}
	for _, e := range paramTable {
		*e.get(&o.Params) = e.def
	}
	return o
}

// Parse applies one -O argument, without the "-O", as LuaJIT's command line
// does: a comma-separated list of items, each a level ("3"), a flag to
// switch on ("cse" or "+cse") or off ("-cse"), or a parameter ("hotloop=10").
// The empty string means the default level, 3. Errors name the bad item;
// on error o is left unchanged.
func (o *Options) Parse(arg string) error {
	n := *o
	if arg == "" {
		n.Flags = Levels[3]
	}
	for _, item := range strings.Split(arg, ",") {
		if item == "" {
			continue
		}
		if len(item) == 1 && item[0] >= '0' && item[0] <= '3' {
			n.Flags = Levels[item[0]-'0']
			continue
		}
		if name, val, ok := strings.Cut(item, "="); ok {
			p := n.param(name)
			if p == nil {
				return fmt.Errorf("unknown JIT parameter %q", name)
			}
			v, err := strconv.Atoi(val)
			if err != nil || v < 0 {
				return fmt.Errorf("bad value %q for JIT parameter %s", val, name)
			}
			*p = v
			continue
		}
		on := true
		name := item
		switch item[0] {
		case '+':
			name = item[1:]
		case '-':
			on, name = false, item[1:]
		}
		f, ok := flagByName(name)
		if !ok {
			return fmt.Errorf("unknown JIT optimization %q", name)
		}
		if on {
			n.Flags |= f
		} else {
			n.Flags &^= f
		}
	}
	*o = n
	return nil
}

func (o *Options) param(name string) *int {
	for _, e := range paramTable {
		if e.name == name {
			return e.get(&o.Params)
		}
	}
	return nil
}

func flagByName(name string) (Flags, bool) {
	for i, n := range flagNames {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

// String prints the options as one line that Parse accepts back.
func (o Options) String() string {
	var parts []string
	for i, n := range flagNames {
		if o.Flags&(1<<i) != 0 {
			parts = append(parts, "+"+n)
		} else {
			parts = append(parts, "-"+n)
		}
	}
	for _, e := range paramTable {
		parts = append(parts, fmt.Sprintf("%s=%d", e.name, *e.get(&o.Params)))
	}
	return strings.Join(parts, ",")
}
