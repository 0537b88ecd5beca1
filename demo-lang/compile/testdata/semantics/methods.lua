-- method calls with varargs and multiple results, string methods, nested fields
local o = {m = function(self, ...) return select('#', ...), self == o end}
local function f(...) return o:m(...) end
print(f(1, 2, 3))
local function g(...) local t = {o:m(...)} return #t, t[1] end
print(g(nil, nil))
print(o:m(f(1)))
local s = ("x"):rep(3, nil)
print(s, ("%d"):format(7), #("abc"):upper())
local a = {b = {c = {d = function(self, x) return x end}}}
print(a.b.c:d(5), a["b"].c:d(6))
