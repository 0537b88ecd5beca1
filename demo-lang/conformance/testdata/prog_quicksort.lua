local function qsort(t, lo, hi)
  if lo >= hi then return end
  local p = t[math.floor((lo + hi) / 2)]
  local i, j = lo, hi
  while i <= j do
    while t[i] < p do i = i + 1 end
    while t[j] > p do j = j - 1 end
    if i <= j then t[i], t[j] = t[j], t[i]; i = i + 1; j = j - 1 end
  end
  qsort(t, lo, j); qsort(t, i, hi)
end
local t = {}
local x = 12345
for i = 1, 500 do x = (x * 1103515245 + 12345) % 2147483648; t[i] = x % 1000 end
qsort(t, 1, #t)
local sorted = true
for i = 2, #t do if t[i - 1] > t[i] then sorted = false end end
print(sorted, t[1], t[250], t[500])
