local function add(a, b) return a + b end
print(add(1, 2), add(1.5, 2))
local function none() end
print(none(), select("#", none()))
local function early(x) if x then return "early" end return "late" end
print(early(true), early(false))
local f = function(...) return select("#", ...) end
print(f(), f(nil), f(1, nil))
print((add(3, 4)))
local function missing(a, b, c) return a, b, c end
print(missing(1))
print(missing(1, 2, 3, 4))
