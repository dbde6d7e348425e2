"""Old and open office files into the formats the plan readers read: a Word 97-2003
``.doc``, an ``.rtf`` or an OpenDocument ``.odt`` becomes ``.docx``; an Excel 97-2003
``.xls`` or an ``.ods`` becomes ``.xlsx``.

LibreOffice does it (``soffice --headless --convert-to``), the way its maintainers
document for batch conversion: in a temporary folder of its own (the file, the result and
a private user profile, so that conversions running at once, or a LibreOffice the
machine's user has open, do not share a profile), with a timeout after which the whole
process group is killed (``soffice`` starts ``soffice.bin`` as a child). Nothing is left
on disk. Where LibreOffice is not installed, :class:`ConversionError` says so
(``no_converter``) and the caller asks for the file saved as .docx or .xlsx.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# The file types the readers name (``PlanFileError.file_type``) → what they become.
CONVERTIBLE = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx", "ods": "xlsx"}
CONVERT_SECONDS = 60  # LibreOffice's start is a few seconds of it on a slow machine
PROGRAMS = ("soffice", "libreoffice")


class ConversionError(Exception):
    """``reason``: ``no_converter`` (LibreOffice is not installed) or ``failed`` (it gave
    no result in time, or none at all); ``detail`` is for the log."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def converter() -> str | None:
    """The LibreOffice program on this machine's PATH, if any."""
    return next((path for name in PROGRAMS if (path := shutil.which(name))), None)


def convert(data: bytes, file_type: str, seconds: float = CONVERT_SECONDS) -> tuple[bytes, str]:
    """``data`` of ``file_type`` (a key of :data:`CONVERTIBLE`) as (the converted bytes,
    their extension without the dot). Raises :class:`ConversionError`."""
    target = CONVERTIBLE[file_type]
    program = converter()
    if program is None:
        raise ConversionError("no_converter")
    with tempfile.TemporaryDirectory(prefix="dondoc-convert-") as folder:
        work = Path(folder)
        source = work / f"plan.{file_type}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed whole on a timeout
        )
        try:
            _out, errors = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError("failed", f"no result after {seconds:.0f} s") from exc
        result = work / "out" / f"plan.{target}"
        if not result.is_file():
            detail = errors.decode("utf-8", "replace").strip()[-300:]
            raise ConversionError("failed", f"exit {process.returncode}: {detail}")
        log.info("converted a .%s file to .%s (%d bytes)", file_type, target, len(data))
        return result.read_bytes(), target
