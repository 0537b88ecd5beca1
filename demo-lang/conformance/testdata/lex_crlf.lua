local s = [[a
b]]
print(#s, s:byte(2))
local t = "x"

print(t)
local y = nil
print(y.field)
