print(nothere.field)
