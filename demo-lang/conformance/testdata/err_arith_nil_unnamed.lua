print("ok")
print(-nil)
