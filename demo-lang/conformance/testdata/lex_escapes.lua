local s = "\a\b\f\n\r\t\v\\\"\'"
for i = 1, #s do io.write(s:byte(i), " ") end
print()
print("\65\066\0677", "\x", "\q", "a\
b")
print(#"\0", #"a\0b", ("\0\1\2"):byte(1, -1))
print('single "double" inside', "double 'single' inside")
print("\1234" == "{4", "\9" == "\t", "\10" == "\n")
