local a = {x = "a.x"}
local b = setmetatable({y = "b.y"}, {__index = a})
local c = setmetatable({z = "c.z"}, {__index = b})
local d = setmetatable({}, {__index = function(t, k) return c[k] or ("none:" .. k) end})
print(d.x, d.y, d.z, d.w)
local counter = 0
local lazy = setmetatable({}, {__index = function(t, k) counter = counter + 1 rawset(t, k, k * k) return k * k end})
print(lazy[4], lazy[4], lazy[5], counter)
