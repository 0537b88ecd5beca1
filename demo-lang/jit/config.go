package jit

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
)

// Config is the JIT's command-line configuration: -j on|off, -jv, -jdump,
// -jstats, -jstress=MODE and -O... (LuaJIT's flags), plus the stress
// mode from the environment (JITKIT_STRESS).
type Config struct {
	On   bool
	V    bool // -jv: a line per trace event
	Dump bool // -jdump: bytecode, IR and machine code per trace
	// HTML is the file -jdump=html[=FILE] writes its page to at the end
	// of the run ("" for none); see WriteHTML.
	HTML   string
	Stats  bool // -jstats: counters at exit
	Native bool // use the machine-code backend where there is one (-jnative=off disables)
	Opt    guard.Options
	Stress guard.Stress

	Profile bool // -jp: sample the VM state, print a profile at exit (profile.go)
	PerfMap bool // -jperfmap, JITKIT_PERFMAP=1: name traces in /tmp/perf-PID.map
	prof    profState
	sources map[string]string // chunk texts for the HTML page (AddSource)
}

// NewConfig returns the default configuration: JIT on, LuaJIT's -O3
// defaults, stress mode from JITKIT_STRESS (an invalid value is an error).
func NewConfig() (*Config, error) {
	c := &Config{On: true, Native: true, Opt: guard.DefaultOptions()}
	st, err := guard.StressFromEnv()
	if err != nil {
		return c, fmt.Errorf("%s: %v", guard.StressEnv, err)
	}
	c.Stress = st
	c.PerfMap = perfMapFromEnv()
	return c, nil
}

// Flag handles one command-line option a if it is a JIT option; need
// fetches the option's argument. handled is false for other options.
func (c *Config) Flag(a string, need func() (string, bool)) (handled bool, err error) {
	switch {
	case a == "-j":
		s, ok := need()
		if !ok {
			return true, fmt.Errorf("-j needs an argument")
		}
		on, err := onOff(s, "-j")
		if err != nil {
			return true, err
		}
		c.On = on
	case a == "-jon", a == "-joff": // LuaJIT's spelling
		c.On = a == "-jon"
	case a == "-jv":
		c.V = true
	case a == "-jdump":
		c.Dump = true
	case a == "-jdump=html":
		c.HTML = HTMLDumpFile()
	case strings.HasPrefix(a, "-jdump=html="):
		if c.HTML = a[len("-jdump=html="):]; c.HTML == "" {
			return true, fmt.Errorf("-jdump=html= needs a file name")
		}
	case strings.HasPrefix(a, "-jdump="):
		return true, fmt.Errorf("-jdump= expects html or html=FILE")
	case a == "-jstats":
		c.Stats = true
	case a == "-jp":
		c.Profile = true
	case a == "-jperfmap":
		c.PerfMap = true
	case strings.HasPrefix(a, "-jnative="):
		on, err := onOff(a[len("-jnative="):], "-jnative=")
		if err != nil {
			return true, err
		}
		c.Native = on
	case strings.HasPrefix(a, "-jstress="):
		st, err := guard.ParseStress(a[len("-jstress="):])
		if err != nil {
			return true, err
		}
		c.Stress = st
	case strings.HasPrefix(a, "-O"):
		if err := c.Opt.Parse(a[2:]); err != nil {
			return true, err
		}
	default:
		return false, nil
	}
	return true, nil
}

// Attach enables the JIT on L as configured; diagnostics go to w.
func (c *Config) Attach(L *vm.State, w io.Writer) {
	c.startProfile()
	if !c.On {
		return
	}
	o := vm.JITOptions{Opt: c.Opt, Stress: c.Stress}
	if c.V {
		o.Verbose = w
	}
	if c.Dump {
		o.Dump = w
	}
	if c.Native {
		o.Backend = nativeBackend(c.HTML != "")
	}
	c.hookProfile(&o, w)
	L.EnableJIT(o)
}

// Finish prints -jstats to w, writes the -jdump=html page (a line on w
// names the file) and releases the JIT's code.
func (c *Config) Finish(L *vm.State, w io.Writer) {
	c.finishProfile(w)
	if c.On && c.Stats {
		WriteStats(w, L.JITStats())
		WriteHotExits(w, L.JITTraces(), hotExits)
	}
	if c.HTML != "" {
		if err := c.writeHTMLDump(L); err != nil {
			fmt.Fprintf(w, "jit: -jdump=html: %v\n", err)
		} else {
			fmt.Fprintf(w, "jit: trace dump written to %s\n", c.HTML)
		}
	}
	L.DisableJIT()
}

// WriteStats prints the JIT's counters in a few lines.
func WriteStats(w io.Writer, s vm.JITStats) {
	fmt.Fprintf(w, "jit: %d traces (%d side, %d machine code, %d flushed), %d links in machine code (%d keyed by caller), %d entries, %d exits to Go, %d blacklisted, recording+compiling %v\n",
		s.Traces, s.SideTraces, s.Native, s.Flushed, s.Links, s.KeyedLinks, s.Entries, s.Exits, s.Blacklisted, s.RecordTime)
	reasons := make([]string, 0, len(s.Aborts))
	for r := range s.Aborts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "jit: abort %5d  %s\n", s.Aborts[r], r)
	}
}

// hotExits is how many exits -jstats lists.
const hotExits = 5

// WriteHotExits prints the n exits to Go taken most often, one line each:
// the trace and snapshot, the count, the source line the exit resumes at,
// and the side trace linked there, if any. An exit that returns to Go
// often is where a program loses the time a trace saves: a side trace
// that could not be recorded (see the abort reasons), or one that runs
// only from Go (a deep side trace, after a check of its caller).
func WriteHotExits(w io.Writer, traces []vm.TraceInfo, n int) {
	type hot struct {
		t     *vm.TraceInfo
		snap  int
		count int64
	}
	var all []hot
	for i := range traces {
		t := &traces[i]
		for s, c := range t.Exits {
			if c > 0 {
				all = append(all, hot{t, s, c})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].count > all[j].count })
	for _, h := range all[:min(n, len(all))] {
		where := ""
		if h.snap < len(h.t.SnapLine) && h.t.SnapLine[h.snap] > 0 {
			where = fmt.Sprintf(" at %s:%d", h.t.Chunk, h.t.SnapLine[h.snap])
		}
		side := ", no side trace"
		if h.snap < len(h.t.Sides) && h.t.Sides[h.snap] != 0 {
			side = fmt.Sprintf(", side trace %d", h.t.Sides[h.snap])
		}
		fmt.Fprintf(w, "jit: exit %d/%d %10d%s%s\n", h.t.ID, h.snap, h.count, where, side)
	}
}

// onOff parses the on|off argument of option opt.
func onOff(s, opt string) (bool, error) {
	switch s {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("%s expects on or off", opt)
}
