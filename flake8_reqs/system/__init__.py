"""What the OS image has: native-library knowledge, Dockerfiles and system package lists."""
