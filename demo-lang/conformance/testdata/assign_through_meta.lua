local log = {}
local mt = {__newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end}
local root = {child = setmetatable({}, mt)}
root.child.a = 1
root.child.b = {}
root.child.b.c = 2
root.child.a = 3
print(table.concat(log, ","), root.child.a, root.child.b.c)
local a = {b = {c = {}}}
a.b.c.d, a.b.e = "x", "y"
print(a.b.c.d, a.b.e)
