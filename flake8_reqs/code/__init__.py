"""What the code imports: import statements, their guards, and the project's import graph."""
