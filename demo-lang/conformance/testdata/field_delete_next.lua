-- Field deletion (t.k = nil) then traversal: what pairs and next see must
-- not depend on where the interpreter last found a key. The output is
-- order-independent (sums and sorted lists), so lua5.1 can judge it.
local function keys(t)
  local ks = {}
  for k, v in pairs(t) do ks[#ks + 1] = tostring(k) .. "=" .. tostring(v) end
  table.sort(ks)
  return table.concat(ks, " ")
end
local t = {a = 1, b = 2, c = 3, d = 4, e = 5, 10, 20, 30}
for i = 1, 3 do local _ = t.a + t.b + t.c + t.d + t.e end
t.b = nil
t.d = nil
print(keys(t), #t)
-- delete every field while traversing (allowed in Lua), through a site
local n = 0
for k in pairs(t) do
  if type(k) == "string" then t[k] = nil; n = n + 1 end
end
print(n, keys(t), #t, t.a, t.e)
-- re-add in another order; reads at the same sites
t.e = 50; t.a = 10; t.z = 26
local s = 0
for i = 1, 3 do s = s + t.a + t.e + t.z end
print(s, keys(t))
-- next from a key that was deleted during the traversal
local u = {p = 1, q = 2, r = 3, s = 4}
local k, v = next(u)
local visited = 0
while k do
  u[k] = nil
  visited = visited + 1
  k, v = next(u, k)
end
print(visited, next(u))
-- # and the array part are unaffected by string fields
local arr = {1, 2, 3, x = 1, y = 2}
arr.x = nil
arr[4] = 4
arr.z = 3
print(#arr, arr[4], arr.z, arr.x)
