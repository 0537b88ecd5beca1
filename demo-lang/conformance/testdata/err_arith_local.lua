local x
print("before")
print(x + 1)
print("after")
