print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-b"), ("aaab"):match("a?"))
print(("<a><b>"):match("<.*>"), ("<a><b>"):match("<.->"), ("b"):match("a*b"), ("b"):match("a+b"))
print(("color colour"):gsub("colou?r", "C"))
print(("  x"):match("^ *"), ("abc"):match("a.-c"), ("abc"):match("^(.-)$"))
