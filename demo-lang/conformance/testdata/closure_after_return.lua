local function make()
  local fns = {}
  for i = 1, 3 do
    local v = i * 100
    fns[i] = function(d) v = v + d return v end
  end
  return fns
end
local f = make()
print(f[1](1), f[1](1), f[2](5), f[3](0))
local function deep(n)
  if n == 0 then return function() return "bottom" end end
  local inner = deep(n - 1)
  return function() return n .. ">" .. inner() end
end
print(deep(4)())
