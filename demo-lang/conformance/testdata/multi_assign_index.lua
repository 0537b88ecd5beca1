local t = {1, 2, 3}
t[1], t[3] = t[3], t[1]
print(t[1], t[2], t[3])
local i = 3
local a = {}
i, a[i] = i + 1, 20
print(i, a[3], a[4])
local o = {}
o.x, o.y = 1, 2
print(o.x, o.y)
