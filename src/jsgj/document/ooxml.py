"""Reproducible Office files: openpyxl and python-docx stamp the time of saving into
the zip entries and docProps/core.xml, so the same report saved twice would differ.
``pinned`` rewrites the package with every stamp set to the as-of date."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def pinned(raw: bytes, on: dt.date) -> bytes:
    stamp = dt.datetime.combine(on, dt.time())
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (rb"dcterms:modified", rb"dcterms:created"):
                    data = re.sub(
                        rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                        rb"\g<1>" + iso + rb"\g<2>",
                        data,
                    )
            fixed = zipfile.ZipInfo(info.filename, date_time=(on.year, on.month, on.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()
