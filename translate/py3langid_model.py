"""py3langid's model, read through an uncompressed copy in the per-user cache.

py3langid ships its model as an LZMA-compressed npz file (4.5 MB; 68 MB of arrays). Decompressing
it is most of the 0.4 s that reading it takes, and every process that reads the model pays it
again (the segmenter, ``translate spot-check`` and ``translate review``). So the first read also
writes the decompressed arrays to ``$XDG_CACHE_HOME/translate/py3langid/KEY/`` (by default
``~/.cache/translate/py3langid``), one ``.npy`` file each, and later reads load those (about 0.05 s).

KEY is a hash of the model file's bytes, py3langid's version and this layout, so an upgraded or
edited model is never answered from an old copy (older copies are removed when a new one is
written). The copy is written in a temporary folder, flushed to disk and renamed into place, so a
killed process never leaves a half-written one. Whenever the copy cannot be read or written (a
read-only home, a full disk, a damaged file), the model is read from the package as py3langid reads
it. The arrays, and so every score, are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from translate.fsutil import user_cache_dir

# What py3langid's npz holds (py3langid.modelio.load_model reads the same names).
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
# Changes when the layout of the cached copy changes.
_LAYOUT = "1"
_MANIFEST = "manifest.json"


def cache_root() -> Path:
    return user_cache_dir("py3langid")


def load_identifier():
    """py3langid's ``LanguageIdentifier`` with its full model, as
    ``LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)`` builds it."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    path = Path(MODEL_DIR) / MODEL_FILE
    try:
        key = _key(path)
    except OSError:
        return _from_package(path)
    folder = cache_root() / key
    arrays = _read_copy(folder, key)
    if arrays is None:
        try:
            arrays = _decompress(path)
        except (OSError, ValueError, KeyError):
            return _from_package(path)  # let py3langid report what is wrong with its model
        _write_copy(folder, key, arrays)
    try:
        return _identifier(arrays)
    except (ImportError, AttributeError, TypeError, ValueError):  # a py3langid whose internals differ
        return _from_package(path)


def _from_package(path: Path):
    from py3langid.langid import LanguageIdentifier

    return LanguageIdentifier.from_modelpath(path)


def _key(path: Path) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("py3langid")
    except PackageNotFoundError:
        package = "unknown"
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"\0{package}\0{_LAYOUT}".encode())
    return digest.hexdigest()[:32]


def _decompress(path: Path) -> dict:
    import io
    import lzma

    import numpy as np

    with np.load(io.BytesIO(lzma.decompress(path.read_bytes())), allow_pickle=False) as data:
        return {name: data[name] for name in _ARRAYS}


def _identifier(arrays: dict):
    """The identifier, built from the arrays as py3langid builds it from its npz file
    (``py3langid.modelio.load_model`` then ``LanguageIdentifier.from_model_file``)."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    return LanguageIdentifier(np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]), arrays["classes"].tolist(),
                              _to_array(arrays["nextmove"]), arrays["out_feat"].tolist(),
                              tk_row=_to_array(arrays["nextmove_row"]))


def _read_copy(folder: Path, key: str) -> dict | None:
    """The cached arrays, or None when there is no complete copy for ``key``."""
    import numpy as np

    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("key") != key:
            return None
        arrays = {}
        for name in _ARRAYS:
            # Read into memory (not left mapped): a file replaced later cannot pull pages from under us.
            array = np.load(folder / f"{name}.npy", allow_pickle=False)
            if [array.dtype.str, list(array.shape)] != manifest["arrays"][name]:
                return None
            arrays[name] = array
        return arrays
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_copy(folder: Path, key: str, arrays: dict) -> None:
    """Write the copy for ``key`` (best effort: a cache that cannot be written is no error)."""
    import numpy as np

    root = folder.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".partial-", dir=root))
    except OSError:
        return
    try:
        for name in _ARRAYS:
            with open(work / f"{name}.npy", "wb") as handle:
                np.save(handle, arrays[name], allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
        manifest = {"key": key, "arrays": {name: [arrays[name].dtype.str, list(arrays[name].shape)]
                                           for name in _ARRAYS}}
        with open(work / _MANIFEST, "w", encoding="utf-8") as handle:  # last: its presence marks a complete copy
            json.dump(manifest, handle)
            handle.flush()
            os.fsync(handle.fileno())
        if folder.exists() and _read_copy(folder, key) is None:
            shutil.rmtree(folder, ignore_errors=True)  # a damaged copy: replace it
        try:
            os.rename(work, folder)
        except OSError:
            return  # another process put its copy in place first
        for other in root.iterdir():
            # Copies of other models or py3langid versions, and folders left by killed writers.
            stale = (other.name.startswith(".partial-") and time.time() - other.stat().st_mtime > 3600
                     or not other.name.startswith(".") and other != folder)
            if stale and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
