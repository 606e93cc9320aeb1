"""The project: its root, first-party names, dev paths, and its state kept between runs."""
