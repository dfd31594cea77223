"""Self-service kiosk software for the third-generation social security card."""

__version__ = "0.1.0"
