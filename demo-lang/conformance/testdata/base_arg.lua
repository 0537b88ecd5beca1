-- args: alpha 42 "two words"
print(#arg, arg[0], arg[1], arg[2], arg[3])
print(select("#", ...), ...)
print(type(arg[2]), arg[4])
