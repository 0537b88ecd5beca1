local objs = {}
for i = 1, 500 do
  local o = {x = i}
  if i % 2 == 0 then o.y = i * 2 end
  if i % 3 == 0 then o.z = "z" end
  objs[i] = o
end
local sx, sy, sz = 0, 0, 0
for i = 1, #objs do
  local o = objs[i]
  sx = sx + o.x
  if o.y then sy = sy + o.y end
  if o.z then sz = sz + 1 end
end
print(sx, sy, sz)
local t = {}
for i = 1, 1000 do t[i] = i end
for i = 1, 1000 do t[i * 2000] = i end
local s = 0
for i = 1, 1000 do s = s + t[i] + t[i * 2000] end
print(s, #t >= 1000)
