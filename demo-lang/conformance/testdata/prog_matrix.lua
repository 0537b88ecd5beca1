local function matmul(a, b)
  local n, m, p = #a, #b, #b[1]
  local c = {}
  for i = 1, n do
    c[i] = {}
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      c[i][j] = s
    end
  end
  return c
end
local a = {{1, 2}, {3, 4}}
local b = {{5, 6}, {7, 8}}
local c = matmul(a, b)
print(c[1][1], c[1][2], c[2][1], c[2][2])
local id = {{1, 0}, {0, 1}}
local r = a
for i = 1, 10 do r = matmul(r, a) end
print(r[1][1], r[2][2], matmul(a, id)[2][1])
