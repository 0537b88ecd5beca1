local mt = {}
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local function new(v) return setmetatable({v = v}, mt) end
local x, y = new(1), new(2)
print(x < y, y < x, x <= y, y <= x, x > y, x >= y, x <= new(1))
local only_lt = {__lt = function(a, b) return a.v < b.v end}
local p = setmetatable({v = 1}, only_lt)
local q = setmetatable({v = 2}, only_lt)
print(p <= q, q <= p, p >= q)
local items = {new(3), new(1), new(2)}
table.sort(items, function(a, b) return a < b end)
print(items[1].v, items[2].v, items[3].v)
