"""The typed objects of the pipeline, and nothing else.

Two layers live here. The *schemas* (pydantic models) say, for every field
an editor may write in ``book.yaml``, ``propositions.yaml`` and chapter front
matter, its type, its default and what it means; unknown keys are refused.
The *book* (frozen dataclasses) is what the loader hands to later stages:
validated, cross-checked, numbered.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: Generated sections that may appear in ``contents`` besides chapter files.
GENERATED_SECTIONS = {
    "titlepage": "page de titre",
    "toc": "table des matières",
    "proposals": "les parties et leurs propositions",
    "summary": "tableau récapitulatif des propositions",
    "actor-index": "index des propositions par acteur",
}


#: Where each generated section sits in the book (front, body or back matter).
GENERATED_ROLES = {"titlepage": "front", "toc": "front", "proposals": "body",
                   "summary": "back", "actor-index": "back"}


class Schema(BaseModel):
    """Base of every editor-facing schema: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- book.yaml ---------------------------------------------------------------

class Identifiers(Schema):
    """Identifiers of the publication."""

    uuid: Annotated[str, StringConstraints(pattern=r"^urn:uuid:[0-9a-f-]{36}$")] = Field(
        description="Identifiant unique et stable de la publication (urn:uuid:…), requis par l'EPUB.")
    isbn_print: Optional[str] = Field(None, description="ISBN de l'édition imprimée, s'il existe.")
    isbn_epub: Optional[str] = Field(None, description="ISBN de l'édition numérique, s'il existe.")


class Cover(Schema):
    """How the generated cover looks."""

    background: Colour = Field("#1d3557", description="Couleur de fond de la couverture.")
    text: Colour = Field("#ffffff", description="Couleur du texte de la couverture.")
    accent: Colour = Field("#e63946", description="Couleur d'accent (filets, sous-titre).")


class BookSchema(Schema):
    """``content/book.yaml``: metadata and order of the publication."""

    title: Text = Field(description="Titre de la publication.")
    subtitle: str = Field("", description="Sous-titre ; peut contenir des chiffres calculés [=…].")
    short_title: str = Field("", description="Titre court pour les titres courants (par défaut le titre).")
    slug: Slug = Field(description="Nom de base des fichiers produits (lettres minuscules, chiffres, tirets).")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = Field(
        "fr", description="Langue de la publication (code BCP 47, ex. fr).")
    authors: list[Text] = Field(min_length=1, description="Auteurs (personnes ou institutions).")
    publisher: Text = Field(description="Éditeur.")
    date: datetime.date = Field(description="Date de publication (AAAA-MM-JJ).")
    edition: str = Field("", description="Mention d'édition, ex. « Édition de travail ».")
    identifiers: Identifiers = Field(description="Identifiants (uuid obligatoire, ISBN facultatifs).")
    rights: Text = Field(description="Mention des droits.")
    description: Text = Field(description="Résumé de la publication (métadonnées, quatrième de couverture).")
    keywords: list[Text] = Field(default_factory=list, description="Mots-clés (métadonnées).")
    cover: Cover = Field(default_factory=Cover, description="Apparence de la couverture générée.")
    facts: dict[Slug, int] = Field(default_factory=dict,
                                   description="Chiffres déclarés de la publication, citables avec [=nom].")
    contents: list[Text] = Field(min_length=1, description=(
        "Ordre du livre : fichiers de chapitres (chapters/x.md) ou sections générées "
        "(titlepage, toc, proposals, summary, actor-index)."))


# --- propositions.yaml -------------------------------------------------------

class LevelSchema(Schema):
    """One level of a scale."""

    id: Slug = Field(description="Identifiant du niveau, utilisé dans les propositions.")
    label: Text = Field(description="Nom du niveau tel qu'il s'affiche.")
    description: Text = Field(description="Ce que ce niveau signifie.")


class ScaleSchema(Schema):
    """An ordered scale (cost, ease of implementation)."""

    label: Text = Field(description="Nom de l'échelle tel qu'il s'affiche.")
    levels: list[LevelSchema] = Field(min_length=2, max_length=5,
                                      description="Niveaux, du plus bas au plus haut.")


class ScalesSchema(Schema):
    """The two scales each proposal is evaluated on."""

    cost: ScaleSchema = Field(description="Échelle du coût.")
    ease: ScaleSchema = Field(description="Échelle de la facilité de mise en œuvre.")


