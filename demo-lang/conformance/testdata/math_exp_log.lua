local function f(x) return string.format("%.10f", x) end
print(math.exp(0), f(math.exp(1)), math.log(1), f(math.log(10)), math.log10(1000), math.log10(0.01))
print(math.pow(2, 10), math.pow(2, 0.5) == math.sqrt(2), math.pow(9, 0.5), 2 ^ 0.5 == math.pow(2, 0.5))
print(math.log(0), math.exp(1000), math.log10(10))
