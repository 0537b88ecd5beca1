local _ = 1
local _x, x_, X = 2, 3, 4
local And, OR, NOT = "and", "or", "not"
print(_, _x, x_, X, And, OR, NOT)
local a1b2 = 5; local __ = 6
print(a1b2, __)
local t = {["end"] = 1, ["while"] = 2}
print(t["end"], t["while"])
