local t = {}
t.x = 1
print(t.x, t["x"])
t[1] = "int"
print(t[1.0], t[2 / 2])
t["1"] = "str"
print(t[1], t["1"])
t.x = nil
print(t.x, next({}))
t[1.5] = "float"
print(t[1.5], t[3 / 2])
t[true] = "yes"; t[false] = "no"
print(t[true], t[false])
local k = {}
t[k] = "table key"
print(t[k], t[{}])
t[2^53] = "big"
print(t[2^53])
