"""The pages of a layout: the only code that reads or edits WeasyPrint's laid-out boxes.

WeasyPrint lays a document out into pages of boxes; several stages need to know what those
pages hold (where each printed page begins, for the EPUB; which pages are too empty; which
lines are loose) and a few must change them (a page number put right, space spread on a short
page, a page kept for an extract). This package walks a laid-out document once into a plain
page model (:mod:`atelier.pages.model`: pages, lines, roles, boundaries, notes) and offers those
few edits (:mod:`atelier.pages.edits`: numbers, space, pruned pages, words added in a margin), each compared in the tests with WeasyPrint's own drawing.
The roles it reads come from the templates (``data-role``, :mod:`atelier.pages.roles`).
Every other stage reads and edits pages through it; :func:`check_versions` refuses a WeasyPrint
or pydyf it was not checked against.
"""
from .edits import (correct_numbers, forget_annotations, mirror_rectos, move_down, proposal_owners, pruned_page,
                    with_margin_boxes)
from .guard import check_versions
from .model import Boundary, Line, Page, Pages
from .read import Reading, read

__all__ = ["Boundary", "Line", "Page", "Pages", "Reading", "check_versions", "correct_numbers",
           "forget_annotations", "mirror_rectos", "move_down", "proposal_owners", "pruned_page", "read",
           "with_margin_boxes"]
