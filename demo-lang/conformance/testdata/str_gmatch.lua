for w in string.gmatch("one two  three", "%a+") do io.write("[", w, "]") end print()
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, "->", v, " ") end print()
local n = 0
for _ in ("abc"):gmatch("") do n = n + 1 end
print(n)
for p in ("^a^b"):gmatch("^.") do io.write(p, " ") end print()
for a, b in ("abcd"):gmatch("()(.)") do io.write(a, b, " ") end print()
local words = {}
for w in ("The quick brown fox"):gmatch("%S+") do words[#words + 1] = w:lower() end
print(table.concat(words, ","))
