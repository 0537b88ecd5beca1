local function eq(a, b) return a.k == b.k end
local mt1 = {__eq = eq}
local mt2 = {__eq = eq}
local a = setmetatable({k = 1}, mt1)
local b = setmetatable({k = 1}, mt2)
local c = setmetatable({k = 1}, {__eq = function(x, y) return x.k == y.k end})
print(a == b, b == a, a == c, c == a, a ~= b)
local plain = {k = 1}
print(a == plain, plain == a)
