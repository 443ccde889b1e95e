"""Every upload point, its allowed types and its size, in one table; the type from the bytes.

A file's name and the browser's Content-Type are the uploader's word; the first bytes are not:
"%PDF-", the JPEG and PNG signatures, and for .docx/.xlsx a zip whose directory holds
word/document.xml or xl/workbook.xml (read from the zip's directory, never inflated).
The request as a whole is capped before it is read (core/limits.py); each file here.
"""

import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TYPE_NAMES = {PDF: "PDF", DOCX: "Word（.docx）", XLSX: "Excel（.xlsx）", JPEG: "JPG 图片", PNG: "PNG 图片"}
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", JPEG: "jpg", PNG: "png"}
MB = 1024 * 1024


@dataclass(frozen=True)
class UploadKind:
    label: str
    types: tuple[str, ...]
    max_bytes: int

    def allowed(self) -> str:
        return "、".join(TYPE_NAMES[t] for t in self.types)


KINDS = {
    "congress_paper": UploadKind("会议材料", (PDF, DOCX, XLSX, JPEG, PNG), 20 * MB),
    "study_material": UploadKind("学习材料", (PDF, DOCX), 20 * MB),
    "voucher_attachment": UploadKind("附件", (JPEG, PNG, PDF), 10 * MB),
    "visit_photo": UploadKind("照片", (JPEG, PNG), 10 * MB),
    "activity_photo": UploadKind("照片", (JPEG, PNG), 10 * MB),
    "import_sheet": UploadKind("导入文件", (XLSX,), 5 * MB),  # settings.IMPORT_MAX_BYTES may lower it
}


def sniff(upload) -> str | None:
    """The content type of an uploaded file from its bytes, or None when it is none we take."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def check_upload(upload, kind: str) -> tuple[str | None, str]:
    """(the content type, "") or (None, the Chinese reason naming the allowed types and size)."""
    spec = KINDS[kind]
    size = getattr(upload, "size", None)
    if size is None:
        return None, f"没有收到{spec.label}文件。"
    if size > spec.max_bytes:
        return None, f"{spec.label}不能超过 {spec.max_bytes // MB} MB。"
    if size == 0:
        return None, f"{spec.label}文件是空的。"
    content_type = sniff(upload)
    if content_type not in spec.types:
        return None, f"{spec.label}只能是 {spec.allowed()} 文件（按文件内容识别，不看扩展名）。"
    return content_type, ""
