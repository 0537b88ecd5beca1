local t = {"a", "b", "c"}
for i, v in ipairs(t) do print(i, v) end
local keys = {}
for k in pairs({x = 1, y = 2, z = 3}) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
local function range(n)
  return function(_, i) if i < n then return i + 1 end end, nil, 0
end
for i in range(4) do io.write(i, " ") end print()
for k, v in next, {10} do print(k, v) end
