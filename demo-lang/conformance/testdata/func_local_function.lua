local function rec(n) if n == 0 then return "base" end return rec(n - 1) end
print(rec(3))
local g = function(n) return n end
print(g(5))
function globalf(x) return x * 2 end
print(globalf(21))
local t = {}
function t.f(x) return x + 1 end
function t.sub() return "sub" end
print(t.f(1), t.sub())
local a = {b = {}}
function a.b.c() return "nested" end
print(a.b.c())
