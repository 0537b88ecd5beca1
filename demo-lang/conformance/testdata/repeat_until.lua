local i = 0
repeat i = i + 1 until i >= 5
print(i)
local n = 0
repeat
  local done = n >= 3
  n = n + 1
until done
print(n)
repeat print("once") until true
