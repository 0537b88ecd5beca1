local sum = 0
local count = 0
while true do
  local x = io.read("*n")
  if x == nil then break end
  sum = sum + x
  count = count + 1
end
print(count, sum)
