local vals = {0, 1, -1, 0.5, 1.5, 2.5, 1/3, 2/3, 1e10, 1e-10, 123.456, 99.995, 1e21, 2^53, 0.1}
for _, v in ipairs(vals) do
  print(string.format("%.3f|%.0f|%10.4e|%g|%.3g|%#g|%.14g|%.17g", v, v, v, v, v, v, v, v))
end
print(string.format("%5.2f|%-8.3f|%08.2f|%+.1f|% .1f", -1.005, 2.0005, -3.5, 4, 5))
print(string.format("%.0e|%#.0e|%#.0f|%.1g|%#.1g", 5, 5, 5, 0.05, 0.05))
