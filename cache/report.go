package cache

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// -- Counters -----------------------------------------------------------------

// Stats is what a site has counted since it was last reset.
type Stats struct {
	Kind    Kind
	State   State
	Entries int // cached entries (0 when uninit or mega)
	// Hits counts accesses that Read, Write or Call answered from the
	// site's entries, or in the mega state from the global cache; the
	// inline paths (ReadHit, WriteHit, CallHit) count nothing, since a
	// counter's read-modify-write on every hit costs up to a third of the hit.
	// An interpreter that wants every execution counted counts its
	// instructions. Misses counts accesses that had to search
	// a shape. Dict counts accesses to objects in dictionary mode, which
	// no cache serves and which do not change the state.
	Hits, Misses, Dict uint64
	// Transitions counts state changes (uninit → mono → poly → mega).
	Transitions int
	// PolyAt and MegaAt number the access (counting from 1 the counted
	// hits, misses and dictionary accesses alike) that made the site polymorphic and
	// megamorphic; 0 if it has not become so.
	PolyAt, MegaAt uint64
	// Resets counts the times the site was cleared because it was used
	// with another Shapes or another kind of operation.
	Resets uint32
}

// Stats returns the site's counters.
func (s *Site) Stats() Stats {
	return Stats{
		Kind: s.kind, State: s.state, Entries: int(s.n),
		Hits: s.hits, Misses: s.misses, Dict: s.dict,
		Transitions: int(s.changes), PolyAt: s.polyAt, MegaAt: s.megaAt,
		Resets: s.resets,
	}
}

// -- A table of sites ---------------------------------------------------------

// siteBlock is how many sites a Sites allocates at once. Sites never move,
// so the pointers Add returns stay valid.
const siteBlock = 256

// Sites is a flat table of named sites for an interpreter that keeps its
// sites out of line (bytecode operand = site index) and for a tool that
// prints them all. Sites are allocated in blocks and never move.
type Sites struct {
	blocks [][]Site
	names  []string
}

// Add makes a new site of kind k, named for reports (for example
// "main.lua:12 GETFIELD x"), and returns it with its index.
func (t *Sites) Add(k Kind, name string) (*Site, int) {
	i := len(t.names)
	if i%siteBlock == 0 {
		t.blocks = append(t.blocks, make([]Site, siteBlock))
	}
	t.names = append(t.names, name)
	s := &t.blocks[i/siteBlock][i%siteBlock]
	s.kind = k
	return s, i
}

// Len is the number of sites in the table.
func (t *Sites) Len() int { return len(t.names) }

// At returns site i, or nil when i is out of range.
func (t *Sites) At(i int) *Site {
	if i < 0 || i >= len(t.names) {
		return nil
	}
	return &t.blocks[i/siteBlock][i%siteBlock]
}

// Name returns the name of site i ("" when out of range).
func (t *Sites) Name(i int) string {
	if i < 0 || i >= len(t.names) {
		return ""
	}
	return t.names[i]
}

// -- Reports ------------------------------------------------------------------

// Report writes one line per site: name, kind, state, counters and cached
// entries, then a line of totals per state. keyName prints a key (nil:
// hexadecimal).
func (t *Sites) Report(w io.Writer, keyName func(uint64) string) error {
	return Report(w, len(t.names), func(i int) (string, *Site) { return t.names[i], t.At(i) }, keyName)
}

// Report writes the report of Sites.Report for sites an interpreter keeps
// elsewhere, inline in its instructions for example: site(i) gives the
// name and the site of row i, for i from 0 to n-1; a nil site is skipped.
func Report(w io.Writer, n int, site func(i int) (string, *Site), keyName func(uint64) string) error {
	if site == nil {
		return errors.New("cache: Report without a site function")
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "site\tkind\tstate\thits\tmisses\tdict\tpoly@\tmega@\tentries")
	var per [len(stateNames)]int
	total := 0
	for i := 0; i < n; i++ {
		name, s := site(i)
		if s == nil {
			continue
		}
		st := s.Stats()
		per[st.State]++
		total++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n",
			name, st.Kind, st.State, st.Hits, st.Misses, st.Dict,
			at(st.PolyAt, st.State >= Poly), at(st.MegaAt, st.State == Mega),
			s.Entries(keyName))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d sites: %d uninit, %d mono, %d poly, %d mega\n",
		total, per[Uninit], per[Mono], per[Poly], per[Mega])
	return err
}

func at(n uint64, reached bool) string {
	if !reached {
		return "-"
	}
	return strconv.FormatUint(n, 10)
}

// Entries describes the site's cached entries, space-separated:
//
//	read   s5.x@1      shape 5 holds x in slot 1
//	       s5.x-       shape 5 lacks x
//	write  s5.x@1      overwrite slot 1
//	       s5.x@2>s6   append slot 2, the object becomes shape 6
//	call   s5.m@0      the receiver holds m in slot 0
//	       s5.m^s7@3   it does not; a holder of shape 7 holds m in slot 3
//	       s5.m-       neither holds m (s5.m^s7- with a holder)
//
// keyName prints a key (nil: hexadecimal).
func (s *Site) Entries(keyName func(uint64) string) string {
	if keyName == nil {
		keyName = func(k uint64) string { return "0x" + strconv.FormatUint(k, 16) }
	}
	var b strings.Builder
	for i := 0; i < int(s.n); i++ {
		e := &s.e[i]
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "s%d.%s", e.shape(), keyName(e.key))
		switch {
		case s.kind == WriteSite && e.aux() != e.shape():
			fmt.Fprintf(&b, "@%d>s%d", e.slot(), e.aux())
		case e.slot() >= 0:
			fmt.Fprintf(&b, "@%d", e.slot())
		case s.kind == CallSite && e.aux() != noHolder:
			fmt.Fprintf(&b, "^s%d", e.aux())
			if e.hslot() >= 0 {
				fmt.Fprintf(&b, "@%d", e.hslot())
			} else {
				b.WriteByte('-')
			}
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
