-- runtime errors in multi-line expressions report lua5.1's line
print(pcall(function()
  g(
  1,
  2
  )
end))
print(pcall(function()
  local t = {}
  t.x.
  y = 1
end))
print(pcall(function()
  local a = {}
  local b = a
  +
  1
end))
print(pcall(function()
  local a = nil
  local b = a[
  1
  ]
end))
print(pcall(function()
  local t = {} t:m(
  )
end))
print(pcall(function()
  local a = nil
  local b =
  a
  <
  1
end))
local function f() return nil end
local ok, e = pcall(function()
  local x = 1 +
    f()
  return x
end)
print(e)
ok, e = pcall(function()
  local y = f(
    1,
    2
  ).z
end)
print(e)
ok, e = pcall(function()
  local t = {}
  t.a
   .b
   .c = 1
end)
print(e)
ok, e = pcall(function()
  local s = "a" ..
   {} ..
   "b"
end)
print(e)
ok, e = pcall(function()
  g(
  )
end)
print(e)
