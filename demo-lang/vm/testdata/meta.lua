local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__sub = function(a, b) return setmetatable({x = a.x - b.x}, V) end
V.__mul = function(a, b)
  if type(a) == "number" then return setmetatable({x = a * b.x}, V) end
  return setmetatable({x = a.x * b}, V)
end
V.__unm = function(a) return setmetatable({x = -a.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__concat = function(a, b)
  local as = type(a) == "table" and "V" .. a.x or a
  local bs = type(b) == "table" and "V" .. b.x or b
  return as .. bs
end
V.__tostring = function(a) return "V(" .. a.x .. ")" end
V.__len = function() return 99 end
function V.new(x) return setmetatable({x = x}, V) end
function V:double() return V.new(self.x * 2) end
local a, b = V.new(1), V.new(2)
print((a + b).x, (a - b).x, (a * 3).x, (2 * b).x, (-a).x)
print(a == b, a == V.new(1), a ~= V.new(1), a < b, a <= b, a > b, b >= a)
print(a .. b, a .. "s", "s" .. b, 1 .. a)
print(tostring(a), a:double().x, #a)
local log = {}
local proxy = setmetatable({}, {
  __index = function(t, k) log[#log + 1] = "get " .. k; return k .. "!" end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. k; rawset(t, k, v) end,
})
print(proxy.foo, proxy.bar)
proxy.foo = 1
print(proxy.foo)
proxy.foo = 2
print(table.concat(log, ","))
local base = {greet = function() return "hi" end}
local mid = setmetatable({}, {__index = base})
local leaf = setmetatable({}, {__index = mid})
print(leaf.greet(), leaf.missing)
local store = {}
local w = setmetatable({}, {__newindex = store})
w.a = 5
print(rawget(w, "a"), store.a)
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), pcall(setmetatable, prot, {}))
print(getmetatable("abc").__index == string, ("x"):rep(3), ("%d"):format(7))
local s = "hello"
print(s:upper(), s:len(), s:sub(2, 3), #s)
local cmt = {__lt = function(a, b) return a.v < b.v end}
local p, q = setmetatable({v = 1}, cmt), setmetatable({v = 2}, cmt)
print(p < q, p <= q, q <= p)
local e1 = setmetatable({}, {__eq = function() return true end})
local e2 = setmetatable({}, {__eq = function() return true end})
print(e1 == e2, e1 == e1)
local idx = setmetatable({}, {__index = function(t, k) return k * 2 end})
print(idx[21], idx[1.5])
local cnt = setmetatable({}, {__index = function(t, k) return 0 end})
cnt.x = cnt.x + 1
print(cnt.x)
print(rawequal(a, a), rawget(a, "x"), rawget(a, "double"))
local mm = setmetatable({}, {__add = function(a, b) return "added" end})
print(mm + 1, 1 + mm, "x" .. tostring(nil))
