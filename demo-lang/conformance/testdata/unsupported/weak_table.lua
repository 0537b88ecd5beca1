local cache = setmetatable({}, {__mode = "k"})
print("weak")
