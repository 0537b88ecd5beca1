local t = {1, 2, 3; 4, x = "x", ["y"] = "y", [10] = 10, "five",}
print(t[1], t[4], t[5], t.x, t.y, t[10], #t)
local function f() return "a", "b" end
local u = {f()}
local v = {f(), f()}
local w = {f(), nil}
local z = {(f())}
print(#u, #v, v[3], #w, #z)
local n = {[1] = "one", [2] = "two", "first"}
print(n[1], n[2])
local nested = {{1, 2}, {3, {4, 5}}, k = {m = "deep"}}
print(nested[2][2][1], nested.k.m, #nested)
local e = {}
print(next(e), #e)
local expr = {[1 + 1] = "two", ["a" .. "b"] = "ab"}
print(expr[2], expr.ab)
