for i = 1, 3 do print(i) end
local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(t.abc)
