-- numbers, coercions, formatting
print(1, 0/0 ~= 0/0, 1/0, -1/0, 2^53, 2^63, 1e15, 1e14, 123456789012345)
print(0.1, 1/3, -1.5, 100, 1e100, 5e-324, 3.14159265358979)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3, 5.5 % 2, 2^10, 2^0.5)
print(7 / 2, -7 / 2)
print("10" + 5, "3" * "4", "0x10" + 0, " 12 " + 1, 10 .. 20, 1.5 .. "")
print(10 == "10", 1 < 2, "a" < "b", "abc" < "abd", "Z" < "a", "" < "a")
print(not nil, not 0, nil == false, 1 and 2, nil or "x", false and error("no"))
print(#"hello", -(-3), -"2")
local a, b, c = 1, 2
print(a, b, c)
local x, y = 1, 2, 3
print(x, y)
a, b = b, a
print(a, b)
print(math.floor(3.7), math.ceil(3.2), math.abs(-4), math.max(1, 5, 3), math.min(4, 2, 8))
print(math.sqrt(16), math.huge, -math.huge, math.pi)
print(math.fmod(7, 3), math.fmod(-7, 3), math.modf(3.7), math.modf(-3.7))
print(tonumber("12"), tonumber("0x1F"), tonumber("1e3"), tonumber("abc"), tonumber("10", 2), tonumber("ff", 16), tonumber("zz", 36))
print(tonumber(""), tonumber("  5  "), tonumber("5 5"), tonumber(nil))
print(tostring(12), tostring(1.25), tostring(true), tostring(nil))
print(type(1), type("s"), type({}), type(print), type(nil), type(true), type(function() end))
for i = 1, 3 do io.write(i, " ") end
io.write("\n")
for i = 10, 1, -3 do io.write(i, ",") end
print()
for i = 1, 0 do print("never") end
for i = 1.0, 2.0, 0.5 do io.write(i, ";") end
print()
local n = 0
while n < 5 do n = n + 1 end
repeat n = n - 2 until n < 0
print(n)
for i = 1, 10 do
  if i % 2 == 0 then
  elseif i == 7 then break
  else io.write(i) end
end
print()
print(select("#"), select("#", nil, nil), select(2, "a", "b", "c"), select(-1, "a", "b"))
print(string.format("%5.2f|%d|%s|%q|%x|%5s|%-5s|%g", 3.14159, 42, "hi", "a\nb", 255, "r", "l", 1e20))
print(2^31, 2^32 + 1, -2^31, 1e308 * 10, -(0/0) ~= -(0/0))
print(8 % 3.5, 2^-1, 100000000000000, 1e+15, 0.1 + 0.2)
