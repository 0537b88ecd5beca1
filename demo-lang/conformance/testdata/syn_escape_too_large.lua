print("\256")
