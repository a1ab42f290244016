"""What the PDF tests read from a printed PDF (pypdf): its fonts, whether they are embedded."""

from typing import Any

from pypdf import PdfReader


def fonts_of(reader: PdfReader) -> list[dict]:
    """Every font of every page, with whether its program is embedded."""
    found: list[dict] = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in descendants:
                descriptor = part.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                found.append(
                    {
                        "name": str(part.get("/BaseFont")),
                        "embedded": any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                    }
                )
    return found
