local log = {}
local function f(name, v) log[#log + 1] = name return v end
local a, b, c = f("a", 1), f("b", 2), f("c", 3)
print(a, b, c, table.concat(log, ","))
local t = {}
t[f("k1", 1)], t[f("k2", 2)] = f("v1", "x"), f("v2", "y")
print(t[1], t[2])
local x, y = 1, 2
x, y = y, x
print(x, y)
local p = {1, 2, 3}
local i = 1
i, p[i] = i + 1, "changed"
print(i, p[1], p[2])
