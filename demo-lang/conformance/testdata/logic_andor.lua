print(1 and 2, nil and 2, false and nil, 1 or 2, nil or 2, false or nil, nil or false)
print(1 and nil or 3, false or false and 1, nil and nil or "d")
local calls = 0
local function f(v) calls = calls + 1 return v end
local r = f(false) and f(true)
print(r, calls)
r = f(1) or f(2)
print(r, calls)
local x = nil
print(x and x.field or "default")
print(1 == 1 and "yes" or "no", 1 == 2 and "yes" or "no")
