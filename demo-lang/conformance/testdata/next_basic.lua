print(next({}))
local k, v = next({42})
print(k, v)
local t = {x = 1}
print(next(t))
print(next(t, "x"))
local count = 0
local key = nil
local big = {1, 2, 3, a = 4, b = 5}
repeat
  key = next(big, key)
  if key ~= nil then count = count + 1 end
until key == nil
print(count)
