"""Every HTML id the pipeline writes, made in one place (file names are the editions', :mod:`atelier.editions`).

Each kind of thing has its own prefix, and the generated sections have
fixed names without any of those prefixes, so two things can never share
an id (nor a file, in an edition that names its files after them),
whatever the editors call their files.
"""
from __future__ import annotations

#: Prefixes reserved for ids made from editors' names; nothing else may start with them.
PREFIXES = ("chapitre-", "axe-", "prop-", "acteur-", "titre-", "folio-")


def chapter(chapter_id: str) -> str:
    """The id of a chapter's section."""
    return f"chapitre-{chapter_id}"


def axis(axis_id: str) -> str:
    """The id of a part's section."""
    return f"axe-{axis_id}"


def proposal(proposal_id: str) -> str:
    """The id of a proposal's block, the target of every citation."""
    return f"prop-{proposal_id}"


def actor(actor_id: str) -> str:
    """The id of an actor's entry in the index."""
    return f"acteur-{actor_id}"


def title(anchor: str) -> str:
    """The id of the heading of the section ``anchor`` (for aria-labelledby)."""
    return f"titre-{anchor}"


def page(number: int) -> str:
    """The id of the EPUB's marker where page ``number`` of the printed book begins."""
    return f"folio-{number}"
