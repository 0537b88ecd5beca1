local grid = {}
for i = 1, 3 do
  grid[i] = {}
  for j = 1, 3 do grid[i][j] = i * j end
end
for i = 1, 3 do print(table.concat(grid[i], " ")) end
local cfg = {db = {host = "h", ports = {80, 443}}}
print(cfg.db.host, cfg.db.ports[2], #cfg.db.ports)
cfg.db.ports[#cfg.db.ports + 1] = 8080
print(table.concat(cfg.db.ports, ","))
