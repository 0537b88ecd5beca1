local x = 1
do
  local x = 2
  print(x)
  do local x = x + 1 print(x) end
  print(x)
end
print(x)
local x = x + 10
print(x)
local function f() return x end
x = 100
print(f())
local a, a = 1, 2
print(a)
