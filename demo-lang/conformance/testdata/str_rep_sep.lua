-- Lua 5.1's string.rep takes no separator: a third argument is ignored
print(("x"):rep(3, ","), string.rep("ab", 2, "-"))
