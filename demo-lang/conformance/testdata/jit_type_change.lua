-- A loop whose values change type after it is hot: guards must exit
local x = 0
local out = {}
for i = 1, 300 do
  if i == 150 then x = x + 0.5 end
  if i == 200 then x = tostring(x) end
  if i == 250 then x = tonumber(x) end
  x = x + 1
end
print(x, type(x))
local vals = {}
for i = 1, 200 do vals[i] = i end
for i = 100, 200 do vals[i] = "s" .. i end
local n, s = 0, 0
for i = 1, #vals do
  local v = vals[i]
  if type(v) == "number" then n = n + v else s = s + #v end
end
print(n, s)
