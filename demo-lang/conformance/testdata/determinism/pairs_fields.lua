-- The order of pairs over tables whose string fields were written,
-- deleted and re-added through cached field sites, and over objects built
-- alike: printed so TestDeterminism can compare two runs.
local function order(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
  return table.concat(out, " ")
end
local objs = {}
for i = 1, 12 do
  local o = {}
  if i % 2 == 0 then o.x = i; o.y = i; o.name = "e" else o.name = "o"; o.y = i; o.x = i end
  if i % 3 == 0 then o.extra = true end
  objs[i] = o
end
for i = 1, 12 do
  local o = objs[i]
  o.x = o.x + o.y
  if i % 4 == 0 then o.y = nil end
  if i % 5 == 0 then o.y = -i; o.late = i end
end
for i = 1, 12 do print(i, order(objs[i])) end
local t = {1, 2, 3}
for i = 1, 30 do t["f" .. i] = i end
for i = 1, 30, 2 do t["f" .. i] = nil end
t.f1 = "back"
print(order(t))
