local c = 0
for x = 0, 1, 0.1 do c = c + 1 end
print(c)
for x = 1, 2, 0.25 do io.write(x, " ") end print()
for x = 0.5, -0.5, -0.5 do io.write(x, " ") end print()
for i = "1", "3" do io.write(i, " ") end print()
for i = 1, 3.5 do io.write(i, " ") end print()
for i = 2^52 - 2, 2^52 do io.write(string.format("%.0f", i), " ") end print()
