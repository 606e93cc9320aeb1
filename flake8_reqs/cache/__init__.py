"""The cache folder, and entries kept there while what they were built from is unchanged."""
