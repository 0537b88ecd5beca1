local u
local function f() return u / 2 end
f()
