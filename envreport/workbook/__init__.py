"""Writing workbooks: the blank template and the annotated copy of a submission."""
