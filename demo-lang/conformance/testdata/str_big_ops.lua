local s = string.rep("abc", 10000)
print(#s, s:sub(-3), select(2, s:gsub("b", "")), #s:upper())
local parts = {}
for i = 1, 1000 do parts[i] = tostring(i) end
local joined = table.concat(parts, ",")
print(#joined, joined:sub(1, 20), select(2, joined:gsub(",", ",")))
local acc = ""
for i = 1, 300 do acc = acc .. string.char(65 + i % 26) end
print(#acc, acc:sub(1, 30))
print(s:find("cab", 29990, true), s:find("abcd"))
