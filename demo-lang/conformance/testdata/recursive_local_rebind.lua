local function f(n) if n == 0 then return "orig" end return f(n - 1) end
local g = f
f = function() return "new" end
print(g(2), f())
local h
h = function(n) if n == 0 then return 0 end return n + h(n - 1) end
print(h(100))
local function fact(n) return n <= 1 and 1 or n * fact(n - 1) end
print(fact(15))
