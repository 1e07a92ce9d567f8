"""The assessment as one editable Word document (python-docx); see :mod:`.builder`."""

from sa_toolkit.document.builder import build_document, document_name

__all__ = ["build_document", "document_name"]
