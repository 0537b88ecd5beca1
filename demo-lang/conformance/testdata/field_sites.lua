-- String-keyed field reads, writes and method calls at the same bytecode
-- sites over tables of many layouts: the interpreter caches, per
-- instruction, where it last found the key, and must be right whatever
-- table comes next (same keys in another order, more keys, a resized or
-- rehashed hash part, a key deleted and added again, an __index chain).
local function layout(i)
  -- i selects which keys a table gets and in what order, so the field x
  -- lands in different hash nodes from table to table.
  local t = {}
  local n = i % 7
  for j = 1, n do t["pad" .. (i * 13 + j) % 23] = j end
  if i % 2 == 0 then t.x = i; t.y = -i else t.y = -i; t.x = i end
  if i % 3 == 0 then t.z = i * 2 end
  return t
end

local objs = {}
for i = 1, 40 do objs[i] = layout(i) end

-- one read site over 1, 2, 5, then 40 layouts (mono -> poly -> mega)
local function sumx(n)
  local s = 0
  for r = 1, 3 do
    for i = 1, n do s = s + objs[i].x end
  end
  return s
end
print("sumx", sumx(1), sumx(2), sumx(5), sumx(40))

-- one write site and one read site of a key some tables lack
local function bump(n)
  local s = 0
  for i = 1, n do
    local o = objs[i]
    o.x = o.x + 1
    local z = o.z
    if z then s = s + z else s = s - 1 end
  end
  return s
end
print("bump", bump(1), bump(4), bump(40), sumx(40))

-- the same site while the table grows past several resizes
local g = {}
local seen = 0
for i = 1, 100 do
  g["k" .. i] = i
  g.x = i
  seen = seen + g.x + g["k" .. math.floor((i + 1) / 2)]
end
print("grow", seen, g.x, g.k100)

-- delete then re-add through the same sites; a dead key is absent
local d = {a = 1, b = 2, c = 3}
local trace = {}
for i = 1, 6 do
  if i % 2 == 0 then d.b = nil else d.b = i end
  trace[#trace + 1] = tostring(d.b)
  d.c = d.c + 1
end
print("del", table.concat(trace, ","), d.a, d.c)

-- method calls: receivers of three classes and two layouts each, with an
-- inherited method and an own method overriding it on some receivers
local Base = {}
Base.__index = Base
function Base:name() return "base" end
function Base:val() return self.v end
local A = setmetatable({}, {__index = Base}); A.__index = A
function A:name() return "A" end
local B = setmetatable({}, {__index = Base}); B.__index = B
local C = setmetatable({}, {__index = B}); C.__index = C
function C:val() return -self.v end
local recv = {}
for i = 1, 30 do
  local cls = (i % 3 == 0 and A) or (i % 3 == 1 and B) or C
  local o
  if i % 2 == 0 then o = {v = i, w = 0} else o = {w = 0, v = i, u = 1} end
  if i % 10 == 0 then o.name = function() return "own" .. i end end
  recv[i] = setmetatable(o, cls)
end
local names, total = {}, 0
for r = 1, 2 do
  for i = 1, 30 do
    local o = recv[i]
    if r == 1 then names[#names + 1] = o:name() end
    total = total + o:val()
  end
end
print("call", table.concat(names, " "))
print("calltotal", total)
-- a method added to a class later is found by the same site
function B:name() return "B" end
Base.val = function(self) return 0 end
local later = {}
for i = 1, 6 do later[#later + 1] = recv[i]:name() .. recv[i]:val() end
print("later", table.concat(later, " "))
-- __index changed from a table to a function, then back
local P = {}
local proxy = setmetatable({}, P)
local got = {}
for i = 1, 4 do
  if i == 2 then P.__index = function(t, k) return k .. "!" end
  elseif i == 3 then P.__index = {hello = "tab"}
  elseif i == 4 then P.__index = nil end
  got[#got + 1] = tostring(proxy.hello)
end
print("index", table.concat(got, " "))

-- globals are read and written through the same kind of cache
gcount = 0
for i = 1, 50 do
  gcount = gcount + 1
  if i == 25 then _G["gfill" .. i] = i; for j = 1, 40 do _G["gz" .. j] = j end end
end
print("global", gcount, gfill25, gz40)
