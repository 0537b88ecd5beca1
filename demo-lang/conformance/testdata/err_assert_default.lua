local v = nil
assert(v)
