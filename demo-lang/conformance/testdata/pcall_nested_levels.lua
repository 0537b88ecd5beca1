local function lvl(n)
  if n == 0 then error("bottom", 2) end
  return lvl(n - 1)
end
print(pcall(lvl, 0))
print(pcall(lvl, 3))
local function thrower() error("E") end
local function middle() thrower() end
print(pcall(middle))
local results = {}
for i = 1, 3 do
  local ok, err = pcall(function() if i % 2 == 1 then error("odd " .. i, 0) end return "even " .. i end)
  results[#results + 1] = tostring(ok) .. ":" .. err
end
print(table.concat(results, " | "))
print(pcall(pcall))
