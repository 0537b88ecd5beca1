local x = 1
for i = 1, 1100 do x = x * 2 end
print(x, -x, x - x)
local y = 1
for i = 1, 400 do y = y / 10 end
print(y, y == 0)
local z = 2^52
for i = 1, 10 do z = z + 0.5 end
print(string.format("%.1f", z))
local neg = 0
for i = 1, 100 do neg = -neg * 1 end
print(1 / neg)
local m = 0
for i = -300, 300 do m = m + (i % 7) + math.floor(i / 7) end
print(m)
