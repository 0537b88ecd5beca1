// Package guard is the policy half of side exits in the jitkit pipeline:
// what happens after a guard in generated code fails and control leaves a
// trace.
//
//	record → optimize → allocate → emit → run ──guard fails──▶ exit
//	                                             │
//	                     snapshot.Restore ◀──────┘  (the mechanism: rebuild the frames)
//	                     guard.Tracker.Exit         (the policy: count, go hot, link)
//
// A guard's exit number is the number of the snapshot in force at the guard,
// as in LuaJIT: guards that share a snapshot share an exit, because the
// interpreter state to restore is the same. The package knows no machine
// encoding and no language; it decides, and the backend and the language
// act:
//
//   - Params and Flags hold the tunables, parsed from LuaJIT-style -O
//     arguments ("-O3", "-Ohotloop=10", "-O-loop,+cse") with LuaJIT's
//     defaults (hotloop 56, hotexit 10, tryside 4, maxtrace 1000, ...).
//   - Tracker counts the exits of every trace. When one exit has been taken
//     HotExit times it answers RecordSide: the language records a side trace
//     starting from that exit's snapshot, and if it compiles, Tracker.Link
//     asks the backend (a Patcher) to retarget the exit's branch at the new
//     trace. An exit whose side trace aborts TrySide times is left to the
//     interpreter for good.
//   - Starts blacklists trace start points whose recording keeps aborting,
//     with an exponential, randomized backoff between attempts (LuaJIT's
//     penalty cache), so a loop the JIT cannot compile costs little.
//   - Stress is the testing mode that makes guards exit although their
//     condition holds: every guard (like HotSpot's DeoptimizeALot) or a
//     seeded, repeatable random subset (like V8's --deopt-every-n-times).
//     A program must compute the same results under it, which proves that
//     every snapshot restores the interpreter exactly.
//
// A worked example: with HotExit 10 and TrySide 4, the tenth time exit 3 of
// trace 1 is taken, Exit returns RecordSide; the language records a side
// trace from snapshot 3. If the recording aborts, SideAborted counts one
// try and the counter starts again from zero; after four failed tries, Exit
// returns Stay for that exit from then on. If it compiles as trace 2, Link
// patches the branch of exit 3 to jump straight to trace 2, and the exit is
// never taken through the interpreter again.
package guard
