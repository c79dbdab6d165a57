"""Checks a ZIP container (XLSX, DOCX) before any parser opens it: a small file must not expand into
gigabytes (a "ZIP bomb") or hold thousands of parts."""
import io
import zipfile

MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100          # uncompressed / compressed, for members over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024


class UnsafeZip(Exception):
    pass


def check_zip(content: bytes, required: tuple[str, ...] = ("[Content_Types].xml",)) -> None:
    """Raises UnsafeZip with a reason a person can act on. Reads only the central directory; the declared
    sizes hold, because zipfile never returns more than a member's declared size (and checks its CRC)."""
    if not content.startswith(b"PK\x03\x04"):
        raise UnsafeZip("it is not an Office file (Word and Excel files are ZIP packages)")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeZip("the file is damaged") from None
    if len(members) > MAX_MEMBERS:
        raise UnsafeZip(f"it has {len(members):,} parts, far more than an Office file has")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UnsafeZip("it is password-protected; remove the password and upload it again")
        if member.file_size > MAX_MEMBER_BYTES:
            raise UnsafeZip("one of its parts expands to more than 50 MB (it may be a ZIP bomb)")
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnsafeZip("it expands more than 100 times (it may be a ZIP bomb)")
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise UnsafeZip("it expands to more than 100 MB (it may be a ZIP bomb)")
    names = {m.filename for m in members}
    missing = [r for r in required if r not in names]
    if missing:
        raise UnsafeZip("it is a ZIP file but not an Office document")
