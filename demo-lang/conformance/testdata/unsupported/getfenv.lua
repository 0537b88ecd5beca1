print(getfenv(1) == _G)
