for i = 1, 10 do if i > 3 then break end io.write(i, " ") end print()
local i = 0
while true do i = i + 1 if i == 5 then break end end
print(i)
repeat i = i - 1 if i == 2 then break end until false
print(i)
for a = 1, 3 do
  for b = 1, 3 do
    if b > a then break end
    io.write(a, b, " ")
  end
end
print()
for k, v in ipairs({1, 2, 3}) do if v == 2 then break end print(k) end
