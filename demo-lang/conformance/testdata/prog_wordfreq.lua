local text = [[the quick brown fox jumps over the lazy dog the fox
barks and the dog sleeps while the quick fox runs]]
local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local words = {}
for w in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(a, b)
  if freq[a] ~= freq[b] then return freq[a] > freq[b] end
  return a < b
end)
for i = 1, 5 do print(words[i], freq[words[i]]) end
