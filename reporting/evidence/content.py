"""What a file is, read from its first bytes (its "magic number") and, for Office files, the
parts inside it, never from its name; and whether its name agrees.

The kinds of evidence taken: PDF, Word and Excel (current and 97–2003 formats), and PNG, JPEG,
GIF and WebP images.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext, gettext_lazy


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind(gettext_lazy("a PDF"), "application/pdf", (".pdf",))
DOCX = FileKind(
    gettext_lazy("a Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    gettext_lazy("an Excel workbook"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
# Word 97–2003 and Excel 97–2003 share one container (OLE2); its name says which it is.
OLE_DOC = FileKind(gettext_lazy("a Word 97–2003 document"), "application/msword", (".doc",))
OLE_XLS = FileKind(gettext_lazy("an Excel 97–2003 workbook"), "application/vnd.ms-excel", (".xls",))
PNG = FileKind(gettext_lazy("a PNG image"), "image/png", (".png",))
JPEG = FileKind(gettext_lazy("a JPEG image"), "image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind(gettext_lazy("a GIF image"), "image/gif", (".gif",))
WEBP = FileKind(gettext_lazy("a WebP image"), "image/webp", (".webp",))

ACCEPTED = (PDF, DOCX, XLSX, OLE_DOC, OLE_XLS, PNG, JPEG, GIF, WEBP)
ACCEPTED_EXTENSIONS = tuple(ext for kind in ACCEPTED for ext in kind.extensions)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnacceptableFile(ValueError):
    """The file is not one of the kinds taken, or its name says something else."""


def sniff(upload) -> list[FileKind]:
    """The kinds ``upload``'s content can be (two for a 97–2003 Office file); [] if none."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return [PDF]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return [PNG]
    if head.startswith(b"\xff\xd8\xff"):
        return [JPEG]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return [GIF]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return [WEBP]
    if head.startswith(OLE_SIGNATURE):
        return [OLE_DOC, OLE_XLS]
    if head.startswith(b"PK\x03\x04"):
        return _office_open_xml(upload)
    return []


def _office_open_xml(upload) -> list[FileKind]:
    """A Word or Excel file is a zip whose parts name it; any other zip is not evidence."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return []
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return []
    if "word/document.xml" in names:
        return [DOCX]
    if "xl/workbook.xml" in names:
        return [XLSX]
    return []


def identify(upload, name: str) -> FileKind:
    """The kind of file ``upload`` is, when its content is one taken and its name agrees."""
    extension = PurePath(name).suffix.lower()
    kinds = sniff(upload)
    if not kinds:
        raise UnacceptableFile(
            gettext(
                "This file is not a PDF, Word or Excel file, or a PNG, JPEG, GIF or WebP image, "
                "so it can't be attached. Attach one of those, or add a link instead."
            )
        )
    for kind in kinds:
        if extension in kind.extensions:
            return kind
    said = f"“{extension}”" if extension else gettext("no type")
    raise UnacceptableFile(
        gettext(
            "The file's name ends in %(said)s, but its content is %(kind)s. Rename it to "
            "end in %(extension)s if that is what it is, or choose the right file."
        )
        % {"said": said, "kind": kinds[0].label, "extension": kinds[0].extensions[0]}
    )
