print(1 < 2, 2 < 1, 1 <= 1, 1 >= 2, 1 > 0, 1 == 1.0, 1 ~= 2)
print(-1 < 0, 0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75, 1e15 < 1e16)
print(math.huge > 1e308, -math.huge < -1e308)
local a, b = 3, 3
print(a == b, a ~= b, a <= b, a >= b, a < b, a > b)
