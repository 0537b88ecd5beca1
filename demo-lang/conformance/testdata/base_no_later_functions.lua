-- Functions that Lua 5.2+ added do not exist in 5.1
print(rawlen, table.unpack, table.pack, table.move, math.type, math.tointeger, math.ult)
print(utf8, bit32, string.pack, string.unpack)
