print(string.byte("A"), string.byte("abc", 2), string.byte("abc", -1), string.byte("abc", 1, 3))
print(string.byte("abc", 10), select("#", string.byte("")), string.byte("abc", 0))
print(string.char(72, 105), string.char(), #string.char(0, 1, 2), string.char(255):byte())
print(pcall(string.char, 256))
print(pcall(string.char, "x"))
local t = {}
for i = 1, 5 do t[i] = string.char(96 + i) end
print(table.concat(t))
