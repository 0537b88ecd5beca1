-- multiple results, varargs, select, tail calls, table constructors
local function three() return 1, 2, 3 end
local function none() end
print(three())
print(three(), 10)
print((three()))
print(({three()})[3], #{three(), three()}, #{three(), (three())})
local a, b, c, d = three()
print(a, b, c, d)
local e, f = none()
print(e, f)
local x, y = 1
print(x, y)
local p, q = 1, 2, three()
print(p, q)
local function va(...)
  local n = select("#", ...)
  local a, b = ...
  return n, a, b, ...
end
print(va())
print(va(nil, nil))
print(va(1, 2, 3))
local function pass(...) return ... end
print(pass(1, nil, 3))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
local function tail(n) if n == 0 then return "done" end return tail(n - 1) end
print(tail(100000))
local function tailm(...) return select("#", ...), ... end
local function callm(...) return tailm(1, ...) end
print(callm(2, 3))
local t = {1, 2, 3, n = "x", [10] = 10, three()}
print(#t, t[4], t[5], t[6], t.n, t[10])
local u = {three(), three(), k = 1}
print(#u)
local function vt(...) return {...} end
print(#vt(1, 2, 3, nil), #vt())
local v = {va(7, 8)}
print(v[1], v[2], v[3], v[4], v[5])
print(string.format("%d %d %d", three()))
local s = {n = select("#", three())}
print(s.n)
local m = {}
m.a, m.b = three()
print(m.a, m.b)
local r1, r2, r3 = (function(...) return ... end)(9, 8)
print(r1, r2, r3)
print(math.max(three()), math.max(5, three()))
local function ret2() return 1, 2 end
local z = {ret2(), ret2()}
print(z[1], z[2], z[3], z[4])
print(#{...})
