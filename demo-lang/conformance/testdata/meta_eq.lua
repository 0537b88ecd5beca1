local eqcalls = 0
local mt = {__eq = function(a, b) eqcalls = eqcalls + 1 return a.id == b.id end}
local a = setmetatable({id = 1}, mt)
local b = setmetatable({id = 1}, mt)
local c = setmetatable({id = 2}, mt)
print(a == b, a == c, a ~= c, eqcalls)
print(a == a, eqcalls)
print(rawequal(a, b), rawequal(a, a))
local other = setmetatable({id = 1}, {__eq = function() return true end})
print(a == other, a == 1, a == "x")
