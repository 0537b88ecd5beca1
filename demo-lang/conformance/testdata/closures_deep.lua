local function level(n, acc)
  if n == 0 then return function() return acc end end
  local here = n
  return level(n - 1, function() return here + acc() end)
end
print(level(10, function() return 0 end)()())
local f = function(a) return function(b) return function(c) return function(d) return a .. b .. c .. d end end end end
print(f("w")("x")("y")("z"))
