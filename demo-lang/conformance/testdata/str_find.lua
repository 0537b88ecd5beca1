local s = "hello world, hello lua"
print(s:find("hello"), s:find("hello", 2), s:find("hello", -9), s:find("xyz"))
print(s:find("o w"), s:find("l+"), s:find("(h)(e)"), s:find("()ll()"))
print(s:find(".", 1, true), ("a.b"):find(".", 1, true), ("a.b"):find("%."), ("a+b"):find("+", 1, true))
print(s:find(""), s:find("", 100), s:find("", -1), s:find("^hello"), s:find("^world"), s:find("lua$"))
print(("abc"):find("b", -10), ("abc"):find("c", 3), ("abc"):find("c", 4))
