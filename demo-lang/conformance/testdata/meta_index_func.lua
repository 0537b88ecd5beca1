local calls = 0
local t = setmetatable({present = 1}, {__index = function(tbl, k)
  calls = calls + 1
  return k .. "!"
end})
print(t.present, t.absent, t[1], calls)
local defaults = setmetatable({}, {__index = function() return 0 end})
defaults.x = defaults.x + 5
print(defaults.x, defaults.y)
local self_check = setmetatable({}, {__index = function(tbl, k) return tbl == self_check end})
print(self_check.anything)
