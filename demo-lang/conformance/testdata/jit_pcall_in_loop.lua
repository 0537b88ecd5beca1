local ok_count, err_count = 0, 0
local last
for i = 1, 500 do
  local ok, e = pcall(function()
    if i % 10 == 0 then error("bad " .. i, 0) end
    return i
  end)
  if ok then ok_count = ok_count + 1 else err_count = err_count + 1; last = e end
end
print(ok_count, err_count, last)
local s = 0
for i = 1, 300 do
  local ok, v = pcall(function(x) return x.field end, i % 50 == 0 and nil or {field = i})
  if ok then s = s + v end
end
print(s)
