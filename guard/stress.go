package guard

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// -- Stress mode ------------------------------------------------------------------

// StressMode selects which guards a Stress forces to exit.
type StressMode uint8

const (
	StressOff    StressMode = iota // guards exit only when their condition fails
	StressAll                      // every guard exits, every time
	StressRandom                   // a seeded, repeatable subset of guards exits
)

// StressEnv is the environment variable StressFromEnv reads.
const StressEnv = "JITKIT_STRESS"

// Stress makes guards exit although their condition holds, to prove that
// every exit restores the interpreter exactly: a program must print the same
// under it. The choice is made per (trace, exit) when a trace is compiled,
// so a forced guard becomes an unconditional jump to its exit and the mode
// costs nothing when off. Under StressRandom a guard is forced with
// probability 1/Every, decided by a hash of Seed, the trace and the exit:
// the same seed forces the same guards in every run.
type Stress struct {
	Mode  StressMode
	Seed  uint64
	Every uint32 // StressRandom: force about one guard in Every (default 4)
}

// ParseStress reads a stress setting: "" or "off", "all", or
// "random[:SEED[:EVERY]]" (defaults: seed 1, every 4).
func ParseStress(s string) (Stress, error) {
	parts := strings.Split(s, ":")
	switch parts[0] {
	case "", "off", "0":
		if len(parts) == 1 {
			return Stress{}, nil
		}
	case "all", "1":
		if len(parts) == 1 {
			return Stress{Mode: StressAll}, nil
		}
	case "random":
		st := Stress{Mode: StressRandom, Seed: 1, Every: 4}
		if len(parts) > 3 {
			break
		}
		if len(parts) > 1 {
			v, err := strconv.ParseUint(parts[1], 10, 64)
			if err != nil {
				return Stress{}, fmt.Errorf("bad stress seed %q", parts[1])
			}
			st.Seed = v
		}
		if len(parts) > 2 {
			v, err := strconv.ParseUint(parts[2], 10, 32)
			if err != nil || v == 0 {
				return Stress{}, fmt.Errorf("bad stress rate %q", parts[2])
			}
			st.Every = uint32(v)
		}
		return st, nil
	}
	return Stress{}, fmt.Errorf("bad stress mode %q (want off, all or random[:SEED[:EVERY]])", s)
}

// StressFromEnv reads JITKIT_STRESS.
func StressFromEnv() (Stress, error) { return ParseStress(os.Getenv(StressEnv)) }

// Force reports whether the guard of exit in trace tr must always exit.
func (s Stress) Force(tr TraceID, exit int) bool {
	switch s.Mode {
	case StressAll:
		return true
	case StressRandom:
		every := s.Every
		if every == 0 {
			every = 4
		}
		return mix(s.Seed, uint64(tr)<<32|uint64(uint32(exit)))%uint64(every) == 0
	}
	return false
}

// Forcer returns the forced exits of trace tr as a function, the form
// irkit.Interp.Force and the lowerings' Lowerer.Force take, or nil when
// the mode is off (so nothing is forced and nothing is called).
func (s Stress) Forcer(tr TraceID) func(exit int) bool {
	if s.Mode == StressOff {
		return nil
	}
	return func(exit int) bool { return s.Force(tr, exit) }
}

// String prints the setting in the form ParseStress reads.
func (s Stress) String() string {
	switch s.Mode {
	case StressAll:
		return "all"
	case StressRandom:
		return fmt.Sprintf("random:%d:%d", s.Seed, s.Every)
	}
	return "off"
}

// mix is SplitMix64's finalizer over seed and x: every input bit reaches
// every output bit, so neighbouring exits are forced independently.
func mix(seed, x uint64) uint64 {
	z := seed + x*0x9E3779B97F4A7C15
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}
