for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 1, 10, 4 do io.write(i, " ") end print()
for i = 10, 1, -3 do io.write(i, " ") end print()
for i = 1, 3 do local j = i * 2; i = j; io.write(i, " ") end print()
local n = 3
for i = 1, n do n = 10 end
print(n)
for i = -2, 2 do io.write(i, ",") end print()
