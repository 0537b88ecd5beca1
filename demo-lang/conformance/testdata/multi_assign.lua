local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local x, y = 1, 2, 3
print(x, y)
local function two() return 10, 20 end
local p, q, r = two()
print(p, q, r)
p, q, r = 0, two()
print(p, q, r)
p, q, r = two(), 0
print(p, q, r)
g1, g2 = 5
print(g1, g2)
