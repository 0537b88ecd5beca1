print(pcall(unpack, {}, 1, 1e7))
print(pcall(unpack))
print(pcall(unpack, "abc"))
print(unpack({1, 2, 3}, -1, 1))
