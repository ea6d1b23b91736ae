"""The `truce` command line: thin commands over the library."""
