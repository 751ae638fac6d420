"""The Unicode font of Accord's PDFs.

reportlab's built-in Helvetica has no "ł", "ő" or "č"; Fira Sans (OFL), shipped as the Python package
fontpkg-fira-sans, covers Latin Extended-A and is embedded, so PDFs need neither system fonts nor the
network and look the same on every machine.
"""

from functools import cache
from importlib.resources import files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "AccordSans"
BOLD = f"{FONT}-Bold"
ITALIC = f"{FONT}-Italic"
BOLD_ITALIC = f"{FONT}-BoldItalic"


@cache
def register_fonts() -> None:
    """Register the family once per process; call it before building a document."""
    folder = files("fontpkg_fira_sans") / "files"
    faces = {FONT: "Regular", BOLD: "Bold", ITALIC: "Italic", BOLD_ITALIC: "BoldItalic"}
    for name, face in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / f"FiraSans-{face}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
