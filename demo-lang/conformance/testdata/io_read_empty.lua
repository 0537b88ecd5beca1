print(io.read())
print(io.read("*n"))
