local log = {}
local t = setmetatable({}, {__newindex = function(tbl, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(tbl, k, v * 2)
end})
t.x = 1
t.y = 5
t.x = 10
print(t.x, t.y, table.concat(log, " "))
local ro = setmetatable({}, {__newindex = function(t, k) error("read-only: " .. k, 2) end})
print(pcall(function() ro.z = 1 end))
