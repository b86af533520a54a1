print("invoice")
