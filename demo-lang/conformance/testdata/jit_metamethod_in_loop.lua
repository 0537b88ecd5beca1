local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({v = a.v + b.v}, V) end
V.__lt = function(a, b) return a.v < b.v end
local acc = setmetatable({v = 0}, V)
local one = setmetatable({v = 1}, V)
for i = 1, 1000 do acc = acc + one end
print(acc.v, one < acc)
local proxy = setmetatable({}, {__index = function(t, k) return k * 2 end})
local s = 0
for i = 1, 1000 do s = s + proxy[i] end
print(s)
local n = 0
for i = 1, 600 do
  if i == 300 then setmetatable(proxy, {__index = function(t, k) return -k end}) end
  n = n + proxy[i]
end
print(n)
