print("start")
error("boom")
