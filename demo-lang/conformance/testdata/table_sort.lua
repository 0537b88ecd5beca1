local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
local s = {"banana", "apple", "Cherry", "date"}
table.sort(s)
print(table.concat(s, " "))
local one = {1}
table.sort(one)
local empty = {}
table.sort(empty)
print(#one, #empty)
local f = {3.5, -1, 2.25, 0, -7.5}
table.sort(f)
print(table.concat(f, " "))
local big = {}
for i = 1, 200 do big[i] = (i * 7919) % 200 end
table.sort(big)
local ok = true
for i = 2, 200 do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[200])
