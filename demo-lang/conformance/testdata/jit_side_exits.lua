-- Alternating branches inside a hot loop (side traces)
local a, b, c = 0, 0, 0
for i = 1, 3000 do
  if i % 3 == 0 then a = a + i
  elseif i % 3 == 1 then b = b - i
  else c = c + i * 0.5 end
end
print(a, b, c)
local hits = {}
for i = 1, 1000 do
  local k = (i % 7 == 0) and "seven" or ((i % 5 == 0) and "five" or "other")
  hits[k] = (hits[k] or 0) + 1
end
print(hits.seven, hits.five, hits.other)
