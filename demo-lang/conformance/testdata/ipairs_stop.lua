local t = {1, 2, nil, 4}
local c = 0
for i, v in ipairs(t) do c = c + 1 end
print(c)
for i, v in ipairs({}) do print("never") end
local u = {[1] = "a", [2] = "b", [4] = "d"}
for i, v in ipairs(u) do io.write(i, v, " ") end print()
local f, s, i = ipairs({})
print(type(f), type(s), i)
