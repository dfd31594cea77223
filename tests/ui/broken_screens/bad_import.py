raise ImportError("a screen module with a mistake in it")
