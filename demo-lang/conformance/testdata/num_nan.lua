local z = 0
local nan = z / z
print(nan, -nan, nan ~= nan, nan == nan)
print(math.huge - math.huge, math.huge * 0)
print(math.sqrt(-1), math.fmod(1, 0))
local t = {nan}
print(t[1] ~= t[1], nan < 1, nan > 1, nan <= nan)
print(tostring(nan) == tostring(z / z))