class ActorSchema(Schema):
    """One addressee of the proposals."""

    id: Slug = Field(description="Identifiant de l'acteur.")
    label: Text = Field(description="Nom affiché.")
    description: str = Field("", description="Rôle de l'acteur (une phrase).")


class AxisSchema(Schema):
    """One part of the proposals."""

    id: Slug = Field(description="Identifiant de l'axe.")
    title: Text = Field(description="Titre de la partie.")
    short_title: str = Field("", description="Titre court pour les titres courants.")
    colour: Colour = Field(description="Couleur de la partie (#rrggbb).")
    introduction: Text = Field(description="Introduction de la partie, en Markdown.")


class ProposalSchema(Schema):
    """One proposal. Its number comes from its place, never from the file."""

    id: Slug = Field(description="Identifiant stable, utilisé pour les renvois [@id].")
    axis: Slug = Field(description="Identifiant de l'axe auquel elle appartient.")
    title: Text = Field(description="Titre court commençant par un verbe d'action.")
    summary: Text = Field(description="Résumé en une phrase.")
    actors: list[Slug] = Field(min_length=1, description="Acteurs auxquels elle s'adresse.")
    cost: Slug = Field(description="Niveau de coût (un identifiant de l'échelle cost).")
    ease: Slug = Field(description="Niveau de facilité (un identifiant de l'échelle ease).")
    highlight: bool = Field(False, description="Proposition phare, à montrer en premier.")
    body: Text = Field(description="Corps en Markdown : Constat, Proposition, Mise en œuvre.")


class ProposalsSchema(Schema):
    """``content/propositions.yaml``."""

    scales: ScalesSchema
    actors: list[ActorSchema] = Field(min_length=1)
    axes: list[AxisSchema] = Field(min_length=1)
    proposals: list[ProposalSchema] = Field(min_length=1)


class FrontMatterSchema(Schema):
    """YAML front matter of a chapter file."""

    title: Text = Field(description="Titre du chapitre.")
    short_title: str = Field("", description="Titre court pour les titres courants.")
    role: Literal["front", "body", "back"] = Field(
        "body", description="Place dans le livre : front (liminaire), body (corps), back (annexes).")
    type: str = Field("", description="Nature sémantique facultative (foreword, introduction, glossary, colophon…).")


# --- the validated book ------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """Where a piece of Markdown starts: file, first line and column of its text."""

    path: Path
    line: int
    column: int


@dataclass(frozen=True)
class Markdown:
    """Markdown text with its position in the content, for precise messages."""

    text: str
    source: Source


@dataclass(frozen=True)
class Level:
    """A level of a scale, with its rank (1 = lowest)."""

    id: str
    label: str
    description: str
    rank: int


@dataclass(frozen=True)
class Scale:
    """An ordered scale."""

    key: str
    label: str
    levels: tuple[Level, ...]

    def level(self, level_id: str) -> Level:
        """The level called ``level_id``."""
        return next(level for level in self.levels if level.id == level_id)


@dataclass(frozen=True)
class Actor:
    """An addressee of the proposals."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Proposal:
    """A numbered proposal."""

    number: int
    id: str
    axis_id: str
    title: str
    summary: str
    actors: tuple[Actor, ...]
    cost: Level
    ease: Level
    highlight: bool
    body: Markdown


@dataclass(frozen=True)
class Axis:
    """A part of the book with its proposals."""

    number: int
    id: str
    title: str
    short_title: str
    colour: str
    introduction: Markdown
    proposals: tuple[Proposal, ...]


@dataclass(frozen=True)
class Chapter:
    """A Markdown chapter."""

    id: str
    title: str
    short_title: str
    role: str
    type: str
    body: Markdown


@dataclass(frozen=True)
class Generated:
    """A section the pipeline writes from the data (toc, proposals, summary, actor-index)."""

    id: str
    role: str


@dataclass(frozen=True)
class Book:
    """Everything the later stages need, validated."""

    meta: BookSchema
    content_dir: Path
    scales: dict[str, Scale]
    actors: tuple[Actor, ...]
    axes: tuple[Axis, ...]
    contents: tuple[Union[Chapter, Generated], ...]
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        """All proposals in number order."""
        return tuple(p for axis in self.axes for p in axis.proposals)

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """The Markdown chapters in book order."""
        return tuple(item for item in self.contents if isinstance(item, Chapter))
