print("only stdout")
error()
