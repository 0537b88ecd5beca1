print(string.upper("abc XYZ 123 _!"), string.lower("ABC xyz 123"), ("MiXeD"):lower())
print(string.rep("ab", 3), string.rep("x", 0), string.rep("x", -1), string.rep("", 5), ("-"):rep(10))
print(string.reverse("hello"), string.reverse(""), ("a\0b"):reverse() == "b\0a")
print(string.len("abc"), string.len(""), string.len(123), string.rep(5, 2))
