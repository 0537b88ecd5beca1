local counter = 0
local function bump(n) counter = counter + n return counter end
local acc = 0
for i = 1, 2000 do acc = acc + bump(i % 3) end
print(counter, acc)
local fs = {}
for i = 1, 100 do
  local v = i
  fs[i] = function(d) v = v + d return v end
end
local s = 0
for r = 1, 20 do
  for i = 1, 100 do s = s + fs[i](1) end
end
print(s)
