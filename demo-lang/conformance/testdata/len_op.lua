print(#"", #"abc", #"a\0b", #"\n\n")
print(#{}, #{1, 2, 3}, #{n = 1}, #{1, 2, nil}, #{nil})
local t = {10, 20, 30}
t[#t + 1] = 40
print(#t)
t[#t] = nil
print(#t)
local s = "hello"
print(#s * 2, -#s)
