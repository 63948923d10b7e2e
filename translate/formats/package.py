"""Zip packages (Word, OpenDocument, PowerPoint, EPUB) and XML, read defensively.

- A package is opened only when its declared sizes stay under limits (total and per member)
  and no member expands more than ``MAX_RATIO`` times: a zip bomb fails before anything is
  inflated. ``zipfile`` never reads past a member's declared size, so the limits hold even if
  the headers lie.
- An encrypted member, or an OLE compound file (how Office stores password-protected
  documents, and the old binary formats), is a clear per-file failure.
- XML is parsed with entity resolution, DTD loading and network access off, so no external
  entity is ever fetched or expanded.
- The English package is the source package with some members replaced: every other member
  is copied byte for byte, in the same order, with the same compression and dates.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translate.errors import InputError

if TYPE_CHECKING:
    import zipfile

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members larger than 1 MB
_STANDALONE = re.compile(rb"""^<\?xml[^>]*\sstandalone\s*=\s*["'](yes|no)["']""")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Package:
    """An opened zip package: its members by name, in the archive's order."""

    source: str
    archive: zipfile.ZipFile
    names: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.archive.NameToInfo

    def require(self, name: str, kind: str) -> None:
        if not self.has(name):
            raise InputError(f"{self.source}: not a {kind} ({name} is missing)")

    def read(self, name: str) -> bytes:
        from zipfile import BadZipFile

        try:
            return self.archive.read(name)
        except KeyError:
            raise InputError(f"{self.source}: damaged package: {name} is missing") from None
        except (BadZipFile, OSError, EOFError, ValueError) as err:  # CRC or size mismatch, truncated data
            raise InputError(f"{self.source}: damaged package: cannot read {name}: {err}") from None

    def xml(self, name: str):
        return parse_xml(self.read(name), f"{self.source}: {name}")

    def rewrite(self, replaced: dict[str, bytes]) -> bytes:
        """The package with the members in ``replaced`` given new content, everything else kept."""
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in self.archive.infolist():
                data = replaced[info.filename] if info.filename in replaced else self.archive.read(info)
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                copy.create_system = info.create_system
                target.writestr(copy, data)
        return out.getvalue()


def open_package(data: bytes, source: str, kind: str) -> Package:
    """Open ``data`` as a zip package of ``kind`` (e.g. "Word document"), checking the limits."""
    import zipfile

    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{source}: encrypted or password-protected document, or an old binary Office format "
                         f"(not a {kind}); save it unprotected in the current format")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise InputError(f"{source}: not a {kind} (not a valid zip package: {err})") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{source}: refused: {len(infos)} members in the package (limit {MAX_MEMBERS})")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(f"{source}: encrypted package ({info.filename} is encrypted)")
        total += info.file_size
        too_big = info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES
        ratio = info.file_size / max(info.compress_size, 1)
        if too_big or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise InputError(f"{source}: refused: {info.filename} would expand to {info.file_size} bytes "
                             f"({ratio:.0f}x its compressed size): a zip bomb or a file too large")
    return Package(source, archive, [info.filename for info in infos])


def parse_xml(data: bytes, where: str):
    """Parse XML with no entity expansion, no DTD loading and no network; InputError if malformed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise InputError(f"{where}: malformed XML: {err}") from None


def serialize_xml(root, original: bytes) -> bytes:
    """The document of ``root`` as UTF-8, declaring ``standalone`` only if ``original`` (the bytes
    it was parsed from) did."""
    from lxml import etree

    declared = _STANDALONE.search(original[:200])
    options = {"standalone": declared.group(1) == b"yes"} if declared else {}
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", **options)
