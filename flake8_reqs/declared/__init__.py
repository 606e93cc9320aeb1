"""What the project declares, and which distribution provides which import name."""
