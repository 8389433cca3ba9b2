"""The cross-case research view over learning communities (Tables 3-6 of the article)."""
