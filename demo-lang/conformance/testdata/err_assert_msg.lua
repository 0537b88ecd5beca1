assert(1 == 1)
assert(false, "custom failure")
