local function printf(fmt, ...) io.write(string.format(fmt, ...)) end
printf("%s has %d items costing %.2f\n", "cart", 3, 19.989)
printf("%-6s|%6s|\n", "ab", "cd")
local rows = {{"apple", 1.5, 3}, {"kiwi", 0.25, 12}}
for _, r in ipairs(rows) do printf("%-8s %6.2f x %3d = %7.2f\n", r[1], r[2], r[3], r[2] * r[3]) end
