package guard

// -- Blacklisting of start points ------------------------------------------------

// Penalty bounds, as in LuaJIT: the first retry waits PenaltyMin hot-counter
// ticks; each further abort doubles the wait and adds a few random ticks so
// that loops aborting in lockstep drift apart; past PenaltyMax the start point
// is blacklisted and never recorded again.
const (
	PenaltyMin = 72
	PenaltyMax = 60000
)

// Starts tracks trace start points (loop headers, function entries) whose
// recording aborted. A start point is any 64-bit key the language chooses,
// for example a prototype number and a bytecode offset. Aborts are rare, so a
// map is fine here: nothing of this runs on a hot path.
type Starts struct {
	penalty map[uint64]uint32
	black   map[uint64]bool
	rng     uint64
}

// NewStarts returns an empty tracker whose random backoff is drawn from a
// generator seeded with seed, so runs are repeatable.
func NewStarts(seed uint64) *Starts {
	return &Starts{penalty: map[uint64]uint32{}, black: map[uint64]bool{}, rng: seed | 1}
}

func (s *Starts) random() uint32 {
	// xorshift64*: small, fast and good enough for jitter.
	s.rng ^= s.rng >> 12
	s.rng ^= s.rng << 25
	s.rng ^= s.rng >> 27
	return uint32((s.rng * 0x2545F4914F6CDD1D) >> 32)
}

// Abort records that recording from start aborted. It returns how many
// hot-counter ticks the language should wait before it tries again, or
// blacklisted = true when the start point must not be recorded any more.
func (s *Starts) Abort(start uint64) (wait int, blacklisted bool) {
	if s.black[start] {
		return 0, true
	}
	p, ok := s.penalty[start]
	if !ok {
		p = PenaltyMin
	} else {
		p = 2*p + s.random()%16
	}
	if p > PenaltyMax {
		delete(s.penalty, start)
		s.black[start] = true
		return 0, true
	}
	s.penalty[start] = p
	return int(p), false
}

// Success forgets the penalty of a start point whose trace compiled.
func (s *Starts) Success(start uint64) { delete(s.penalty, start) }

// Blacklisted reports whether start must not be recorded any more.
func (s *Starts) Blacklisted(start uint64) bool { return s.black[start] }

// Len reports how many start points carry a penalty and how many are
// blacklisted, for statistics.
func (s *Starts) Len() (penalized, blacklisted int) { return len(s.penalty), len(s.black) }
