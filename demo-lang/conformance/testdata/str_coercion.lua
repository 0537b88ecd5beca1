print(string.len(12345), string.upper(1e15), string.rep(1, 3), string.sub(12345, 2, 3))
print(("x"):rep("3"), string.byte(5), string.format("%s", 0.1))
print(#tostring(12), (12 .. ""):len())
