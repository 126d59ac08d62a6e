"""Load stage: read and validate the whole content tree into a :class:`Book`.

Everything is checked before anything is rendered: encoding, YAML syntax,
types, required and unknown fields, duplicate ids, references between
proposals, axes, actors and scale levels, the ``contents`` list and chapter
front matter. Each list item is checked on its own, so one broken proposal
does not hide the problems of the others, and :func:`read_book` returns
whatever could be read together with every problem found, so that the
markup stage can add its own problems to the same report.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from num2words import CONVERTER_CLASSES
from pydantic import BaseModel, ValidationError

from ..errors import Collector, did_you_mean
from ..labels import available_languages
from ..model import (Actor, ActorSchema, Axis, AxisSchema, Book, BookSchema, Chapter, FrontMatterSchema,
                     Generated, Level, Markdown, Proposal, ProposalSchema, ProposalsSchema, Release, ReleaseSchema,
                     Scale, ScaleSchema, Source, SourcesSchema, proposal_schema)
from ..sections import SECTIONS
from . import formats
from .figures import COMPUTED_NAMES, compute_figures
from .sources import SOURCES_FILE
from .text import plain_words, read_text
from .yamlsource import DuplicateKey, SourceMap, YamlSyntaxError, YamlValueError, read_yaml

BOOK_FILE = "book.yaml"
PROPOSALS_FILE = "propositions.yaml"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n", re.S | re.M)
#: Something that looks like an HTML tag, in a field that is plain text.
TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?")


def load_book(content_dir: Path) -> Book:
    """Read ``content_dir`` and return the validated book, or raise ContentError."""
    book, errors = read_book(content_dir)
    errors.raise_if_any()
    return book


def read_book(content_dir: Path) -> tuple[Optional[Book], Collector]:
    """Read ``content_dir``: the book as far as it could be built, and every problem found."""
    content_dir = Path(content_dir)
    errors = Collector()
    meta, book_map = _read_book_file(content_dir / BOOK_FILE, errors)
    content_format = formats.declared(meta, book_map, errors) if meta is not None else formats.CURRENT
    data = _read_proposals_file(content_dir / PROPOSALS_FILE, errors, content_format)
    if meta is None:
        return None, errors
    scales, actors, axes = data if data else ({}, (), ())
    contents = _build_contents(meta, book_map, content_dir, data is not None, errors)
    _warn_unlisted_chapters(content_dir, meta, errors)
    _check_language(meta.language, book_map, errors)
    _check_facts(meta.facts, book_map, errors)
    _check_release(meta, book_map, errors)
    _check_plain_text(meta, book_map, ("title", "short_title", "publisher", "edition", "subtitle"), errors)
    figures = compute_figures(axes, actors, scales, meta.facts)
    press, release = _read_press(meta, book_map, content_dir, [a.id for a in actors] if data else None,
                                 [a.id for a in axes] if data else None, errors)
    _check_print(meta, book_map, content_dir, errors)
    sources = _book_sources(meta, book_map)
    if release is not None:
        sources["press.release.title"] = release.headline
    book = Book(meta=meta, content_dir=content_dir, scales=scales, actors=actors,
                axes=axes, contents=contents, figures=figures,
                sources=sources, press=press, release=release, places=_press_places(meta, book_map),
                references=_read_sources(content_dir / SOURCES_FILE, errors))
    return book, errors


# --- reading YAML into schemas ------------------------------------------------

def _read_yaml(path: Path, errors: Collector, text: Optional[str] = None, first_line: int = 1):
    """The data and source map of a YAML file (or of ``text`` found in it), or (None, None)."""
    if text is None:
        if not path.exists():
            errors.add(path, 1, 1, "FICHIER-MANQUANT", "ce fichier est introuvable.")
            return None, None
        text = read_text(path, errors)
        if text is None:
            return None, None
    try:
        data, smap = read_yaml(text, path, first_line)
    except YamlSyntaxError as error:
        errors.add(path, error.line, error.column, "YAML-SYNTAXE", error.message)
        return None, None
    except YamlValueError as error:
        errors.add(path, error.line, error.column, error.code, error.message)
        return None, None
    except DuplicateKey as error:
        errors.add(path, error.position.line, error.position.column, "CLE-DOUBLEE",
                   f"le champ « {error.key} » est écrit deux fois au même endroit.")
        return None, None
    if not isinstance(data, dict):
        errors.add(path, first_line, 1, "YAML-FORME", "le fichier doit contenir des champs « nom: valeur ».")
        return None, None
    return data, smap


def _validate(schema, value, smap: SourceMap, errors: Collector, root: Any, prefix: tuple = (),
              choices: Optional[dict[str, list[str]]] = None):
    """``value`` checked against ``schema`` (found at ``prefix`` in the file), or None."""
    try:
        return schema.model_validate(value)
    except ValidationError as error:
        _report_validation(error, schema, smap, errors, root, prefix, choices or {})
        return None


def _read_sources(path: Path, errors: Collector):
    """The entries of sources.yaml (None when the content has no such file)."""
    if not path.exists():
        return None
    data, smap = _read_yaml(path, errors)
    top = _validate(SourcesSchema, data, smap, errors, data) if data is not None else None
    if top is None:
        return ()
    seen: dict[str, int] = {}
    for index, entry in enumerate(top.references):
        if entry.cite in seen:
            where = smap.at(("references", index, "cite"))
            first = smap.at(("references", seen[entry.cite], "cite")).line
            errors.add(path, where.line, where.column, "SOURCE-DOUBLEE",
                       f"« {entry.cite} » a déjà une entrée, ligne {first} : gardez-en une seule.")
        seen.setdefault(entry.cite, index)
        if entry.kind == "code" and not entry.code.strip():
            where = smap.at(("references", index, "kind"))
            errors.add(path, where.line, where.column, "SOURCE-CODE",
                       f"l'article « {entry.cite} » est d'un code : écrivez son nom dans « code ».")
    return tuple(top.references)


def _read_book_file(path: Path, errors: Collector):
    data, smap = _read_yaml(path, errors)
    if data is None:
        return None, None
    return _validate(BookSchema, data, smap, errors, data), smap


def _read_proposals_file(path: Path, errors: Collector, content_format: int = formats.CURRENT):
    """Scales, actors and axes (with their proposals) of propositions.yaml, or None."""
    if not path.exists():
        return None
    data, smap = _read_yaml(path, errors)
    if data is None:
        return None
    top = _validate(ProposalsSchema, data, smap, errors, data)
    if top is None:
        return None
    return _build_proposals(top, data, smap, errors, content_format)


_TYPE_WORDS = {
    "string_type": "doit être un texte",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "bool_type": "doit valoir true (oui) ou false (non)",
    "bool_parsing": "doit valoir true (oui) ou false (non)",
    "list_type": "doit être une liste (lignes commençant par « - » ou [a, b])",
    "dict_type": "doit contenir des champs « nom: valeur »",
    "model_type": "doit contenir des champs « nom: valeur »",
    "model_attributes_type": "doit contenir des champs « nom: valeur »",
    "date_type": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "doit être une date au format AAAA-MM-JJ, sans heure",
    "date_parsing": "doit être une date au format AAAA-MM-JJ",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "est trop long",
    "too_short": "doit contenir au moins {min_length} élément(s)",
    "too_long": "contient trop d'éléments (au plus {max_length})",
    "literal_error": "n'a pas une valeur permise",
}


def _report_validation(error: ValidationError, schema, smap: SourceMap, errors: Collector, root,
                       prefix: tuple, choices: dict[str, list[str]]) -> None:
    for item in error.errors():
        relative = tuple(item["loc"])
        location = prefix + relative
        name = next((str(part) for part in reversed(location) if not isinstance(part, int)), "")
        kind = item["type"]
        where = _inside(location[:-1], root)
        if kind == "missing":
            position = smap.at(location[:-1])
            errors.add(smap.path, position.line, position.column, "CHAMP-MANQUANT",
                       f"le champ obligatoire « {location[-1]} » manque{where}.")
        elif kind == "extra_forbidden":
            position = smap.key_at(location)
            allowed = _allowed_fields(schema, relative[:-1])
            errors.add(smap.path, position.line, position.column, "CHAMP-INCONNU",
                       f"le champ « {location[-1]} » n'existe pas{where}."
                       f"{did_you_mean(location[-1], allowed)} Champs possibles : {', '.join(allowed)}.")
        elif name in choices:
            position = smap.at(location)
            errors.add(smap.path, position.line, position.column, "VALEUR-INVALIDE",
                       f"« {item['input']} » n'est pas une valeur permise pour « {name} »{where} ; "
                       f"valeurs possibles : {', '.join(choices[name])}.")
        elif kind == "string_pattern_mismatch":
            position = smap.at(location)
            errors.add(smap.path, position.line, position.column, "VALEUR-INVALIDE",
                       f"« {item['input']} » n'est pas une valeur valide pour « {name} »"
                       f"{where} ({_pattern_words(item['ctx']['pattern'])}).")
        else:
            position = smap.at(location)
            words = _TYPE_WORDS.get(kind, item["msg"]).format(**item.get("ctx", {}))
            if kind == "literal_error":
                words += f" : {item['ctx']['expected'].replace(' or ', ' ou ')}"
            errors.add(smap.path, position.line, position.column, "TYPE-INVALIDE",
                       f"le champ « {name} »{where} {words}.")


def _inside(location: tuple, data) -> str:
    """Where a field sits, in words: list items are named by their id when they have one."""
    if not location:
        return ""
    words, node = [], data
    for part in location:
        try:
            node = node[part] if isinstance(node, (dict, list)) else None
        except (KeyError, IndexError):
            node = None
        if isinstance(part, int) and words:
            label = node.get("id") if isinstance(node, dict) else None
            words[-1] += f" n° {part + 1}" + (f" (« {label} »)" if isinstance(label, str) else "")
        else:
            words.append(str(part))
    return " dans " + " > ".join(words)


def _pattern_words(pattern: str) -> str:
    if "[0-9A-Za-z]" in pattern:
        return "chiffres et lettres sans accent, séparés par des points ou des tirets (ex. 1.0, 0.9-relecture)"
    if "uuid" in pattern:
        return "forme attendue : urn:uuid: suivi de 36 caractères"
    if pattern.startswith("^#"):
        return "couleur attendue sous la forme #rrggbb"
    if "[a-z0-9]" in pattern:
        return "lettres minuscules sans accent, chiffres et tirets seulement"
    if "[a-z]{2}" in pattern and "@" not in pattern:
        return "code de langue attendu, par exemple fr ou fr-CA"
    if pattern.startswith("^(([01]"):
        return "heure attendue sous la forme HH:MM, par exemple 10:00 ; laissez vide si elle n'est pas encore fixée"
    if pattern.startswith("^https://"):
        return "adresse attendue sous la forme https://…, sans espace"
    return "forme attendue : " + pattern


def _allowed_fields(schema, location: tuple) -> list[str]:
    """The field names permitted at ``location`` inside ``schema``."""
    model = schema
    for part in location:
        if isinstance(part, int):
            continue
        if part not in model.model_fields:
            return []
        model = _nested_model(model.model_fields[part].annotation)
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

def _build_proposals(top: ProposalsSchema, data: dict, smap: SourceMap, errors: Collector,
                     content_format: int = formats.CURRENT):
    scales = _build_scales(top, data, smap, errors, content_format)
    actor_items = _valid_items(top.actors, ActorSchema, "actors", data, smap, errors)
    axis_items = _valid_items(top.axes, AxisSchema, "axes", data, smap, errors)
    for section, items in (("actors", actor_items), ("axes", axis_items)):
        _check_unique_ids(items, section, smap, errors)
        for index, item in items:
            _check_plain_text(item, smap, ("label", "title", "short_title"), errors, (section, index))
    actors = tuple(Actor(a.id, a.label, a.description) for _, a in actor_items)
    actors_by_id = {a.id: a for a in actors}
    schema = proposal_schema(scales)
    choices = {key: [level.id for level in scale.levels] for key, scale in scales.items()}
    proposal_items = _valid_items(top.proposals, schema, "proposals", data, smap, errors, choices)
    _check_unique_ids(proposal_items, "proposals", smap, errors)

    # An item that failed its own checks is still a known name: citing it is not a second mistake.
    known = {"axes": _raw_ids(top.axes), "actors": _raw_ids(top.actors)}
    members: dict[str, list] = {axis.id: [] for _, axis in axis_items}
    for index, source in proposal_items:
        _check_plain_text(source, smap, ("title", "summary"), errors, ("proposals", index))
        _check_exergue(source, smap, errors, ("proposals", index))
        if (_check_proposal_references(index, source, known, scales, smap, errors)
                and source.axis in members and all(a in actors_by_id for a in source.actors)):
            members[source.axis].append((index, source))

    axes, number = [], 0
    for axis_index, axis in axis_items:
        proposals = []
        for index, source in members[axis.id]:
            number += 1
            proposals.append(Proposal(
                number=number, id=source.id, axis_id=axis.id, title=source.title, summary=source.summary,
                actors=tuple(actors_by_id[a] for a in dict.fromkeys(source.actors)),
                levels={key: scale.level(getattr(source, key)) for key, scale in scales.items()},
                highlight=source.highlight, body=_markdown(source.body, smap, ("proposals", index, "body")),
                exergue=source.exergue or ""))
        if not any(source.axis == axis.id for _, source in proposal_items):
            position = smap.at(("axes", axis_index))
            errors.add(smap.path, position.line, position.column, "AXE-VIDE",
                       f"l'axe « {axis.id} » ne contient aucune proposition.")
        axes.append(Axis(number=len(axes) + 1, id=axis.id, title=axis.title,
                         short_title=axis.short_title or axis.title, colour=axis.colour,
                         introduction=_markdown(axis.introduction, smap, ("axes", axis_index, "introduction")),
                         proposals=tuple(proposals)))
    return scales, actors, tuple(axes)


def _build_scales(top: ProposalsSchema, data: dict, smap: SourceMap, errors: Collector,
                  content_format: int = formats.CURRENT) -> dict[str, Scale]:
    scales = {}
    for key, value in top.scales.items():
        scale = _validate(ScaleSchema, value, smap, errors, data, ("scales", key))
        if scale is None:
            continue
        if key in ProposalSchema.model_fields:
            position = smap.key_at(("scales", key))
            errors.add(smap.path, position.line, position.column, "ECHELLE-NOM",
                       f"« {key} » est déjà un champ des propositions ; donnez un autre nom à cette échelle.")
            continue
        _check_unique_ids(list(enumerate(scale.levels)), ("scales", key, "levels"), smap, errors)
        levels = tuple(Level(l.id, l.label, l.description, rank) for rank, l in enumerate(scale.levels, 1))
        figure = formats.figure_prefix(key, scale.figure, content_format)
        if figure != (scale.figure or key):  # read as an earlier format meant it: say what to write now
            position = smap.key_at(("scales", key))
            errors.warn(smap.path, position.line, position.column, "FORMAT-ANCIEN",
                        f"au format 1, les chiffres de l'échelle « {key} » s'appelaient [={figure}.…] ; pour le "
                        f"format {formats.CURRENT}, ajoutez « figure: {figure} » à cette échelle.")
        scales[key] = Scale(key, scale.label, figure, levels, scale.pictogram)
    return scales


def _valid_items(items: list, schema, section: str, data: dict, smap: SourceMap, errors: Collector,
                 choices: Optional[dict] = None) -> list[tuple[int, Any]]:
    """(index, item) of the items of ``section`` that pass ``schema``; the others are reported."""
    valid = []
    for index, value in enumerate(items):
        item = _validate(schema, value, smap, errors, data, (section, index), choices)
        if item is not None:
            valid.append((index, item))
    return valid


def _raw_ids(items: list) -> list[str]:
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _check_proposal_references(index: int, source, known: dict[str, list[str]],
                               scales: dict[str, Scale], smap: SourceMap, errors: Collector) -> bool:
    where = ("proposals", index)
    ok = _check_reference(source.axis, known["axes"], "axe", where + ("axis",), smap, errors)
    for n, actor_id in enumerate(source.actors):
        ok &= _check_reference(actor_id, known["actors"], "acteur", where + ("actors", n), smap, errors)
    for actor_id, count in Counter(source.actors).items():
        if count > 1:
            position = smap.at(where + ("actors",))
            errors.add(smap.path, position.line, position.column, "ACTEUR-DOUBLE",
                       f"l'acteur « {actor_id} » est cité deux fois.")
    for key, scale in scales.items():
        ok &= _check_reference(getattr(source, key), [level.id for level in scale.levels],
                               f"niveau de « {scale.label} »", where + (key,), smap, errors)
    return ok


def _check_exergue(source, smap: SourceMap, errors: Collector, location: tuple) -> None:
    """A proposal's exergue must be a sentence of its own text, word for word (notes, links and
    emphasis aside): an exergue quotes, it never rewrites."""
    if source.exergue and plain_words(source.exergue) not in plain_words(_markdown_words(source.body)):
        position = smap.at(location + ("exergue",))
        errors.add(smap.path, position.line, position.column, "EXERGUE-INTROUVABLE",
                   f"l'exergue de la proposition « {source.id} » ne se trouve pas dans son texte : une exergue "
                   f"cite une phrase du texte, mot pour mot (« {source.exergue[:60]} »).")


def _markdown_words(text: str) -> str:
    """Markdown's text without its marks: notes' calls, links' addresses, emphasis."""
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return text.replace("*", "")


