-- upvalues, fresh locals per iteration, break closing, nested closures
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local acc = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j * 10
  acc[j] = function() k = k + 1; return k end
end
print(acc[1](), acc[1](), acc[2](), acc[3]())
local gs = {}
for _, v in ipairs({"a", "b", "c"}) do
  gs[#gs + 1] = function() return v end
  if v == "b" then break end
end
print(#gs, gs[1](), gs[2]())
local hs = {}
local m = 0
repeat
  m = m + 1
  local mm = m
  hs[m] = function() return mm end
until mm >= 3
print(hs[1](), hs[2](), hs[3]())
local function counter()
  local c = 0
  return function() c = c + 1; return c end, function() return c end
end
local inc, get = counter()
inc(); inc()
print(get())
local function outer()
  local x = 1
  local function mid()
    local function inner() x = x + 1; return x end
    return inner
  end
  return mid(), function() return x end
end
local i1, g1 = outer()
i1(); i1()
print(g1())
local t = {}
for i = 1, 2 do
  local a = i
  do
    local b = a * 2
    t[i] = function() return a + b end
  end
end
print(t[1](), t[2]())
local br = {}
for i = 1, 10 do
  local z = i
  br[i] = function() return z end
  if i == 2 then break end
end
print(br[1](), br[2]())
local w = {}
local idx = 0
while true do
  idx = idx + 1
  local q = idx
  w[idx] = function() q = q + 100; return q end
  if idx >= 2 then break end
end
print(w[1](), w[2](), w[1]())
local shared
do
  local s = 5
  shared = function(d) s = s + d; return s end
end
print(shared(1), shared(2))
local function rec(n) if n == 0 then return 0 end return n + rec(n - 1) end
print(rec(10))
local up = 1
local function setup() up = "s"; up = 2.5; up = nil; up = true; up = {} up = up end
setup()
print(type(up))
