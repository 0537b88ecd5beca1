local function pair()
  local v = 0
  local function get() return v end
  local function set(n) v = n end
  return get, set
end
local get, set = pair()
print(get())
set(42)
print(get())
local get2, set2 = pair()
set2(7)
print(get(), get2())
local x = 1
local function inc() x = x + 1 end
inc() inc()
print(x)
