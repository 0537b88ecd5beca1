local best, bestn = 0, 0
local cache = {[1] = 1}
local function len(n)
  if cache[n] then return cache[n] end
  local l
  if n % 2 == 0 then l = 1 + len(n / 2) else l = 1 + len(3 * n + 1) end
  cache[n] = l
  return l
end
for i = 1, 10000 do
  local l = len(i)
  if l > best then best, bestn = l, i end
end
print(bestn, best)
