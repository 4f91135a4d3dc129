"""The writeup: python -m report builds the PDF."""
