local mt = {}
local t = setmetatable({}, mt)
print(getmetatable(t) == mt, getmetatable({}), getmetatable(1))
print(setmetatable(t, nil) == t, getmetatable(t))
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot))
print(pcall(setmetatable, prot, {}))
print(getmetatable("abc").__index == string, getmetatable("abc").__index.upper("q"))
