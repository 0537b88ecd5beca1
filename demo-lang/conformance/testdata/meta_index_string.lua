local mt = getmetatable("")
print(type(mt), mt.__index == string)
local s = "x"
print(type(s.len), s.len == string.len)
string.twice = function(str) return str .. str end
print(("ab"):twice())
