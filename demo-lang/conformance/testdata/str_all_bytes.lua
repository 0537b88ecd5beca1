local t = {}
for i = 0, 255 do t[#t + 1] = string.char(i) end
local s = table.concat(t)
print(#s, s:byte(1), s:byte(256), s:sub(66, 70))
local back = {s:byte(1, -1)}
local ok = #back == 256
for i = 1, 256 do if back[i] ~= i - 1 then ok = false end end
print(ok)
print(#string.format("%q", s), s:upper():sub(98, 100), s:lower():sub(66, 68))
local cnt = {}
for _, cl in ipairs({"%a", "%c", "%d", "%l", "%p", "%s", "%u", "%w", "%x", "%z"}) do
  local _, n = s:gsub(cl, "")
  cnt[#cnt + 1] = cl .. "=" .. n
end
print(table.concat(cnt, " "))
