local s = "x"
print(s:rep({}))
