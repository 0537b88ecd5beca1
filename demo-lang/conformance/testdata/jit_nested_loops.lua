local total = 0
for i = 1, 100 do
  for j = 1, 100 do
    if (i + j) % 2 == 0 then total = total + i * j else total = total - j end
  end
end
print(total)
local count = 0
local i = 0
while i < 200 do
  i = i + 1
  local j = 0
  repeat j = j + 1; count = count + 1 until j >= i % 10
end
print(count)
