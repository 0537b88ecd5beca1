local a, b, c = "a", "b", "c"
print(a .. b .. c, a .. (b .. c), (a .. b) .. c)
local s = ""
for i = 1, 10 do s = s .. i end
print(s, #s)
print("x" .. "y" == "xy", "1" .. "2" + 0)
