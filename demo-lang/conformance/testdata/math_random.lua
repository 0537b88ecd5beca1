math.randomseed(42)
local a = {}
for i = 1, 5 do a[i] = math.random() end
math.randomseed(42)
local same = true
for i = 1, 5 do if math.random() ~= a[i] then same = false end end
print(same)
local ok = true
for i = 1, 1000 do
  local r = math.random()
  if r < 0 or r >= 1 then ok = false end
  local n = math.random(6)
  if n < 1 or n > 6 or n ~= math.floor(n) then ok = false end
  local m = math.random(-3, 3)
  if m < -3 or m > 3 or m ~= math.floor(m) then ok = false end
end
print(ok)
print(math.random(1, 1), math.random(5, 5))
local seen = {}
for i = 1, 200 do seen[math.random(3)] = true end
print(seen[1], seen[2], seen[3])
print(pcall(math.random, 0))
print(pcall(math.random, 3, 1))
