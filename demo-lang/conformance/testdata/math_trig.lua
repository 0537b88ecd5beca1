local function f(x) return string.format("%.10f", x) end
print(math.sin(0), math.cos(0), f(math.sin(math.pi / 2)), f(math.cos(math.pi)))
print(f(math.tan(math.pi / 4)), f(math.asin(1)), f(math.acos(0)), f(math.atan(1)))
print(f(math.atan2(1, 1)), f(math.atan2(-1, -1)), f(math.atan2(0, -1)), math.atan2(0, 1))
print(f(math.sin(1)), f(math.cos(1)), f(math.tan(1)))
