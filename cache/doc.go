// Package cache gives an interpreter shapes (hidden classes) and inline
// caches, and gives a trace recorder what it needs to turn a cached
// property access into a shape guard and a load at a fixed offset.
//
// # Place in the pipeline
//
// The interpreter uses this package on its fast path: every bytecode that
// reads, writes or calls through a constant string key (Lua's t.x, t.x = v,
// t:m()) owns a Site, and asks the site instead of hashing the key. When a
// loop gets hot and the recorder (irkit's recorder interface, implemented
// by the language) records such a bytecode, it asks the site which shapes
// it has seen (Site.Plan) or the object which shape it has now
// (Shapes.Guard), and emits a guard on the shape plus a load or store at a
// constant offset. The package knows no language and no machine: keys and
// values are opaque 64-bit words.
//
// # The idea
//
// Objects built by the same code get the same keys in the same order. A
// shape names such an ordered key set, so an object is just a shape and a
// slot array: slot i holds the shape's i-th key. Shapes form a transition
// tree rooted at EmptyShape, one edge per added key, so objects built
// alike share shapes without anybody declaring a class. Shapes never
// change and are never freed: a ShapeID, a small integer, is a sound
// constant in a trace for the life of the Shapes.
//
// A site remembers (shape, key) → slot facts. The first one it learns is
// checked inline by ReadHit, WriteHit and CallHit. An object keeps its
// shape and its key count n in one head word (shape | n<<32) and an entry
// its shape and slot the same way, so a hit loads the two words and
// compares them twice: equal low halves (the shape) and the object's word
// above the entry's (the slot below the object's own n). Then it compares
// the key and loads the slot with no further bounds check. Checking the
// slot against the object's n, not against what its shape promises, keeps
// the load inside the object's array even for an object misused with
// another Shapes.
//
// The site of an instruction whose key is a constant can be fixed to that
// key (Site.Fix). A fixed site caches facts about its own key only (it
// serves another key, as a miss, without caching it), so its fast paths
// ReadHitFixed, WriteHitFixed and CallHitFixed take no key and compare
// none: a hit is the head-word test against one word of the site and the
// load. An interpreter fixes a site when it makes it, from the
// instruction's constant; a site that is not fixed never hits through
// them.
//
// A site that sees a second shape becomes polymorphic and keeps up
// to Options.Poly entries (default 4, at most MaxPoly); one that sees more
// becomes megamorphic and from then on asks a global direct-mapped cache
// keyed by (shape, key), shared by all sites of the Shapes. Absence is
// cached too, which matters for method calls: the receiver lacks the
// method, the class object has it.
//
// An object leaves shape mode for dictionary mode, an insertion-ordered
// open-addressing hash it owns, when a key is deleted, when it would
// exceed Options.MaxKeys keys, or when the shape table is full. Sites do
// not cache dictionary-mode objects and count them apart (Stats.Dict); a
// shape guard on one always fails, since DictShape is never guarded on.
//
// # Trade-offs
//
//   - Go inlines only small functions and never one that also calls the
//     slow path, so the fast path is split: ReadHit is inlined into the
//     interpreter, Read is an ordinary call. Both are exposed.
//   - The inline paths count nothing. A hit counter's read-modify-write on
//     every hit cost 0.05-0.3 ns, up to a third of the hit above the loop it
//     sits in, and made the site a written cache line. Read, Write and
//     Call count every hit, miss and dictionary access they serve, so the
//     report still shows where each site stands and how often it missed.
//   - The key count lives in the head word only; the slot array's length
//     is its capacity. A hit then loads no length, and a trace's add
//     transition sets shape and count with one store. The price is an
//     invariant, n <= len(slots) for every Object, that the unchecked
//     load relies on: only this package writes the head (and a trace,
//     which stores a count only after checking the room for it).
//   - Delete sends an object to dictionary mode for good, so that a
//     traversal may delete the key it visits and Lua's next(t, k) still
//     finds k's position (Pos finds a deleted key until the dictionary is
//     next resized). A language whose "absent" is a value, as Lua's nil
//     is, should usually store that value and skip it when iterating,
//     keeping the shape and its cached sites; Delete is for a key that
//     must really go.
//   - The shape table only grows. MaxShapes bounds it: programs that use
//     tables as dictionaries with ever new keys reach MaxKeys and go to
//     dictionary mode long before.
//
// # Iteration
//
// Next walks an object in insertion order, in both modes; a shape-mode
// object moves to dictionary mode keeping every position. The order is a
// function of the operations alone (no addresses, no randomized hashing),
// so Lua's pairs is deterministic from run to run.
//
// # Fitting a language
//
// The intended fit for a Lua-like language: a table keeps its array part
// and its non-string keys itself and puts its string keys in an embedded
// Object: an interned string, NaN-boxed, is a uint64 whose equality is bit
// equality, which is what a key must be. The array part, and so # and
// ipairs, never see this package; pairs walks the array part, then
// Object.Next, then the other keys. (demo-lang does not do this today: it
// keeps Lua 5.1's node hash and caches node indices per instruction; see
// docs/design/cache.md for the measurements and what the change would
// take, the garbage collector's view of shape keys first.) Values are
// uint64 with no Go pointers, so the slot array is pointer-free memory the
// garbage collector need not scan and generated code may store into with
// no write barrier. A table constructor that knows its field count calls
// Object.Reserve; other objects get their slot capacity from what earlier
// objects built along the same branch of the tree needed.
//
// # Recording a site: shape guard plus fixed-offset load
//
// For an object reference obj in the IR and a Guard g from Site.Plan or
// from Shapes.Guard, GuardWrite or GuardCall, a recorder emits, in prose:
//
//  1. sh := load 32 bits (ShapeSize) at obj+ShapeOffset; guard sh ==
//     constant g.Shape, else exit with a snapshot.
//  2. base := load a pointer at obj+SlotsOffset (the slot array's data
//     pointer). The shape guard proves the object holds more than g.Slot
//     keys, so no bounds check is needed.
//  3. v := load 64 bits at base+g.Offset (g.Offset = SlotOffset(g.Slot) =
//     8*g.Slot). When g.Slot is -1 the key is absent and v is the
//     language's nil: no load at all.
//
// A write that overwrites (not g.Append) is the same with a store in step
// 3. An add transition (g.Append) also checks room and moves the shape:
// guard the word at obj+SlotsCapOffset > g.Slot, else exit so Go can grow
// the array; store at base+g.Offset; then store the 64-bit constant
// Head(g.Next, g.Slot+1) at obj+HeadOffset, which sets the shape and the
// key count at once (or store the 32-bit g.Slot+1 at obj+CountOffset and
// g.Next at obj+ShapeOffset). None of these stores writes a pointer, so
// none needs a write barrier. A method call
// found in a holder (g.HasHolder) guards the receiver's shape, then the
// holder's shape against g.HolderShape, and loads from the holder's slots
// at g.HolderOffset. A polymorphic site gives several Guards; a tracing
// recorder usually keeps only the one whose Shape the object has at
// record time, and a megamorphic site (Plan returns false) is recorded as
// a call to a generic lookup or left to the interpreter.
//
// The data pointer at SlotsOffset changes only when an add transition
// grows the array, which also changes the shape; a trace may therefore
// reuse a loaded base for as long as it may reuse the shape guard, that
// is until it records an add to the same object (or calls out to Go).
//
// # Figures
//
// BenchmarkRead on the development machine (a 2-vCPU x86-64 VM at 2.1 GHz,
// shared, so minima of 8 interleaved runs, medians in docs/design/cache.md;
// wall time per read; each loop iteration reads 4 keys, each through its
// own site, from the next of 16 objects of 1, 4 or 16 shapes holding 4 to
// 19 keys; measured 2026-12-07):
//
//	                  fixed site,  site,      site,      Go map   bare slot
//	                  inlined      inlined    Read call            load
//	mono (1 shape)     0.58 ns     0.76 ns    1.96 ns    2.56 ns   0.32 ns
//	poly (4 shapes)    2.3 ns      2.3 ns     2.2 ns     3.0 ns    0.31 ns
//	mega (16 shapes)   3.2 ns      3.1 ns     2.7 ns     4.3 ns    0.32 ns
//
// No path allocates. A monomorphic hit through a fixed site is 23% of the
// map lookup (22.7% by the minimum, 22.8% by the median); through a site
// that is not fixed it is 30%: it also loads the site's key and compares
// it with the caller's. As compiled, the fixed hit is 9 instructions, 4 of
// them loads (site word, head word, data pointer, value) and 3 branches
// (one the jump over the slow-path call); see docs/design/cache.md. The
// maps of the mono case are small (Go's fastest case, no hashing below 9
// keys); the site's cost does not depend on the object's size. A 4-key
// object built through write sites like an earlier one costs one 32-byte
// allocation.
//
// # Worked example
//
// Objects built as p1 = {x=1, y=2}, p2 = {x=3, y=4} and q = {y=5, x=6}
// make the shapes
//
//	s0 {}  --x-->  s2 {x}  --y-->  s3 {x, y}     p1, p2
//	       --y-->  s4 {y}  --x-->  s5 {y, x}     q
//
// A site reading .y over p1, p2, q learns s3.y@1 from p1 (a miss; the
// site is mono), hits on p2 (ReadHit: shape 3 = 3, slot 1 below p2's 2
// keys, key equal, load slot 1), and misses on q, learning s5.y@0 and going poly. Site.Entries prints
// "s3.y@1 s5.y@0", Stats says 0 hits (ReadHit counts nothing) and 2
// misses, and Plan gives two
// Guards: {Shape: 3, Slot: 1, Offset: 8} and {Shape: 5, Slot: 0, Offset:
// 0}. A recorder looking at q emits "guard u32[q+ShapeOffset] == 5; base
// := ptr[q+SlotsOffset]; load u64[base+0]". The package Example runs this.
package cache
