-- a line comment
print("one") -- trailing comment
--[[ a block
comment ]] print("two")
--[==[ level two
]] still comment
]==] print("three")
--[[]] print("four")
---[[ not a block: this line is a line comment
print("five")
--]]
x = 1 --[[ inline ]] + 2
print(x)
-- comment at end of file without newline