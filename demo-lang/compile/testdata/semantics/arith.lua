-- arithmetic, constants, folding, concat, precedence
print(1 + 2, 7 - 10, 3 * 4, 7 / 2, 7 % 3, -7 % 3, 7 % -3, 2 ^ 10, 2 ^ 0.5)
print(-2 ^ 2, 2 ^ -1, 2 ^ 3 ^ 2, -3 - -3, - - 3)
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0)
print(5 % 0 ~= 5 % 0, 3.5 % 1, -3.5 % 1)
local x = 10
print(x + 1, 1 + x, x - 1, 1 - x, x * 2, 2 * x, x / 4, 4 / x, x % 3, 3 % x, x ^ 2, 2 ^ x)
print("10" + 1, "3" * "4", 10 .. "", 1 .. 2, "a" .. "b" .. "c" .. 1 .. 2)
print(0x10, 0xff + 1, 1e3, 1.5e-3, .5, 3., 0xA)
print(100000000000000, 1e15, 2^53, 2^53 + 1, 123456789012345678)
print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 2 * 3 ^ 2, -x ^ 2, not nil == true)
print(#"hello", #{1, 2, 3}, -(-x), - -x)
local s = "n:" .. 1.5 .. ":" .. 1e100
print(s)
local a, b, c = "a", "b", "c"
print(a .. b .. c, a .. (b .. c), (a .. b) .. c)
print(32767, 32768, -32768, -32769, 65536, 0.1 + 0.2)
local big = 2^63
print(big, -big, big % 2)
print(8 % 3.5, 2^31, -2^31, 1e308 * 10)
local y = 3
y = y + 1; y = y * y; y = y - 0.5; y = y / 2; y = y % 5; y = -y
print(y)
print(math.huge, -math.huge, math.pi)
print(("5"):rep(2) + 1)
local z = 2
print(z ^ z ^ z, (z ^ z) ^ z)
