print(string.format("%q", 'he said "hi"\n\tand \\ left'))
print(string.format("%q", "a\0b\rc"))
print(string.format("%q", ""))
print(string.format("%q", 123))
local s = "line1\nline2"
print(string.format("%q", s) == '"line1\\\nline2"')
