local function msg(f) local ok, e = pcall(f) return e end
local t = {flag = true, sub = {}}
g_num = 3
print(msg(function() return string.nonexist() end))
print(msg(function() return t.flag .. "x" end))
print(msg(function() return t.sub.inner.x end))
print(msg(function() return ({}) + 1 end))
print(msg(function() local a = {} return a() end))
print(msg(function() return g_num.x end))
print(msg(function() return g_num() end))
print(msg(function() return #t.flag end))
print(msg(function() return t.sub < 1 end))
print(msg(function() return -t.flag end))
print(msg(function() t.sub.inner.x = 1 end))
print(msg(function() local s = "str" return s.x.y end))
print(msg(function() return math.nothing(1) end))
print(msg(function() return t:flag() end))
print(msg(function() return (1)() end))
