-- allocation-heavy loop: the heap must stay bounded
local peak = 0
for round = 1, 20 do
  local t = {}
  for i = 1, 20000 do t[i] = {i, tostring(i)} end
  local kb = collectgarbage("count")
  if kb > peak then peak = kb end
end
collectgarbage("collect")
local after = collectgarbage("count")
print(peak < 60000, after < peak)
local s = 0
for i = 1, 100000 do local x = "str" .. (i % 100); s = s + #x end
print(s)
