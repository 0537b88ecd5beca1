-- and/or value results, comparisons as values, not
local a, b, c = 1, nil, false
print(a and b, a or b, b or c, c or b, b and c, c and b)
print(a and 2 or 3, b and 2 or 3, nil and nil or "x")
print(1 < 2, 1 > 2, 1 <= 1, 2 >= 3, 1 == 1, 1 ~= 1, "a" < "b")
local x = (a == 1) and "one" or "other"
print(x, not a, not b, not not c, not (a and b), not (b or c))
local t = {}
print(t.x or 5, t.x and 5, (t.x or {}).y)
local function f(v) return v end
print(f(1) and f(2), f(nil) or f(false), f(false) and f(1))
if a and not b then print("ok1") end
if b or c then print("bad") else print("ok2") end
if not (a < 0) then print("ok3") end
local n = 0/0
print(n == n, n ~= n, n < 1, not (n < 1), n >= 1, not (n >= 1))
if not (n < 1) then print("nan not less") end
if n > 1 then print("bad") elseif n <= 1 then print("bad") else print("nan else") end
local y = a and b or c
print(y)
print(1 and nil, false or nil, nil and false)
local z = a or error("never")
print(z)
print((a or b) == 1, (b and a) == nil)
while b do end
repeat local q = 1 until a
print(type(nil == false))
local s = "x"
print(s == "x", s ~= "x", s == nil, nil == s, 3 == s, s == 3)
