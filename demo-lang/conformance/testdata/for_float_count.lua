local function count(a, b, s) local n = 0 for i = a, b, s do n = n + 1 end return n end
print(count(0.1, 1, 0.1), count(1, 0, -0.1), count(0, 1, 0.25), count(1, 1, 1), count(1, 0.5, 1))
print(count(1, 3, 0.5), count(-1, -3, -1), count(1e15, 1e15 + 3, 1), count(3, 1, 1))
local last
for i = 0, 0.95, 0.05 do last = i end
print(string.format("%.17g", last))