def _markdown(text: str, smap: SourceMap, location: tuple) -> Markdown:
    position = smap.at(location)
    return Markdown(text, Source(smap.path, position.text_line, position.text_column))


def _check_unique_ids(items: list[tuple[int, Any]], section, smap: SourceMap, errors: Collector) -> None:
    location = section if isinstance(section, tuple) else (section,)
    seen: dict[str, int] = {}
    for index, item in items:
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


def _check_plain_text(item, smap: SourceMap, names: tuple[str, ...], errors: Collector,
                      location: tuple = ()) -> None:
    """Titles, labels and summaries are plain text: a tag there is a mistake, reported where it is."""
    for name in names:
        value = getattr(item, name, "")
        match = TAG.search(value) if isinstance(value, str) else None
        if match:
            position = smap.at(location + (name,))
            errors.add(smap.path, position.line, position.column, "TEXTE-BALISE",
                       f"« {match.group(0)} » : le champ « {name} » est du texte simple, sans balise HTML "
                       "ni mise en forme.")


# --- book.yaml checks ------------------------------------------------------------

def _check_language(language: str, smap: SourceMap, errors: Collector) -> None:
    base = language.split("-")[0]
    if base in available_languages() and base in CONVERTER_CLASSES:
        return
    position = smap.at(("language",))
    errors.add(smap.path, position.line, position.column, "LANGUE-INCONNUE",
               f"la langue « {language} » n'est pas prise en charge par la chaîne ; "
               f"langues possibles : {', '.join(available_languages())}.")


