local t = {}
local y = t.a - 1
