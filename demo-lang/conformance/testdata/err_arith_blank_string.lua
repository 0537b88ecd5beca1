local s = " "
print(s + 1)
