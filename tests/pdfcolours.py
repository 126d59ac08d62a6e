"""What colours a PDF paints with: a walk over everything that can hold one (used by the PDF tests).

WeasyPrint labels a file PDF/X whatever colours it holds, so the label proves
nothing: :func:`rgb_uses` walks every content stream a PDF paints with (pages,
form XObjects, tiling patterns, annotation appearances), its images, inline
images, shadings, shading patterns and transparency groups.
"""
from __future__ import annotations

import pikepdf

RGB_FAMILIES = {"/DeviceRGB", "/RGB", "/CalRGB"}


def _is_rgb(space, resources=None) -> bool:
    """Whether a colour space (a name, a resource name or an array) paints in RGB."""
    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        name = str(space)
        if name in RGB_FAMILIES:
            return True
        named = (resources or {}).get("/ColorSpace", {}).get(name)
        return named is not None and _is_rgb(named)
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family in RGB_FAMILIES:
            return True
        if family == "/ICCBased":
            return int(space[1].get("/N")) == 3
        if family in ("/Indexed", "/I"):
            return _is_rgb(space[1], resources)
        if family in ("/Separation", "/DeviceN"):  # their alternate space
            return _is_rgb(space[2], resources)
        if family == "/Pattern" and len(space) > 1:
            return _is_rgb(space[1], resources)
    return False


def rgb_uses(pdf: pikepdf.Pdf) -> list[str]:
    """Every RGB colour the PDF paints with, where it is (empty when there is none)."""
    found: list[str] = []
    walked: set = set()

    def paint(obj, resources, where):
        """A content stream (page, form, tiling pattern, appearance) and the resources it can use."""
        if obj.objgen != (0, 0) and obj.objgen in walked:
            return
        walked.add(obj.objgen)
        if _is_rgb((obj.get("/Group") or {}).get("/CS")):
            found.append(f"{where}: transparency group in RGB")
        for name, shading in (resources.get("/Shading") or {}).items():
            if _is_rgb(shading.get("/ColorSpace"), resources):
                found.append(f"{where}: shading {name} in RGB")
        for name, pattern in (resources.get("/Pattern") or {}).items():
            if pattern.get("/PatternType") == 2:
                if _is_rgb(pattern.Shading.get("/ColorSpace"), resources):
                    found.append(f"{where}: shading pattern {name} in RGB")
            else:
                paint(pattern, pattern.get("/Resources") or resources, f"{where} pattern {name}")
        spaces = {"fill": None, "stroke": None}
        for item in pikepdf.parse_content_stream(obj):
            operator = str(item.operator)
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                if str(item.iimage.colorspace) in RGB_FAMILIES or item.iimage.mode == "RGB":
                    found.append(f"{where}: inline image in RGB")
            elif operator in ("rg", "RG"):
                found.append(f"{where}: {operator} {' '.join(str(v) for v in item.operands)}")
            elif operator in ("cs", "CS"):
                spaces["fill" if operator == "cs" else "stroke"] = item.operands[0]
            elif operator in ("sc", "scn", "SC", "SCN"):
                if _is_rgb(spaces["fill" if operator in ("sc", "scn") else "stroke"], resources):
                    found.append(f"{where}: {operator} in RGB")
            elif operator == "sh":
                if _is_rgb(resources.Shading[item.operands[0]].get("/ColorSpace"), resources):
                    found.append(f"{where}: sh in RGB")
            elif operator == "Do":
                xobject = resources.XObject[item.operands[0]]
                if xobject.Subtype == "/Image":
                    if not xobject.get("/ImageMask", False) and _is_rgb(xobject.get("/ColorSpace"), resources):
                        found.append(f"{where}: image {item.operands[0]} in RGB")
                else:
                    paint(xobject, xobject.get("/Resources") or resources, f"{where} form {item.operands[0]}")

    for number, page in enumerate(pdf.pages, 1):
        resources = page.obj.get("/Resources") or pikepdf.Dictionary()
        paint(page.obj, resources, f"page {number}")
        for annotation in page.obj.get("/Annots") or []:
            for appearance in (annotation.get("/AP") or {}).values():
                if isinstance(appearance, pikepdf.Stream):
                    paint(appearance, appearance.get("/Resources") or resources, f"page {number} annotation")
    return found
