local t = {}
for i = 1, 10 do t["k" .. i] = i end
for k, v in pairs(t) do t[k] = v * 2 end
local sum = 0
for k, v in pairs(t) do sum = sum + v end
print(sum)
for k in pairs(t) do t[k] = nil end
print(next(t))
