print(pcall(error, 42))
print(pcall(function() error(42) end))
print(pcall(function() error(true) end))
print(pcall(function() error(nil) end))
local t = {}
local ok, e = pcall(function() error(t) end)
print(ok, e == t)
print(pcall(function() error("with level 2", 2) end))
