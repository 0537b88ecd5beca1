-- "*n" skips whitespace, reads what strtod accepts; a failed read returns nil
print(io.read("*n"))
print(io.read("*n"))
print(io.read("*n"))
print(io.read("*l"))
print(io.read("*n"))
print(io.read("*l"))
print(io.read("*l"))
print(io.read("*n"), io.read("*l"))
