local z = 0
local nz = -z
print(nz, z, nz == z, 1 / nz, 1 / z)
print(z * -1, nz + 0, nz * 1, math.floor(nz), math.ceil(-0.5))
print(string.format("%g %d %f", nz, nz, nz))
print(tostring(nz), nz .. "")