def _check_facts(facts: dict[str, int], smap: SourceMap, errors: Collector) -> None:
    """A declared fact may not take the name of a figure computed from the data."""
    for name in facts:
        if name in COMPUTED_NAMES:  # fact names have no dot, so only these can clash
            position = smap.key_at(("facts", name))
            errors.add(smap.path, position.line, position.column, "CHIFFRE-RESERVE",
                       f"« {name} » est un chiffre calculé à partir des données ; un chiffre déclaré "
                       "ne peut pas le remplacer. Choisissez un autre nom.")


def _check_release(meta: BookSchema, smap: SourceMap, errors: Collector) -> None:
    """A version is released on or after the date of the work it is a version of."""
    if meta.release_date is not None and meta.release_date < meta.date:
        position = smap.at(("release_date",))
        errors.add(smap.path, position.line, position.column, "VERSION-DATE",
                   f"la version est datée du {meta.release_date.isoformat()}, avant la date de publication de "
                   f"l'ouvrage ({meta.date.isoformat()}) : release_date est la date de cette version, "
                   "toujours postérieure ou égale à date.")


def _book_sources(meta: BookSchema, smap: SourceMap) -> dict[str, Markdown]:
    """The fields of book.yaml that may hold figures, with where their text starts."""
    sources = {}
    for name in ("subtitle", "description"):
        position = smap.at((name,))
        sources[name] = Markdown(getattr(meta, name), Source(smap.path, position.text_line,
                                                             position.text_column), folded=True)
    for index, extract in enumerate(meta.press.extracts if meta.press else ()):
        if extract.introduction:
            position = smap.at(("press", "extracts", index, "introduction"))
            sources[f"press.extracts.{index}.introduction"] = Markdown(
                extract.introduction, Source(smap.path, position.text_line, position.text_column), folded=True)
    return sources


