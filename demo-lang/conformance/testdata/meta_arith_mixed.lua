local mt = {}
mt.__add = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return "add(" .. tostring(av) .. "," .. tostring(bv) .. ")"
end
local o = setmetatable({v = 1}, mt)
print(o + 1, 1 + o, o + o, "2" + o, o + "x")
local n = setmetatable({}, {__sub = function() return "sub" end, __div = function() return "div" end})
print(n - 1, 1 - n, n / 2, 2 / n)
print("10" + 5, "3" * "3")
