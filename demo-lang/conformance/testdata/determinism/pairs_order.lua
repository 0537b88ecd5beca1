-- pairs order is unspecified, but a program run twice must see the same
-- order (LANGUAGE.md); this prints it for the test to compare across runs.
local t = {}
for i = 1, 50 do t["key" .. i] = i end
for i = 1, 20 do t[i * 7] = i end
t[1.5] = "f"; t[true] = "b"
for i = 1, 50, 3 do t["key" .. i] = nil end
local out = {}
for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
print(table.concat(out, " "))
local s = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do s[w] = #w end
out = {}
for k in pairs(s) do out[#out + 1] = k end
print(table.concat(out, " "))
