"""Writing workbooks: the blank template and the annotated copy of a submission."""

from envreport.workbook.annotate import AnnotationRefusedError, write_annotated

__all__ = ["AnnotationRefusedError", "write_annotated"]
