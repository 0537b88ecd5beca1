local mt = {__concat = function(a, b)
  local av = type(a) == "table" and "T" or tostring(a)
  local bv = type(b) == "table" and "T" or tostring(b)
  return av .. bv
end}
local t = setmetatable({}, mt)
print(t .. "x", "x" .. t, t .. t, 1 .. t, t .. 2)
print("a" .. "b" .. t)
