local t = {}
t.__index = t
setmetatable(t, t)
print(pcall(function() return t.missing end))
local u = {}
u.__newindex = u
setmetatable(u, u)
print(pcall(function() u.x = 1 end))
local base = {v = "found"}
local chain = base
for i = 1, 50 do chain = setmetatable({}, {__index = chain}) end
print(chain.v, chain.nothing)
