local a, b = 0, 10
while a < b and not (a == 5) do a = a + 1 end
print(a)
local t = {3, 1, 4, 1, 5, 9, 2, 6}
local i = 1
while t[i] and t[i] ~= 9 do i = i + 1 end
print(i, t[i])
local n, steps = 100, 0
while n > 1 do n = n % 2 == 0 and n / 2 or n - 1; steps = steps + 1 end
print(steps)
