for y = -1, 1, 0.25 do
  local row = {}
  for x = -2, 0.5, 0.125 do
    local zr, zi, n = 0, 0, 0
    while n < 50 and zr * zr + zi * zi < 4 do
      zr, zi = zr * zr - zi * zi + x, 2 * zr * zi + y
      n = n + 1
    end
    row[#row + 1] = n == 50 and "#" or (n > 5 and "+" or ".")
  end
  print(table.concat(row))
end
