local t = {}
t[1] = "one"; t["01"] = "str01"; t["1"] = "str1"; t[1.5] = "onehalf"; t[-1] = "neg"; t[0] = "zero"
print(t[1], t["01"], t["1"], t[1.5], t[-1], t[0], t[3 - 2])
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n, #t)
local u = {[1] = "a", [2.0] = "b"}
print(u[1], u[2], #u)
