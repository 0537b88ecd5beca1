local pats = {"%", "[a", "[a-", "(a", "a)", "%1", "(a)%2", "%b", "%f", "%fx", "[%", "(()"}
for _, p in ipairs(pats) do
  local ok, e = pcall(string.find, "abc", p)
  print(p, ok, e)
end
print(pcall(string.gsub, "abc", "(a", "%1"))
print(pcall(string.gsub, "abc", "a", "%2"))
print(pcall(string.rep))
