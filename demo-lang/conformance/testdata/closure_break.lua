local fns = {}
for i = 1, 10 do
  local captured = i * 10
  fns[#fns + 1] = function() return captured end
  if i == 3 then break end
end
print(#fns, fns[1](), fns[2](), fns[3]())
local gs = {}
local k = 0
while true do
  k = k + 1
  local v = k
  gs[k] = function() v = v + 1 return v end
  if k >= 2 then break end
end
print(gs[1](), gs[1](), gs[2]())
local hs = {}
repeat
  local x = #hs
  hs[#hs + 1] = function() return x end
until #hs == 3 or x > 100
print(hs[1](), hs[2](), hs[3]())
