handler = {"not": "callable"}
