local a = [[
first line skipped newline]]
print(a)
print([[no newline]])
print([==[contains ]] and [[ inside]==])
print([=[
]=] == "")
local b = [[line1
line2
]]
print(#b, b)
print([[\n is not an escape]])
print([==[
a]=]b]==])
