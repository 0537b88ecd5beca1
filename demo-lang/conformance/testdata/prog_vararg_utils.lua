local function map(f, ...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = f((select(i, ...))) end
  return unpack(out, 1, n)
end
print(map(function(x) return x * 2 end, 1, 2, 3))
local function curry(f, a) return function(...) return f(a, ...) end end
print(curry(math.max, 5)(1, 9, 3), curry(string.rep, "ab")(3))
local function compose(f, g) return function(...) return f(g(...)) end end
print(compose(tostring, math.floor)(3.7) .. "!")
