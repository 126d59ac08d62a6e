"""Element names as every stage reads them, whatever parsed the tree (lxml, ElementTree, WeasyPrint)."""
from __future__ import annotations


def local_name(tag) -> str:
    """An element's tag without its namespace ("" for a comment or a processing instruction, whose tag
    is not a string)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
