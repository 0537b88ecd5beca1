print(1 .. "", 1e15 .. "", 0.1 .. "", 123456789012 .. "", (1/3) .. "")
print("x" .. 1 .. 2, 1 .. 2 .. 3, "n=" .. 42)
local t = {}
for i = 1, 5 do t[#t + 1] = i * 1.5 end
print(table.concat(t, ","))
print(#(100 .. ""), #tostring(1e100))