# --- the press kit ----------------------------------------------------------------

#: The press kit's texts, by the field of ``press`` that names their file.
PRESS_TEXTS = ("release", "faq", "about")


def _read_press(meta: BookSchema, smap: SourceMap, content_dir: Path, actor_ids: Optional[list[str]],
                axis_ids: Optional[list[str]], errors: Collector) -> tuple[dict[str, Chapter], Optional[Release]]:
    """The press kit's texts (Markdown with a front matter, like chapters) and the release's parts
    around its body; its extracts and its embargo checked."""
    if meta.press is None:
        return {}, None
    texts, release = {}, None
    for name in PRESS_TEXTS:
        position = smap.at(("press", name))
        if name == "release":
            found = _read_chapter(content_dir, meta.press.release, position.line, position.column, errors,
                                  schema=ReleaseSchema)
            if found is not None:
                texts[name], release = found
            continue
        text = _read_chapter(content_dir, getattr(meta.press, name), position.line, position.column, errors)
        if text is not None:
            texts[name] = text
    seen: dict[str, int] = {}
    for index, extract in enumerate(meta.press.extracts):
        position = smap.at(("press", "extracts", index))
        if (extract.actor is None) == (extract.axis is None):
            errors.add(smap.path, position.line, position.column, "EXTRAIT-CIBLE",
                       "un extrait réunit les propositions d'un acteur (« actor: … ») ou celles d'une partie "
                       "(« axis: … ») : donnez l'un des deux, pas les deux.")
            continue
        if extract.actor is not None:
            position = smap.at(("press", "extracts", index, "actor"))
            if actor_ids is not None and extract.actor not in actor_ids:
                errors.add(smap.path, position.line, position.column, "EXTRAIT-ACTEUR",
                           f"l'extrait est destiné à l'acteur « {extract.actor} », qui n'existe pas dans "
                           f"{PROPOSALS_FILE}.{did_you_mean(extract.actor, actor_ids)} "
                           f"Acteurs possibles : {', '.join(actor_ids)}.")
        else:
            position = smap.at(("press", "extracts", index, "axis"))
            if axis_ids is not None and extract.axis not in axis_ids:
                errors.add(smap.path, position.line, position.column, "EXTRAIT-PARTIE",
                           f"l'extrait réunit la partie « {extract.axis} », qui n'existe pas dans "
                           f"{PROPOSALS_FILE}.{did_you_mean(extract.axis, axis_ids)} "
                           f"Parties possibles : {', '.join(axis_ids)}.")
        file = extract.file or f"extrait-{extract.actor or extract.axis}"
        if file in seen:
            errors.add(smap.path, position.line, position.column, "EXTRAIT-DOUBLE",
                       f"le fichier d'extrait « {file}.pdf » est déjà produit par l'extrait de la ligne "
                       f"{seen[file]} ; donnez-lui un autre nom (champ « file »).")
        seen.setdefault(file, position.line)
    embargo = meta.press.embargo
    if embargo is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(embargo.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            position = smap.at(("press", "embargo", "timezone"))
            errors.add(smap.path, position.line, position.column, "EMBARGO-FUSEAU",
                       f"« {embargo.timezone} » n'est pas un fuseau horaire connu ; écrivez-le comme "
                       "Europe/Paris, America/Martinique ou Indian/Reunion.")
        dateline = meta.press.date or meta.date
        if embargo.date < dateline:
            position = smap.at(("press", "embargo", "date"))
            errors.add(smap.path, position.line, position.column, "EMBARGO-DATE",
                       f"l'embargo se lève le {embargo.date.isoformat()}, avant la date du communiqué "
                       f"({dateline.isoformat()}, champ « press > date ») : un texte ne peut pas être sous embargo "
                       "avant d'être envoyé.")
    return texts, release


#: A proposal cited in a piece of Markdown: ``[@id]`` (the markup stage checks that the id exists).
CITED = re.compile(r"\[@[^\]|\s]+")


def _release(front: ReleaseSchema, smap: SourceMap, errors: Collector) -> Release:
    """The release's parts around its body, each with its place in the file; its key messages checked."""
    def piece(text: str, location: tuple) -> Markdown:
        position = smap.at(location)
        return Markdown(text, Source(smap.path, position.text_line, position.text_column), folded=True)

    messages = tuple(piece(text, ("key_messages", index)) for index, text in enumerate(front.key_messages))
    if 0 < len(messages) < 3:
        position = smap.key_at(("key_messages",))
        errors.add(smap.path, position.line, position.column, "MESSAGES-NOMBRE",
                   f"le communiqué a {len(messages)} message(s) clé(s) : donnez-en de trois à cinq, ou aucun.")
    for index, message in enumerate(messages):
        if not CITED.search(message.text):
            position = smap.at(("key_messages", index))
            errors.add(smap.path, position.line, position.column, "MESSAGE-SANS-PROPOSITION",
                       "ce message clé ne nomme aucune proposition : citez celle qu'il annonce par un renvoi "
                       "[@identifiant] (le communiqué imprime son numéro et sa page dans le livre).")
    return Release(headline=piece(front.title, ("title",)),
                   standfirst=piece(front.standfirst, ("standfirst",)) if front.standfirst.strip() else None,
                   key_messages=messages,
                   about=piece(front.about, ("about",)) if front.about.strip() else None)


def _press_places(meta: BookSchema, smap: SourceMap) -> dict[str, Source]:
    """Where the press fields a later stage may report on are written (contacts, embargo)."""
    if meta.press is None:
        return {}
    places = {}
    for index in range(len(meta.press.contacts)):
        places[f"press.contacts.{index}"] = smap.at(("press", "contacts", index))
    # The embargo's hour where it is written, else the line that opens the embargo.
    time = ("press", "embargo", "time")
    places["press.embargo"] = smap.values.get(time) or smap.key_at(("press", "embargo"))
    places["press"] = smap.key_at(("press",))
    return {name: Source(smap.path, position.line, position.column) for name, position in places.items()}


def _check_print(meta: BookSchema, smap: SourceMap, content_dir: Path, errors: Collector) -> None:
    """A printer's own profile must be a CMYK ICC profile in the content folder, with its condition named."""
    settings = meta.print
    if settings.profile is None:
        return
    position = smap.at(("print", "profile"))
    path = (content_dir / settings.profile).resolve()
    if not path.is_relative_to(content_dir.resolve()) or not path.is_file():
        errors.add(smap.path, position.line, position.column, "PROFIL-INTROUVABLE",
                   f"le profil « {settings.profile} » est introuvable dans le dossier de contenu ; placez le "
                   "fichier .icc que l'imprimeur a fourni dans le dossier de contenu (ex. icc/).")
        return
    try:
        from PIL import ImageCms

        space = ImageCms.getOpenProfile(str(path)).profile.xcolor_space.strip()
    except Exception:  # noqa: BLE001  (a damaged or foreign file)
        space = ""
    if space != "CMYK":
        errors.add(smap.path, position.line, position.column, "PROFIL-CMJN",
                   f"« {settings.profile} » n'est pas un profil ICC CMJN ; demandez à l'imprimeur le profil de "
                   "sa presse et de son papier.")
    if not settings.condition:
        errors.add(smap.path, position.line, position.column, "PROFIL-CONDITION",
                   "avec un profil fourni, donnez aussi le nom de sa condition d'impression (« condition », ex. "
                   "FOGRA51) : le PDF/X la nomme.")


# --- contents and chapters -----------------------------------------------------

def _build_contents(meta: BookSchema, smap: SourceMap, content_dir: Path, has_proposals: bool,
                    errors: Collector):
    items, first_seen = [], {}
    book_file = content_dir / BOOK_FILE
    for index, entry in enumerate(meta.contents):
        position = smap.at(("contents", index))
        line, column = position.line, position.column
        if entry in first_seen:
            errors.add(book_file, line, column, "CONTENU-DOUBLE",
                       f"« {entry} » apparaît déjà ligne {first_seen[entry]} dans « contents ».")
            continue
        first_seen[entry] = line
        if entry in SECTIONS:
            section = SECTIONS[entry]
            if section.needs_proposals and not has_proposals:
                errors.add(book_file, line, column, "SECTION-IMPOSSIBLE",
                           f"la section « {entry} » demande un fichier {PROPOSALS_FILE} valide.")
            items.append(Generated(section))
            continue
        chapter = _read_chapter(content_dir, entry, line, column, errors)
        if chapter is None:
            continue
        if any(isinstance(i, Chapter) and i.id == chapter.id for i in items):
            errors.add(book_file, line, column, "CONTENU-DOUBLE",
                       f"deux chapitres portent le nom « {chapter.id} » ; renommez l'un des fichiers.")
            continue
        items.append(chapter)
    return tuple(items)


def _read_chapter(content_dir: Path, entry: str, line: int, column: int, errors: Collector, schema=None):
    """The chapter ``entry``, or None; with another front matter ``schema`` (the press release's),
    the chapter and what that front matter makes of it."""
    book_file = content_dir / BOOK_FILE
    path = content_dir / entry
    if not entry.endswith(".md"):
        errors.add(book_file, line, column, "CONTENU-INCONNU",
                   f"« {entry} » n'est ni un fichier .md ni une section générée ({', '.join(SECTIONS)})."
                   + did_you_mean(entry, SECTIONS))
        return None
    if not path.resolve().is_relative_to(content_dir.resolve()):
        errors.add(book_file, line, column, "CHEMIN-INTERDIT", f"« {entry} » sort du dossier de contenu.")
        return None
    if not path.is_file():
        errors.add(book_file, line, column, "FICHIER-MANQUANT", f"le chapitre « {entry} » est introuvable.")
        return None
    text = read_text(path, errors)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        errors.add(path, 1, 1, "ENTETE-MANQUANTE",
                   "le chapitre doit commencer par un en-tête entre deux lignes « --- » "
                   "contenant au moins « title: … ».")
        return None
    data, smap = _read_yaml(path, errors, text=match.group(1), first_line=2)
    front = _validate(schema or FrontMatterSchema, data, smap, errors, data) if data is not None else None
    if front is None:
        return None
    _check_plain_text(front, smap, ("title",) if schema else ("title", "short_title"), errors)
    body_line = text[:match.end()].count("\n") + 1
    chapter = Chapter(id=path.stem, title=front.title, short_title=getattr(front, "short_title", "") or front.title,
                      role=getattr(front, "role", "body"), type=getattr(front, "type", ""),
                      body=Markdown(text[match.end():], Source(path, body_line, 1)))
    if schema is ReleaseSchema:
        return chapter, _release(front, smap, errors)
    return chapter


def _warn_unlisted_chapters(content_dir: Path, meta: BookSchema, errors: Collector) -> None:
    """A chapter file that ``contents`` does not list is probably forgotten: say so."""
    listed = {(content_dir / entry).resolve() for entry in meta.contents}
    for path in sorted((content_dir / "chapters").glob("**/*.md")):
        if path.resolve() not in listed:
            errors.warn(path, 1, 1, "CHAPITRE-NON-LISTE",
                        f"ce chapitre n'est pas dans « contents » de {BOOK_FILE} : il ne sera pas publié.")
