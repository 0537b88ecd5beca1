local s = [[never closed
