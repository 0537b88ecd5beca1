-- constructor store order and the 50-item flush of Lua 5.1
local t = {"a", [1] = "b"} print(t[1])
local u = {[1] = "b", "a"} print(u[1])
local big = {} for i = 1, 60 do big[i] = i end
local src = "return {" for i = 1, 50 do src = src .. i .. ", " end
local v = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50, [1] = "x", [51] = "y", 51, [52] = "z"}
print(v[1], v[50], v[51], v[52], #v)
local w = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49, [1] = "x", 50}
print(w[1], w[49], w[50], #w)
local function three() return 7, 8, 9 end
local m = {1, [2] = "k", three()}
print(m[1], m[2], m[3], m[4], #m)
local n = {[3] = "k", 1, 2, three(), x = 1}
print(n[1], n[2], n[3], n[4], n.x)
local o = {three(), three(), [1] = 0}
print(o[1], o[2], o[3], o[4])
