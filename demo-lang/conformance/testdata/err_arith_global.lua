print(undefinedglobal * 2)
