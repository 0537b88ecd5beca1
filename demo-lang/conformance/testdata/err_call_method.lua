local obj = {}
obj:nomethod(1)
