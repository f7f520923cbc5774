handler = lambda event, context: 1 / 0
