"""Writing workbooks: the blank template and the annotated copy of a submission."""

from envreport.workbook.annotate import AnnotationRefusedError, write_annotated
from envreport.workbook.saving import document_time, save_pinned

__all__ = ["AnnotationRefusedError", "document_time", "save_pinned", "write_annotated"]
