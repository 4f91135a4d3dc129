"""Problem experiment package."""
