local s = "hello world"
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -3), s:sub(0), s:sub(3, 2))
print(s:sub(100), s:sub(-100, 2), s:sub(5, 100), s:sub(2, -2), ("x"):sub(1, 1), (""):sub(1))
print(string.sub(s, 2.7, 4.2), s:sub("2", "3"))
