local s = "Hello"
print(s:len(), s:upper(), s:lower(), s:rep(2, nil), s:reverse(), s:sub(2, 3), s:byte(1))
print(("%5.1f"):format(3.14159), ("a,b"):find(","), ("key=val"):match("(%w+)=(%w+)"))
print(#s, s == "Hello", getmetatable("").__index == string)
print(("abc"):gsub("b", "B"))
