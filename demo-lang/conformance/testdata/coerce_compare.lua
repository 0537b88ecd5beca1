print(1 == "1", "1" == 1, 0 == "0", "abc" == "abc")
print("10" < "9", "100" < "20", "2" < "10")
local t = {}
t[1] = "number key"
t["1"] = "string key"
print(t[1], t["1"], t[1.0])
