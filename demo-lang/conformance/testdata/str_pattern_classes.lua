local s = "Ab1 !\t\n\0z_"
for _, c in ipairs({"%a", "%c", "%d", "%l", "%p", "%s", "%u", "%w", "%x", "%z", "%A", "%D", "%S", "%W", "."}) do
  local _, n = s:gsub(c, "")
  io.write(c, "=", n, " ")
end
print()
print(("x%y"):gsub("%%", "P"), ("a.b"):gsub("%.", "D"), ("f(x)"):gsub("%(", "<"))
