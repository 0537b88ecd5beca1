print(("hello"):sub(2.9, 4.1), ("hello"):byte(1.5), ("abc"):rep(2.7), ("hello"):find("l", 3.9))
print(string.char(65.9, 66.1), ("%d|%s"):format(2.9, 2.9), tostring(2.50))
