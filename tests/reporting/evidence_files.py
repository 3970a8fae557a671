"""Small real files of each kind evidence takes, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def office(part: str) -> bytes:
    """A zip with the parts that make it a Word (``word/document.xml``) or Excel
    (``xl/workbook.xml``) file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


DOCX, XLSX, OTHER_ZIP = office("word/document.xml"), office("xl/workbook.xml"), office("a.txt")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """As a browser sends it: the type the browser claims is ignored by the tracker."""
    return SimpleUploadedFile(name, content, content_type=content_type)
