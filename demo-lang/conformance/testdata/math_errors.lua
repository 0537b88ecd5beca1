print(pcall(math.floor, "x"))
print(pcall(math.max))
print(pcall(math.sqrt))
print(math.floor("3.7"), math.abs("-2"), math.max("10", 9))
