print(("hello123"):match("[a-z]+"), ("hello123"):match("[%d]+"), ("abc"):match("[^a]+"))
print(("a-b"):match("[a%-]+"), ("a]b"):match("[]]"), ("x^y"):match("[%^x]+"), ("-"):match("[a-]"))
print(("ABCdef"):match("[A-Z]+"), ("tab\there"):match("[%s]"), ("0x1F"):match("0x([%x]+)"))
print(("path/to/file.txt"):match("([^/]+)$"), ("a,b;c"):gsub("[,;]", " "))
