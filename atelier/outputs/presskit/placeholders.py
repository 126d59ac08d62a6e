"""What the press kit still lacks before it can be sent: contacts and an embargo that are placeholders.

Nothing in the kit is invented: a contact's person and phone, and the embargo's hour, are left
empty until someone gives them, and the kit prints « [… : à compléter] » where they go. This
module says how a placeholder is recognised and reports each one as a warning at its line of
``book.yaml``; a ``--strict`` build turns warnings into errors, so it refuses to publish such a kit.

A placeholder is:

- a contact without a named person (``person``) or without a phone (``phone``);
- a contact whose address is an example: a domain reserved for examples (``example.org``,
  ``example.com``, ``example.net``, anything under ``.example``, ``.test``, ``.invalid``) or the
  French ``exemple.org``, ``exemple.fr``, ``exemple.com`` the working edition uses;
- an embargo without its hour (``press.embargo.time`` empty).
"""
from __future__ import annotations

from ...errors import Problem, WARNING, shown_path
from ...labels import Labels
from ...model import Book

#: The class that marks a « [… à compléter] » in the kit's HTML (highlighted in a draft).
TODO_CLASS = "todo"
#: Domains that only ever stand for an address to come.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net", "exemple.org", "exemple.fr", "exemple.com")
EXAMPLE_SUFFIXES = (".example", ".test", ".invalid", ".localhost")


def is_example_address(email: str) -> bool:
    """Whether ``email`` is an example that must be replaced (see the module's list)."""
    domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
    return domain in EXAMPLE_DOMAINS or any(domain.endswith("." + d) for d in EXAMPLE_DOMAINS) \
        or domain.endswith(EXAMPLE_SUFFIXES)


def placeholders(book: Book, labels: Labels) -> list[Problem]:
    """A warning for every contact and for the embargo of ``book`` that are still placeholders."""
    press = book.meta.press
    if press is None:
        return []
    problems = []

    def warn(place: str, code: str, message: str) -> None:
        source = book.places.get(place) or book.places.get("press")
        path, line, column = (shown_path(source.path), source.line, source.column) if source else ("book.yaml", 0, 0)
        problems.append(Problem(path, line, column, code, message + " " + labels["presskit.placeholder_strict"],
                                WARNING))

    for index, contact in enumerate(press.contacts):
        missing = [labels[f"presskit.placeholder_{name}"] for name, empty in (
            ("person", not contact.person.strip()), ("phone", not contact.phone.strip()),
            ("email", is_example_address(contact.email))) if empty]
        if missing:
            warn(f"press.contacts.{index}", "CONTACT-A-COMPLETER",
                 labels.get("presskit.placeholder_contact", name=contact.name, missing=_listed(missing, labels)))
    if press.embargo is not None and not press.embargo.time:
        warn("press.embargo", "EMBARGO-A-COMPLETER", labels["presskit.placeholder_embargo"])
    return problems


def _listed(items: list[str], labels: Labels) -> str:
    """« a », « a et b », « a, b et c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {labels['presskit.and']} " + items[-1]
