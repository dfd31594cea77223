"""The card centre as the kiosk sees it: the API contract (api) and its HTTP client (client)."""
