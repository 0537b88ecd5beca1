package emit

// cacheType returns CTR_EL0, the cache type register: flushICache reads the
// data and instruction cache line sizes from it (icache_arm64.s).
func cacheType() uint64

// CacheLines returns the smallest data-cache and instruction-cache line
// sizes in bytes, as the instruction-cache flush after writing code uses
// them. It exists on arm64 only, where caches are not coherent.
func CacheLines() (dline, iline int) {
	ctr := cacheType()
	return 4 << (ctr >> 16 & 15), 4 << (ctr & 15)
}
