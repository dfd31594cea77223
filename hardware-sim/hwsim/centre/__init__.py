"""The card centre simulator: the centre API over real HTTP, with switches to break it."""
