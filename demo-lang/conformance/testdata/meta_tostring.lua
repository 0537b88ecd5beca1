local t = setmetatable({}, {__tostring = function(self) return "custom!" end})
print(t, tostring(t))
local s = tostring(setmetatable({}, {__tostring = function() return "x" .. 1 end}))
print(s, type(s))
local plain = {}
print(tostring(plain):sub(1, 7), type(tostring(print)))
