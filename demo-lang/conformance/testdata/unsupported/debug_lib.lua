print(debug.traceback("x"))
