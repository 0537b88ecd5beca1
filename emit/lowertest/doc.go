// Package lowertest is the shared test machinery of jitkit's machine-code
// lowerings (emit/amd64, emit/arm64): the place where a backend is held
// to irkit's interpreter, bit for bit.
//
// # The idea
//
// The IR interpreter defines what a trace means. A backend is correct when
// every trace it compiles, run natively on the same inputs, ends in the
// same exit with the same values: the same interpreter slots, the same
// memory, and every value of the exit's snapshot readable from where the
// compiled trace says it left it (a register saved in emit.State.Regs, a
// spill slot, or a constant). lowertest provides the three parts of that
// comparison, architecture-free:
//
//   - Gen, a seeded random trace generator: straight-line traces, loop
//     traces (loop-optimized, with LOOP and PHIs) and restarting ones,
//     guards of every kind (comparisons of every type, overflow checks,
//     exact conversions, tag checks), loads and stores of every width
//     against a pinned Arena and the interpreter slots, helper calls
//     (HelperSpecs: a backend supplies their machine code, or none, for
//     call-outs), and high register pressure (Config.Pressure keeps
//     values live to the end).
//   - Expect, which runs a trace on the interpreter and returns what a
//     native run must produce (Want).
//   - Machine, which runs compiled code under a watchdog (a timer sets
//     State.Interrupt, so a runaway loop returns), serving its call-outs
//     to Go (emit.Trace.Serve: helpers registered without machine code,
//     float POW, when the backend compiles them as call-outs), and
//     Compare, which reads every snapshot value back through
//     emit.Trace.Locs and diffs.
//
// Tester strings them together: Tester.Case(seed) builds, allocates
// (checked by regalloc.Check), interprets, compiles, runs and compares one
// case, and returns a readable report of the first difference with the
// trace and its allocation.
//
// # The trade-off
//
// Random traces find what nobody thought to write down (a NaN payload, a
// shift by 32, a TInt with garbage in its upper half reaching a slot), but
// a random trace is not a readable regression test: a failing seed is
// printed with its IR and allocation so it can be turned into one. The
// generator takes all its decisions from the seed, never from what the
// builder returned, so a seed reproduces the same case everywhere.
//
// # A worked example
//
// A backend's test runs thousands of seeds:
//
//	tst := lowertest.NewTester(backend, lowertest.Config{Helpers: hs})
//	defer tst.Close()
//	for seed := int64(1); seed <= 3000; seed++ {
//		if _, err := tst.Case(seed); err != nil {
//			t.Fatalf("seed %d: %v", seed, err)
//		}
//	}
//	t.Logf("%+v", tst.Stats)
//
// where backend implements Backend (Target and Compile) and hs comes from
// NewHelpers with the addresses of the backend's machine code for each of
// HelperSpecs.
package lowertest
