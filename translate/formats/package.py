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
  is copied raw (its local header and compressed bytes as they are: same compression, flags,
  dates and permissions), in the same order; a package with no member changed is returned as
  it came, byte for byte. Only a ZIP64 or oddly laid out archive (members overlapping, or out of
  step with its central directory) is rebuilt member by member instead.
"""

from __future__ import annotations

import io
import re
import struct
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
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # a central directory record's fixed part (46 bytes)
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_LOCAL_SIGNATURE = b"PK\x03\x04"


@dataclass
class Package:
    """An opened zip package: its members by name, in the archive's order."""

    source: str
    archive: zipfile.ZipFile
    names: list[str] = field(default_factory=list)
    data: bytes = field(default=b"", repr=False)  # the package's bytes, as read

    def has(self, name: str) -> bool:
        return name in self.archive.NameToInfo

    def require(self, name: str, kind: str) -> None:
        if not self.has(name):
            raise InputError(f"{self.source}: not {article(kind)} {kind} ({name} is missing)")

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
        """The package with the members in ``replaced`` given new content, everything else kept
        (see the module's docstring); the package's own bytes when nothing changes."""
        changed = {name: data for name, data in replaced.items() if self.has(name) and data != self.read(name)}
        if not self.data:  # a package opened without its bytes: every member written again
            return self._rebuild(changed)
        if not changed:
            return self.data
        spliced = _splice(self.data, self.archive, changed)
        return spliced if spliced is not None else self._rebuild(changed)

    def _rebuild(self, changed: dict[str, bytes]) -> bytes:
        """Every member written again through ``zipfile`` (for archives ``_splice`` leaves alone)."""
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in self.archive.infolist():
                data = changed[info.filename] if info.filename in changed else self.archive.read(info)
                target.writestr(_entry_like(info), data)
        return out.getvalue()


def _entry_like(info):
    """A new entry named and dated as ``info``, with its compression and permissions."""
    import zipfile

    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = info.compress_type
    entry.external_attr = info.external_attr
    entry.create_system = info.create_system
    return entry


def _splice(data: bytes, archive, changed: dict[str, bytes]) -> bytes | None:
    """``data`` with the members in ``changed`` replaced and every other member's bytes (local
    header, compressed data, data descriptor) copied as they are; None for an archive this does
    not handle (ZIP64, members overlapping or out of step with the central directory)."""
    infos = archive.infolist()
    records = _central_records(data, archive.start_dir, len(infos))
    if records is None:
        return None
    order = sorted(range(len(infos)), key=lambda index: infos[index].header_offset)
    bounds = [infos[index].header_offset for index in order] + [archive.start_dir]
    if any(low >= high for low, high in zip(bounds, bounds[1:])):
        return None
    out = bytearray(data[: bounds[0]])  # whatever precedes the first member (a stub), as it is
    offsets: dict[int, int] = {}
    for position, index in enumerate(order):
        low, high = bounds[position], bounds[position + 1]
        if data[low : low + 4] != _LOCAL_SIGNATURE:
            return None
        offsets[index] = len(out)
        name = infos[index].filename
        if name in changed:
            local, records[index] = _new_member(infos[index], changed[name])
            out += local
        else:
            out += data[low:high]
    directory_start = len(out)
    for index, record in enumerate(records):
        out += record[:42] + struct.pack("<L", offsets[index]) + record[46:]
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(infos), len(infos), len(out) - directory_start,
                      directory_start, len(archive.comment))
    return bytes(out + end + archive.comment)


def _central_records(data: bytes, start: int, count: int) -> list[bytes] | None:
    """The raw central directory records, in order; None if any uses ZIP64 or is malformed."""
    if count >= 0xFFFF:
        return None
    records, cursor = [], start
    for _ in range(count):
        fixed = data[cursor : cursor + _CENTRAL.size]
        if len(fixed) < _CENTRAL.size:
            return None
        fields = _CENTRAL.unpack(fixed)
        if fields[0] != _CENTRAL_SIGNATURE or 0xFFFFFFFF in (fields[8], fields[9], fields[16]) or fields[13] == 0xFFFF:
            return None
        size = _CENTRAL.size + fields[10] + fields[11] + fields[12]  # name, extra field, comment
        records.append(data[cursor : cursor + size])
        cursor += size
    return records


def _new_member(info, content: bytes) -> tuple[bytes, bytes]:
    """(local header and data, central directory record) of ``content`` stored as ``info`` was."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as single:
        single.writestr(_entry_like(info), content)
    written = buffer.getvalue()
    start = zipfile.ZipFile(io.BytesIO(written)).start_dir
    record = _central_records(written, start, 1)[0]
    return written[:start], record


def open_package(data: bytes, source: str, kind: str) -> Package:
    """Open ``data`` as a zip package of ``kind`` (e.g. "Word document"), checking the limits."""
    import zipfile

    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{source}: encrypted or password-protected document, or an old binary Office format "
                         f"(not {article(kind)} {kind}); save it unprotected in the current format")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise InputError(f"{source}: not {article(kind)} {kind} (not a valid zip package: {err})") from None
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
    return Package(source, archive, [info.filename for info in infos], data)


def article(kind: str) -> str:
    """"an" before a vowel ("an EPUB book", "an OpenDocument text"), else "a"."""
    return "an" if kind[:1].upper() in "AEIOU" else "a"


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
