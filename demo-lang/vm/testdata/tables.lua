local t = {10, 20, 30, x = 1, ["y z"] = 2, [100] = 3}
print(#t, t[1], t.x, t["y z"], t[100], t[4])
t[#t + 1] = 40
print(#t, t[4])
table.insert(t, 50)
table.insert(t, 1, 5)
print(#t, table.concat(t, ","))
print(table.remove(t), table.remove(t, 1), #t, table.concat(t, " "))
print(table.remove({}), #t)
local s = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(s)
print(table.concat(s, " "))
table.sort(s, function(a, b) return a > b end)
print(table.concat(s, " "))
local words = {"pear", "apple", "fig", "banana", "kiwi"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b end)
print(words[1], words[5])
local sum = 0
for i, v in ipairs({1, 2, 3, nil, 5}) do sum = sum + i * v end
print(sum)
local cnt, ksum = 0, 0
for k, v in pairs({a = 1, b = 2, c = 3, 4, 5}) do cnt = cnt + 1; ksum = ksum + v end
print(cnt, ksum)
print(next({}), next({7}))
local u = {}
for i = 1, 100 do u[i] = i end
for i = 1, 100, 2 do u[i] = nil end
local c2 = 0
for k in pairs(u) do c2 = c2 + 1 end
print(c2)
local m = {{1, 2}, {3, 4}}
print(m[2][1], #m, #m[1])
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 3))
print(table.concat({1, 2.5, "x"}, "-", 2, 3))
print(table.concat({}, "x"))
local big = {}
for i = 1, 1000 do big[i] = i * i end
print(#big, big[1000], big[500])
local h = {}
for i = 1, 200 do h["k" .. i] = i end
local hs = 0
for k, v in pairs(h) do hs = hs + v end
print(hs)
for k in pairs(h) do h[k] = nil end
print(next(h))
print(rawget({5}, 1), rawequal(t, t), rawequal(t, {}), rawset({}, "a", 1).a)
local arr = {n = 0}
arr[1.0] = "one"
print(arr[1], #arr)
arr[-0.0] = "zero"
print(arr[0])
print(#{1, 2, nil, 4})
print(#{nil, nil, 3})
local function va(...) return select("#", ...), ... end
print(va(1, nil, 3, nil))
local tt = {va(1, 2)}
print(#tt)
print(({...})[1])
