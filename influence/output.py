"""Writing results: atomic writes, no silent overwrites, never over an input.

Every command and every ``write`` method goes through :func:`atomic_write`, so a crash or a full
disk never leaves half a file, an existing output is kept unless ``force=True``, and an input
file is never overwritten (even with ``force``).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_write", "check_output", "write_table", "TABLE_FORMATS"]

TABLE_FORMATS = ("table", "csv", "json", "xlsx")


def check_output(path, *, force: bool = False, inputs=()) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``.

    Examples
    --------
    >>> from influence.output import check_output
    >>> check_output("out.csv", inputs=["out.csv"])
    Traceback (most recent call last):
    ...
    influence.errors.OutputError: Refusing to write out.csv: it is one of the inputs. Fix: choose another output name.
    """
    path = Path(path)
    for src in inputs:
        if src is not None and any(_same(path, f) for f in _input_files(Path(src))):
            raise OutputError(f"Refusing to write {path}: it is one of the inputs. "
                              "Fix: choose another output name.")
    if path.exists() and not force:
        raise OutputError(f"{path} already exists. Fix: choose another name, or pass --force "
                          "(force=True) to overwrite it.")
    return path


def _input_files(src: Path) -> list:
    """The files an input stands for: itself, and for a folder of CSVs (or one CSV of it, which
    reads the whole folder) the actors/ties CSVs beside it."""
    from .io import ACTOR_SHEETS, TIE_SHEETS

    folder = src if src.is_dir() else (
        src.parent if src.suffix.lower() == ".csv" and src.stem.lower() in
        ACTOR_SHEETS + TIE_SHEETS else None)
    if folder is None:
        return [src]
    names = {f"{n}.csv" for n in ACTOR_SHEETS + TIE_SHEETS}
    return [src] + [f for f in folder.iterdir() if f.name.lower() in names]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:  # pragma: no cover
        return False


@contextmanager
def atomic_write(path, *, force: bool = False, inputs=(), mode: str = "w", encoding="utf-8"):
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    Yields a file object (text by default, ``mode="wb"`` for bytes). ``mode=None`` yields the
    temporary *path* instead, for libraries that insist on writing a file themselves.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from influence.output import atomic_write
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
    >>> with atomic_write(out) as fh:
    ...     _ = fh.write("hello")
    >>> out.read_text()
    'hello'
    """
    path = check_output(path, force=force, inputs=inputs)
    if path.is_dir():
        raise OutputError(f"Cannot write {path}: it is a folder. Fix: give a file name, "
                          f"e.g. {path / ('out' + (path.suffix or '.csv'))}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix,
                                   dir=path.parent)
    except OSError as exc:
        raise _os_error(path, exc) from None
    os.close(fd)
    try:
        if mode is None:
            yield Path(tmp)
        else:
            kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
            with open(tmp, mode, **kwargs) as fh:
                yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):  # disk full, permission denied ...: no traceback
            raise _os_error(path, exc) from None
        raise


def _os_error(path, exc) -> OutputError:
    """An OSError while writing ``path`` as an OutputError naming the cause and the fix."""
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return OutputError(f"Cannot write {path}: {blocker} is a file, not a folder. "
                           "Fix: choose another output name.")
    return OutputError(f"Cannot write {path}: {exc.strerror or exc}. Fix: check that you may "
                       f"write in {path.parent} and that the disk is not full, or choose "
                       "another output name.")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_table(frame, path, *, fmt: str | None = None, force: bool = False, inputs=(),
                sheet_name: str = "table") -> Path:
    """Write a DataFrame as CSV, JSON (records) or XLSX, atomically.

    ``fmt`` defaults to the file's extension. ``private_*`` columns are dropped.
    """
    from .schema import PRIVATE_PREFIX

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith(PRIVATE_PREFIX)])
    frame = _plain(frame)
    if fmt == "csv":
        with atomic_write(path, force=force, inputs=inputs) as fh:
            frame.to_csv(fh)
    elif fmt == "json":
        with atomic_write(path, force=force, inputs=inputs) as fh:
            fh.write(frame_to_json(frame))
    elif fmt == "xlsx":
        with atomic_write(path, force=force, inputs=inputs, mode=None) as tmp:
            frame.to_excel(tmp, sheet_name=sheet_name[:31], engine="openpyxl")
    else:
        raise OutputError(f"Unknown output format {fmt!r}. Fix: use one of csv, json, xlsx.")
    return path


def _plain(frame):
    """Turn tuple cells (e.g. ``themes``) into ';'-joined text for flat formats."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object and frame[col].map(lambda x: isinstance(x, (tuple, list))).any():
            frame[col] = frame[col].map(lambda x: ";".join(map(str, x))
                                        if isinstance(x, (tuple, list)) else x)
    return frame


def frame_to_json(frame) -> str:
    """Records JSON with the index as a column, NaN as null, dates as ISO strings."""
    out = frame.reset_index() if frame.index.name or not frame.index.equals(
        __import__("pandas").RangeIndex(len(frame))) else frame
    return out.to_json(orient="records", date_format="iso", indent=2, force_ascii=False)
