print("a" < "b", "b" < "a", "a" < "aa", "" < "a", "Z" < "a", "abc" < "abd")
print("a" == "a", "a" ~= "b", "10" < "9", "a\0b" < "a\0c", "a" < "a\0")
print("A" <= "A", "B" >= "A", "abc" > "ab")
local s1, s2 = "hello", "hel" .. "lo"
print(s1 == s2, rawequal(s1, s2))
