local t = {}
local n = 0
for i = 1, 100 do t[i] = i * i end
for k, v in pairs(t) do n = n + 1 end
print(n, #t, t[50])
for i = 1, 100, 2 do t[i] = nil end
n = 0
local sum = 0
for k, v in pairs(t) do n = n + 1 sum = sum + k end
print(n, sum)
local s = {}
s["a"] = 1; s["b"] = 2; s["c"] = 3
s["b"] = nil
local keys = {}
for k in pairs(s) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys))
