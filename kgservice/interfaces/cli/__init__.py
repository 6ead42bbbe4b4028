"""The `kgservice` command line."""
