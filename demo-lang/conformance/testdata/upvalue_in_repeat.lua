local fns = {}
local i = 0
repeat
  i = i + 1
  local j = i * 2
  fns[i] = function() return j end
until j >= 6
print(i, fns[1](), fns[2](), fns[3]())
local function mk()
  local n = 0
  return function() n = n + 1 return n end, function() return n end
end
local inc, get = mk()
repeat inc() until get() >= 4
print(get())
