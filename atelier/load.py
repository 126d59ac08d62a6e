"""Load stage: read and validate the whole content tree into a :class:`Book`.

Everything is checked before anything is rendered: YAML syntax, types,
required and unknown fields, duplicate ids, references between proposals,
axes, actors and scale levels, the ``contents`` list and chapter front
matter. All problems are collected and raised together.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ValidationError

from .errors import Collector, did_you_mean
from .figures import compute_figures
from .model import (GENERATED_ROLES, GENERATED_SECTIONS, Actor, Axis, Book, BookSchema, Chapter,
                    FrontMatterSchema, Generated, Level, Markdown, Proposal,
                    ProposalsSchema, Scale, Source)
from .yamlsource import DuplicateKey, SourceMap, YamlSyntaxError, read_yaml

BOOK_FILE = "book.yaml"
PROPOSALS_FILE = "propositions.yaml"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n", re.S | re.M)


def load_book(content_dir: Path) -> Book:
    """Read ``content_dir`` and return the validated book, or raise ContentError."""
    content_dir = Path(content_dir)
    errors = Collector(content_dir)
    meta, book_map = _read_model_with_map(content_dir / BOOK_FILE, BookSchema, errors)
    data = None
    if (content_dir / PROPOSALS_FILE).exists():
        data, smap = _read_model_with_map(content_dir / PROPOSALS_FILE, ProposalsSchema, errors)
    errors.raise_if_any()
    scales, actors, axes = _build_proposals(data, smap, errors) if data else ({}, (), ())
    contents = _build_contents(meta, book_map, content_dir, bool(data), errors)
    errors.raise_if_any()
    figures = compute_figures(axes, actors, scales, meta.facts)
    return Book(meta=meta, content_dir=content_dir, scales=scales, actors=actors,
                axes=axes, contents=contents, figures=figures)


# --- reading YAML into schemas ------------------------------------------------

def _read_model_with_map(path: Path, schema, errors: Collector, text: Optional[str] = None,
                         first_line: int = 1):
    if text is None:
        if not path.exists():
            errors.add(path, 1, 1, "FICHIER-MANQUANT", "ce fichier est introuvable.")
            return None, None
        text = path.read_text(encoding="utf-8")
    try:
        data, smap = read_yaml(text, path, first_line)
    except YamlSyntaxError as error:
        errors.add(path, error.line, error.column, "YAML-SYNTAXE", error.message)
        return None, None
    except DuplicateKey as error:
        errors.add(path, error.position.line, error.position.column, "CLE-DOUBLEE",
                   f"le champ « {error.key} » est écrit deux fois au même endroit.")
        return None, None
    if not isinstance(data, dict):
        errors.add(path, first_line, 1, "YAML-FORME", "le fichier doit contenir des champs « nom: valeur ».")
        return None, None
    try:
        return schema.model_validate(data), smap
    except ValidationError as error:
        _report_validation(error, schema, smap, errors, data)
        return None, smap


_TYPE_WORDS = {
    "string_type": "doit être un texte",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "bool_type": "doit valoir true (oui) ou false (non)",
    "bool_parsing": "doit valoir true (oui) ou false (non)",
    "list_type": "doit être une liste (lignes commençant par « - » ou [a, b])",
    "dict_type": "doit contenir des champs « nom: valeur »",
    "model_type": "doit contenir des champs « nom: valeur »",
    "date_type": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_parsing": "doit être une date au format AAAA-MM-JJ",
    "string_too_short": "ne doit pas être vide",
    "too_short": "doit contenir au moins un élément",
    "too_long": "contient trop d'éléments",
    "literal_error": "n'a pas une valeur permise",
}


def _report_validation(error: ValidationError, schema, smap: SourceMap, errors: Collector, data) -> None:
    for item in error.errors():
        location = tuple(item["loc"])
        name = next((str(part) for part in reversed(location) if not isinstance(part, int)), "")
        kind = item["type"]
        if kind == "missing":
            position = smap.at(location[:-1])
            errors.add(smap.path, position.line, position.column, "CHAMP-MANQUANT",
                       f"le champ obligatoire « {location[-1]} » manque{_inside(location[:-1], data)}.")
        elif kind == "extra_forbidden":
            position = smap.key_at(location)
            allowed = _allowed_fields(schema, location[:-1])
            suggestion = did_you_mean(location[-1], allowed)
            errors.add(smap.path, position.line, position.column, "CHAMP-INCONNU",
                       f"le champ « {location[-1]} » n'existe pas{_inside(location[:-1], data)}."
                       f"{suggestion} Champs possibles : {', '.join(allowed)}.")
        elif kind == "string_pattern_mismatch":
            position = smap.at(location)
            errors.add(smap.path, position.line, position.column, "VALEUR-INVALIDE",
                       f"« {item['input']} » n'est pas une valeur valide pour « {name} »"
                       f"{_inside(location[:-1], data)} ({_pattern_words(item['ctx']['pattern'])}).")
        else:
            position = smap.at(location)
            words = _TYPE_WORDS.get(kind, item["msg"])
            if kind == "literal_error":
                words += f" : {item['ctx']['expected'].replace(' or ', ' ou ')}"
            errors.add(smap.path, position.line, position.column, "TYPE-INVALIDE",
                       f"le champ « {name} »{_inside(location[:-1], data)} {words}.")


def _inside(location: tuple, data) -> str:
    """Where a field sits, in words: list items are named by their id when they have one."""
    if not location:
        return ""
    words, node = [], data
    for part in location:
        node = node[part] if isinstance(node, (dict, list)) else None
        if isinstance(part, int):
            label = node.get("id") if isinstance(node, dict) else None
            words[-1] += f" n° {part + 1}" + (f" (« {label} »)" if label else "")
        else:
            words.append(str(part))
    return " dans " + " > ".join(words)


def _pattern_words(pattern: str) -> str:
    if "uuid" in pattern:
        return "forme attendue : urn:uuid: suivi de 36 caractères"
    if pattern.startswith("^#"):
        return "couleur attendue sous la forme #rrggbb"
    if "[a-z0-9]" in pattern:
        return "lettres minuscules sans accent, chiffres et tirets seulement"
    return "forme attendue : " + pattern


def _allowed_fields(schema, location: tuple) -> list[str]:
    """The field names permitted at ``location`` inside ``schema``."""
    model = schema
    for part in location:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = _nested_model(annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _nested_model(annotation: Any):
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


# --- proposals, axes, actors, scales -----------------------------------------

def _build_proposals(data: ProposalsSchema, smap: SourceMap, errors: Collector):
    path = smap.path
    for section in ("actors", "axes", "proposals"):
        _check_unique_ids(getattr(data, section), (section,), smap, errors)
    scales = {}
    for key in ("cost", "ease"):
        scale = getattr(data.scales, key)
        _check_unique_ids(scale.levels, ("scales", key, "levels"), smap, errors)
        levels = tuple(Level(l.id, l.label, l.description, rank)
                       for rank, l in enumerate(scale.levels, start=1))
        scales[key] = Scale(key, scale.label, levels)
    actors = tuple(Actor(a.id, a.label, a.description) for a in data.actors)
    actors_by_id = {a.id: a for a in actors}
    axis_ids = [a.id for a in data.axes]

    checked = []
    for index, source in enumerate(data.proposals):
        where = ("proposals", index)
        ok = _check_reference(source.axis, axis_ids, "axe", where + ("axis",), smap, errors)
        for n, actor_id in enumerate(source.actors):
            ok &= _check_reference(actor_id, list(actors_by_id), "acteur", where + ("actors", n), smap, errors)
        for n, (actor_id, count) in enumerate(Counter(source.actors).items()):
            if count > 1:
                position = smap.at(where + ("actors",))
                errors.add(path, position.line, position.column, "ACTEUR-DOUBLE",
                           f"l'acteur « {actor_id} » est cité deux fois.")
        for key in ("cost", "ease"):
            level_ids = [level.id for level in scales[key].levels]
            ok &= _check_reference(getattr(source, key), level_ids, f"niveau de « {scales[key].label} »",
                                   where + (key,), smap, errors)
        if ok:
            checked.append((index, source))

    axes, number = [], 0
    for axis_index, axis in enumerate(data.axes):
        members = []
        for index, source in checked:
            if source.axis != axis.id:
                continue
            number += 1
            members.append(Proposal(
                number=number, id=source.id, axis_id=axis.id, title=source.title,
                summary=source.summary,
                actors=tuple(actors_by_id[a] for a in source.actors),
                cost=scales["cost"].level(source.cost), ease=scales["ease"].level(source.ease),
                highlight=source.highlight,
                body=_markdown(source.body, smap, ("proposals", index, "body"))))
        if not any(source.axis == axis.id for source in data.proposals):
            position = smap.at(("axes", axis_index))
            errors.add(path, position.line, position.column, "AXE-VIDE",
                       f"l'axe « {axis.id} » ne contient aucune proposition.")
        axes.append(Axis(number=axis_index + 1, id=axis.id, title=axis.title,
                         short_title=axis.short_title or axis.title, colour=axis.colour,
                         introduction=_markdown(axis.introduction, smap, ("axes", axis_index, "introduction")),
                         proposals=tuple(members)))
    return scales, actors, tuple(axes)


def _markdown(text: str, smap: SourceMap, location: tuple) -> Markdown:
    position = smap.at(location)
    return Markdown(text, Source(smap.path, position.text_line, position.text_column))


def _check_unique_ids(items, location: tuple, smap: SourceMap, errors: Collector) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.id in seen:
            position = smap.at(location + (index, "id"))
            first = smap.at(location + (seen[item.id], "id"))
            errors.add(smap.path, position.line, position.column, "ID-DOUBLE",
                       f"l'identifiant « {item.id} » est déjà utilisé ligne {first.line} ; "
                       "chaque identifiant doit être unique.")
        else:
            seen[item.id] = index


def _check_reference(value: str, known: list[str], what: str, location: tuple,
                     smap: SourceMap, errors: Collector) -> bool:
    if value in known:
        return True
    position = smap.at(location)
    errors.add(smap.path, position.line, position.column, "REFERENCE-INCONNUE",
               f"{what} « {value} » inconnu.{did_you_mean(value, known)} Valeurs possibles : {', '.join(known)}.")
    return False


# --- contents and chapters -----------------------------------------------------

def _build_contents(meta: BookSchema, smap: SourceMap, content_dir: Path, has_proposals: bool,
                    errors: Collector):
    items = []
    for index, entry in enumerate(meta.contents):
        position = smap.at(("contents", index))
        line, column = position.line, position.column
        if entry in GENERATED_SECTIONS:
            if entry in ("proposals", "summary", "actor-index") and not has_proposals:
                errors.add(content_dir / BOOK_FILE, line, column, "SECTION-IMPOSSIBLE",
                           f"la section « {entry} » demande un fichier {PROPOSALS_FILE}, absent.")
            items.append(Generated(entry, GENERATED_ROLES[entry]))
            continue
        chapter = _read_chapter(content_dir, entry, line, column, errors)
        if chapter:
            items.append(chapter)
    ids = Counter(item.id for item in items)
    for item_id, count in ids.items():
        if count > 1:
            errors.add(content_dir / BOOK_FILE, 1, 1, "CONTENU-DOUBLE",
                       f"« {item_id} » apparaît {count} fois dans « contents ».")
    return tuple(items)


def _read_chapter(content_dir: Path, entry: str, line: int, column: int, errors: Collector):
    book_file = content_dir / BOOK_FILE
    path = (content_dir / entry)
    if not entry.endswith(".md"):
        errors.add(book_file, line, column, "CONTENU-INCONNU",
                   f"« {entry} » n'est ni un fichier .md ni une section générée "
                   f"({', '.join(GENERATED_SECTIONS)}).")
        return None
    if not path.resolve().is_relative_to(content_dir.resolve()):
        errors.add(book_file, line, column, "CHEMIN-INTERDIT",
                   f"« {entry} » sort du dossier de contenu.")
        return None
    if not path.is_file():
        errors.add(book_file, line, column, "FICHIER-MANQUANT", f"le chapitre « {entry} » est introuvable.")
        return None
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if not match:
        errors.add(path, 1, 1, "ENTETE-MANQUANTE",
                   "le chapitre doit commencer par un en-tête entre deux lignes « --- » "
                   "contenant au moins « title: … ».")
        return None
    front, _ = _read_model_with_map(path, FrontMatterSchema, errors, text=match.group(1), first_line=2)
    if front is None:
        return None
    body_line = text[:match.end()].count("\n") + 1
    return Chapter(id=path.stem, title=front.title, short_title=front.short_title or front.title,
                   role=front.role, type=front.type,
                   body=Markdown(text[match.end():], Source(path, body_line, 1)))
