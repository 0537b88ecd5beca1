print(7 / 2, math.floor(7 / 2), 2^31, 2^32, 2^31 * 2, -2^31)
print(2^53 - 1, 2^53, 1e15 + 1, 123456789 * 1000)
print(math.floor(1e100) == 1e100, 0.1 * 3, 3 * 0.1 == 0.3)
local s = 0
for i = 1, 1000000 do s = s + i end
print(s)
local p = 1
for i = 1, 30 do p = p * 3 end
print(p)
