local parts = {}
for i = 1, 500 do parts[#parts + 1] = string.format("%03d", i % 1000) end
local s = table.concat(parts)
print(#s, s:sub(1, 12), s:sub(-6))
local count = 0
for i = 1, #s do if s:byte(i) == 48 then count = count + 1 end end
print(count)
local str = ""
for i = 1, 200 do str = str .. (i % 10) end
print(#str, str:sub(1, 20))
local words = 0
for i = 1, 300 do
  for w in ("alpha beta gamma"):gmatch("%a+") do words = words + #w end
end
print(words)
