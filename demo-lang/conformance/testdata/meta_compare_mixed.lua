local mt = {__lt = function(a, b) return true end, __le = function() return false end}
local t = setmetatable({}, mt)
print(pcall(function() return t < 1 end))
print(pcall(function() return 1 < t end))
print(pcall(function() return t <= "x" end))
print(pcall(function() return t < setmetatable({}, mt) end))
print(pcall(function() return t < setmetatable({}, {__lt = function() return true end}) end))
