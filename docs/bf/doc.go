// Package bf is a Brainfuck interpreter with its own tracing JIT, built
// only on jitkit's toolkit packages (irkit, regalloc, emit, snapshot,
// guard) and never on demo-lang: the proof that the toolkit serves more
// than one language, and the running example of the implementer's guide
// (docs/implementers-guide.md) and the course (docs/course).
//
// # Place in the pipeline
//
//	source --Parse--> []Ins (runs of + - < > merged)
//	  --VM.run--> a loop's back edge is counted (HotLoop)
//	  --recorder (record.go), an irkit.Language--> irkit IR with guards and snapshots
//	  --LoopOpt--> peeled loop with PHIs
//	  --native.compile (one function): regalloc + emit/amd64 or emit/arm64
//	     + snapshot.BuildSnaps--> machine code and its exit map
//	  --emit.Enter--> runs until a guard fails --> RestoreState --> interpreter
//
// When a host has no lowering, or Options.Interp is set, or the lowering
// refuses a trace, the same trace runs on irkit.Interp: slower, same
// results.
//
// # The idea
//
// The interpreter state a trace sees is tiny: interpreter slot 0 holds the
// tape pointer, and cells are memory (one cell per 8-byte word, so irkit's
// AREF addresses them; the tape's address is a constant of the trace). A
// cell access is a bounds guard (ULT p, len) and an ALOAD or ASTORE; "[" and
// "]" become guards on the cell being zero or not. Only innermost loops are
// traced: a recording that meets an inner loop that iterates aborts, and
// guard.Starts penalizes and finally blacklists that loop. Input and output
// end the trace (Recorder.Stop): the trace exits and the interpreter does
// the I/O, since generated code never calls Go.
//
// # The trade-off
//
// Keeping the language this small leaves out what a real VM needs (side
// traces, calls, values of several types), so the code reads in one
// sitting: the JIT proper (jit.go, record.go, native*.go) is about 520
// lines, the whole package with parser, interpreter, programs and this
// comment about 1,040, tests excluded. Outer loops stay
// interpreted and enter their inner loops' traces once per iteration,
// paying an entry and a snapshot restore each time.
//
// # A worked example
//
// The inner loop [>+<-] records as (see Example for the full dump):
//
//	0001   int  SLOAD  #0    #0          the tape pointer p
//	0002   int  ADD    0001  +1          >
//	0003 > int  ULT    0002  +30000      bounds guard of cell p+1
//	0004   ptr  AREF   [tape] 0002
//	0005   int  ALOAD  0004              +: load, add, wrap, store
//	...
//	0015 > int  NE     0013  +0          ]: loop again while cell p is not 0
//	0016 ------ LOOP ------------        the body again, without the guards
//	                                     and address computations: they are
//	                                     loop invariant
//
// # Figures
//
// BenchmarkBench runs Bench(255), about 1.36 million Brainfuck
// instructions, nearly all in innermost loops, after a first run that
// compiled the traces. The development machine is shared (load average
// 13 on 2 cores while this was measured), so the figure to trust is the
// CPU time per run (metric cpu-ms/op, 3 runs of 40); wall time was 1-4x
// higher and varied as much. The interpreter takes 2.4-2.9 CPU-ms (about
// 2 ns per instruction), machine code 0.55-0.64 CPU-ms (about 4.5x faster,
// entering its five traces 1,275 times per run), and the same traces on
// irkit's IR interpreter 25-37 CPU-ms: the IR interpreter is the oracle,
// not a fast path.
//
// Tests run the classic programs (hello world, cell wrapping, nested
// loops, input) with the JIT off, on the IR interpreter, in machine code,
// with loop optimization off, and under guard.Stress (all guards, and four
// seeded random subsets), and require the same output; under qemu the
// arm64 lowering runs the same tests.
package bf
