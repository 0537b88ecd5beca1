local n = 0
while true do
  local line = io.read()
  if line == nil then break end
  n = n + 1
  print(n, line, #line)
end
print(io.read(), io.read("*l"))
