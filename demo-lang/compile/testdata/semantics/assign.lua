-- assignment order, hazards, swaps, globals, fields, methods
local a, b = 1, 2
a, b = b, a
print(a, b)
local t = {}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local u = {}
u, u.x = {}, 5
print(u.x)
g1, g2 = 1, 2
print(g1, g2)
local o = {v = 1}
function o:get() return self.v end
function o.static(x) return x * 2 end
o.nested = {deep = {}}
function o.nested.deep.f() return "deep" end
function o.nested.deep:m() return self == o.nested.deep end
print(o:get(), o.static(4), o.nested.deep.f(), o.nested.deep:m())
local s = "abc"
print(s:upper(), ("x"):rep(3), #s:rep(2))
local k = {}
k[1], k[2], k[3] = 1, 2
print(k[1], k[2], k[3])
local x, y, z = 1
print(x, y, z)
local n = {}
n["a b"] = 1; n[1.5] = 2; n[true] = 3; n[-1] = 4; n[0] = 5; n[255] = 6; n[256] = 7
print(n["a b"], n[1.5], n[true], n[-1], n[0], n[255], n[256])
local cnt = 0
local function idx() cnt = cnt + 1; return cnt end
local w = {}
w[idx()], w[idx()] = idx(), idx()
print(w[1], w[2], cnt)
local big = {}
for q = 1, 300 do big[q] = q end
print(#big, big[300])
local mm = {f = function(self, a) return a + 1 end}
print(mm:f(1), mm.f(mm, 2))
local up = 0
local function bump() up = up + 1 end
bump(); bump()
print(up)
local tt = {a = {b = {c = 42}}}
print(tt.a.b.c, tt["a"]["b"].c)
local aa, bb, cc = (function() return 1, 2, 3 end)()
print(aa, bb, cc)
local e = {}
e.x, e.y = 1
print(e.x, e.y)
