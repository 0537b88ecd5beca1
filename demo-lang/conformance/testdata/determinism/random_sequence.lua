-- math.random is a fixed generator: without randomseed, and after
-- randomseed(n), a program prints the same numbers on every run.
local a = {}
for i = 1, 10 do a[#a + 1] = math.random(1000) end
print(table.concat(a, " "))
math.randomseed(12345)
a = {}
for i = 1, 5 do a[#a + 1] = string.format("%.17g", math.random()) end
print(table.concat(a, " "))
