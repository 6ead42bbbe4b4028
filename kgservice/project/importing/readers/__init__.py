"""One reader per format, each turning the file into a `Rendering` (and a spreadsheet also into rows)."""
