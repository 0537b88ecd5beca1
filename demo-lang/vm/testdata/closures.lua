local function counter()
  local c = 0
  return function() c = c + 1; return c end, function() return c end
end
local inc, get = counter()
inc(); inc()
print(get(), inc(), get())
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local acc = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j * 10
  acc[j] = function() return k end
end
print(acc[1](), acc[2](), acc[3]())
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20))
local function tail(n, a) if n == 0 then return a end return tail(n - 1, a + 1) end
print(tail(100000, 0))
local function multi() return 1, 2, 3 end
print(multi())
print((multi()))
print(multi(), "x")
print(({multi(), multi()})[4])
local function pass(...) return ... end
print(pass(1, nil, 3))
print(select("#", pass(nil, nil)))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3, 4))
local function vf(a, b, ...)
  local t = {...}
  return a, b, #t, ...
end
print(vf(1))
print(vf(1, 2, 3, 4))
local obj = {v = 5}
function obj:get(d) return self.v + (d or 0) end
function obj.static(x) return x * 2 end
print(obj:get(), obj:get(10), obj.static(4))
local x = 1
local function outer()
  local y = 2
  return function()
    local z = 3
    return function() x = x + 1; return x + y + z end
  end
end
print(outer()()(), x)
do
  local shared = 0
  local function a() shared = shared + 1 end
  local function b() return shared end
  a(); a()
  print(b())
end
local t = setmetatable({}, {__call = function(self, a, b) return a + b end})
print(t(3, 4))
print(pcall(t, 1, 2))
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(deep(10000))
print(string.format("%d", (function(...) return select('#', ...) end)(1, 2, 3)))
