local s = "abc"
s:nosuch()
