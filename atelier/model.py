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
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, create_model

from . import anchors
from .sections import SECTIONS, Section

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: An address readers follow: https only (a web page, a file to download).
Https = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s\"'<>\\]+$")]


def _clock(value: Any) -> Any:
    """YAML 1.1 reads an unquoted ``10:00`` as the number 600 (minutes, in base 60): give it back as « 10:00 »."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


#: An hour of the day, « HH:MM » (24 h), or empty when it is still to be given.
Clock = Annotated[str, BeforeValidator(_clock), StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$")]

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


class ContactSchema(Schema):
    """One press contact, printed on the press kit's cover, release and press page.

    Nothing here is ever invented: a field left empty is printed « à compléter » in a draft build,
    and a ``--strict`` build refuses to publish a kit with such a contact (see README, « Le kit de presse »)."""

    name: Text = Field(description="Nom du service ou de la fonction, ex. « Service de presse ».")
    person: str = Field("", description=(
        "Nom et prénom de la personne à joindre (porte-parole, attaché·e de presse) ; vide : à compléter."))
    role: str = Field("", description="Fonction, ex. « Relations presse ».")
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] = Field(
        description="Adresse électronique ; une adresse d'exemple (exemple.org, example.com…) est à remplacer.")
    phone: str = Field("", description="Téléphone, tel qu'il doit s'afficher (ex. « 01 23 45 67 89 ») ; vide : à compléter.")


class ExtractSchema(Schema):
    """One extract of the press kit: the proposals addressed to one actor, or those of one part."""

    actor: Optional[Slug] = Field(None, description=(
        "Identifiant de l'acteur (dans propositions.yaml, « actors ») : l'extrait réunit les propositions "
        "qui s'adressent à lui. Donnez « actor » ou « axis », pas les deux."))
    axis: Optional[Slug] = Field(None, description=(
        "Identifiant d'une partie (dans propositions.yaml, « axes ») : l'extrait réunit toutes ses propositions, "
        "à qui qu'elles s'adressent."))
    file: Optional[Slug] = Field(None, description=(
        "Nom du fichier PDF, sans .pdf (par défaut « extrait-<acteur> » ou « extrait-<partie> »)."))
    introduction: str = Field("", description=(
        "Introduction de l'extrait, en texte simple ; peut contenir des chiffres calculés [=…] "
        "(par défaut, une phrase générée à partir des données)."))


class EmbargoSchema(Schema):
    """Until when the press may not publish: a date, an hour and its time zone."""

    date: datetime.date = Field(description="Jour de levée de l'embargo (AAAA-MM-JJ).")
    time: Clock = Field("", description=(
        "Heure de levée de l'embargo, « HH:MM » (ex. 10:00) ; vide : à compléter (un kit sans heure "
        "d'embargo n'est pas publié avec --strict)."))
    timezone: Text = Field("Europe/Paris", description="Fuseau horaire de l'heure (nom IANA, ex. Europe/Paris).")


class QuoteSchema(Schema):
    """A quotation for the release, given by the person quoted: never written for them."""

    text: Text = Field(description="Les mots cités, tels que la personne les a donnés (sans guillemets).")
    name: Text = Field(description="Prénom et nom de la personne citée.")
    role: str = Field("", description="Sa fonction, ex. « directrice générale de … ».")


class PressSchema(Schema):
    """The press kit: its date, embargo, address, contacts, quote, texts and audience extracts."""

    date: Optional[datetime.date] = Field(None, description=(
        "Date du communiqué et du dossier de presse, celle de la ligne « Paris, le … » (AAAA-MM-JJ ; par "
        "défaut, la date de publication)."))
    embargo: Optional[EmbargoSchema] = Field(None, description=(
        "Embargo : date, heure et fuseau horaire de sa levée (facultatif). Les textes sont écrits pour être "
        "lus à sa levée : la forme [~avant|après] y prend la première forme si l'embargo se lève au plus tard "
        "le jour de la publication (« date »), la seconde s'il se lève après."))
    url: Optional[Https] = Field(None, description=(
        "Adresse publique de l'espace presse (https://…/, là où index.html du kit est servi). Avec elle, les "
        "communiqués, le dossier et l'espace presse renvoient à cette page et à chaque fichier ; sans elle, ils "
        "ne parlent d'aucune adresse."))
    contacts: list[ContactSchema] = Field(min_length=1, description="Contacts presse.")
    quote: Optional[QuoteSchema] = Field(None, description=(
        "Citation du communiqué : « text », « name », « role ». Facultative : sans elle, le communiqué n'a pas "
        "de citation (la chaîne n'en écrit jamais à la place de quelqu'un)."))
    release: Text = Field("presse/communique.md", description="Fichier Markdown du communiqué de presse.")
    faq: Text = Field("presse/questions.md", description="Fichier Markdown des questions fréquentes.")
    about: Text = Field("presse/fondation.md", description="Fichier Markdown de la présentation de l'éditeur.")
    extracts: list[ExtractSchema] = Field(default_factory=list, description=(
        "Extraits : un PDF par acteur (« actor ») ou par partie (« axis »), avec ses propositions."))


class PrintSchema(Schema):
    """The printed edition: the printing condition (its CMYK profile), the paper, the inks authored in CMYK."""

    paper: Literal["fogra39", "fogra29"] = Field("fogra39", description=(
        "Condition d'impression : fogra39 (offset, papier couché, par défaut) ou fogra29 (offset, papier "
        "non couché). Elle choisit le profil CMJN du PDF imprimeur, livré dans styles/icc/."))
    profile: Optional[Text] = Field(None, description=(
        "Profil ICC CMJN fourni par l'imprimeur (chemin dans le dossier de contenu, ex. icc/PSOcoated_v3.icc) ; "
        "remplace « paper »."))
    condition: str = Field("", description=(
        "Nom de la condition d'impression de ce profil tel que l'imprimeur le donne (ex. FOGRA51), écrit dans le "
        "PDF/X ; obligatoire avec « profile »."))
    sheet_thickness_mm: float = Field(0.1, gt=0, le=1, description=(
        "Épaisseur d'une feuille (deux pages) en millimètres, pour la largeur du dos de la couverture "
        "(0,1 mm pour un offset de 90 g environ ; demandez-la à l'imprimeur)."))
    inks: dict[Colour, tuple[float, float, float, float]] = Field(default_factory=dict, description=(
        "Couleurs choisies en CMJN par le graphiste : « \"#16324f\": [1, 0.6, 0, 0.5] » (encres de 0 à 1). "
        "Elles sont imprimées telles quelles ; toute autre couleur est convertie par le profil."))


class WebSchema(Schema):
    """The web edition: where the site is published, and what it offers to download."""

    url: Optional[Annotated[str, StringConstraints(pattern=r"^https://[^\s/?#]+(/[^\s?#]*)?$")]] = Field(None, description=(
        "Adresse du site une fois publié, en https:// (ex. https://exemple.org/livre-blanc/) : chaque page "
        "donne alors son adresse canonique et l'image de sa carte de partage, et le site a un sitemap.xml. "
        "Sans elle, le site fonctionne partout, sans ces adresses."))
    printer_pdf: bool = Field(False, description=(
        "Proposer aussi le PDF imprimeur (PDF/X-4, CMJN) parmi les téléchargements du site."))


class BookSchema(Schema):
    """``content/book.yaml``: metadata and order of the publication."""

    format: Optional[int] = Field(None, ge=1, description=(
        "Version du format du contenu dans laquelle ces fichiers sont écrits (voir CHANGELOG.md) ; "
        "absente : la version actuelle, avec un avertissement."))
    title: Text = Field(description="Titre de la publication.")
    subtitle: str = Field("", description="Sous-titre ; peut contenir des chiffres calculés [=…].")
    short_title: str = Field("", description="Titre court pour les titres courants (par défaut le titre).")
    slug: Slug = Field(description="Nom de base des fichiers produits (lettres minuscules, chiffres, tirets).")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = Field(
        "fr", description="Langue de la publication (code BCP 47, ex. fr).")
    authors: list[Text] = Field(min_length=1, description="Auteurs (personnes ou institutions).")
    publisher: Text = Field(description="Éditeur.")
    date: datetime.date = Field(description=(
        "Date de publication de l'ouvrage (AAAA-MM-JJ), celle de la page de titre ; pour un ouvrage présenté "
        "avant d'être diffusé, la date de sa présentation. Chaque version de cette édition a la sienne : "
        "release_date."))
    edition: str = Field("", description=(
        "Mention d'édition, ex. « Édition de travail : textes provisoires » : sur la page de titre, et au pied "
        "de chaque page imprimée et de chaque document du livre numérique."))
    edition_short: str = Field("", description=(
        "Mention d'édition courte, ajoutée entre parenthèses au titre que les liseuses, les visionneuses de "
        "PDF et les catalogues affichent : « Titre (édition de travail) » (par défaut : le titre seul)."))
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$", max_length=20)] = Field(
        "", description=(
            "Version de cette édition, ex. « 0.9 » ou « 1.0 » : à changer à chaque diffusion d'un fichier "
            "modifié. Elle figure, avec sa date, sur la page de mentions légales et au colophon "
            "(par défaut : aucune version affichée)."))
    release_date: Optional[datetime.date] = Field(None, description=(
        "Date de cette version (AAAA-MM-JJ ; par défaut, la date de publication) : date de modification du "
        "livre numérique (dcterms:modified) et des PDF, avec la version sur les mentions légales et au "
        "colophon. Une même version donne toujours les mêmes fichiers."))
    identifiers: Identifiers = Field(description="Identifiants (uuid obligatoire, ISBN facultatifs).")
    rights: Text = Field(description="Mention des droits.")
    credits: list[Text] = Field(default_factory=list, description=(
        "Crédits de la page de mentions légales, une ligne chacun (conception, mise en pages, polices…)."))
    printer: str = Field("", description="Imprimeur (nom et ville), pour l'édition imprimée.")
    legal_deposit: str = Field("", description="Dépôt légal, ex. « novembre 2024 ».")
    description: Text = Field(description="Résumé de la publication (métadonnées, quatrième de couverture).")
    keywords: list[Text] = Field(default_factory=list, description="Mots-clés (métadonnées).")
    cover: Cover = Field(default_factory=Cover, description="Apparence de la couverture générée.")
    logo: Optional[Text] = Field(None, description=(
        "Logo de l'éditeur (image SVG ou PNG du dossier de contenu, ex. images/logo.svg), imprimé sur la "
        "couverture et la quatrième de couverture ; absent : pas de logo."))
    facts: dict[Slug, int] = Field(default_factory=dict,
                                   description="Chiffres déclarés de la publication, citables avec [=nom].")
    contents: list[Text] = Field(min_length=1, description=(
        "Ordre du livre : fichiers de chapitres (chapters/x.md) ou sections générées ("
        + ", ".join(SECTIONS) + ")."))
    press: Optional[PressSchema] = Field(None, description=(
        "Dossier de presse (facultatif) : date, embargo, contacts, textes et extraits par public."))
    print: PrintSchema = Field(default_factory=PrintSchema, description=(
        "Édition imprimée : condition d'impression (profil CMJN), papier, encres données en CMJN."))
    web: WebSchema = Field(default_factory=WebSchema, description=(
        "Édition web : adresse du site publié (url) et téléchargements proposés (printer_pdf)."))

    @property
    def metadata_title(self) -> str:
        """The title the files declare (PDF Title, EPUB dc:title): the title, with the short edition mention."""
        return f"{self.title} ({self.edition_short})" if self.edition_short else self.title

    @property
    def released(self) -> datetime.date:
        """The date of this version of the edition: ``release_date``, else the publication ``date``."""
        return self.release_date or self.date

    @property
    def modified(self) -> datetime.datetime:
        """When the files of this version were last modified, as their metadata says (midnight UTC of
        :attr:`released`): the same version gives the same bytes, a new one a new date."""
        return datetime.datetime.combine(self.released, datetime.time(0, 0), tzinfo=datetime.timezone.utc)


# --- propositions.yaml -------------------------------------------------------

class LevelSchema(Schema):
    """One level of a scale."""

    id: Slug = Field(description="Identifiant du niveau, utilisé dans les propositions.")
    label: Text = Field(description="Nom du niveau tel qu'il s'affiche.")
    description: Text = Field(description="Ce que ce niveau signifie.")


class ScaleSchema(Schema):
    """An ordered scale each proposal is rated on (cost, ease of implementation…)."""

    label: Text = Field(description="Nom de l'échelle tel qu'il s'affiche.")
    figure: Optional[Slug] = Field(None, description=(
        "Préfixe des chiffres de cette échelle dans le texte : « cout » donne [=cout.faible] "
        "(par défaut, l'identifiant de l'échelle)."))
    levels: list[LevelSchema] = Field(min_length=2, max_length=5,
                                      description="Niveaux, du plus bas au plus haut.")
    pictogram: Literal["euros", "bars", "dots", "none"] = Field("dots", description=(
        "Pictogramme du niveau dans l'encadré de chaque proposition : « euros » (€ à €€€, pour un "
        "coût), « bars » (barres croissantes, pour une facilité), « dots » (points), « none » (le mot seul)."))


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
    """One proposal. Its number comes from its place, never from the file.

    Besides these fields, a proposal gives its level on every scale, under
    the scale's identifier (``cost: faible``): see :func:`proposal_schema`.
    """

    id: Slug = Field(description="Identifiant stable, utilisé pour les renvois [@id].")
    axis: Slug = Field(description="Identifiant de l'axe auquel elle appartient.")
    title: Text = Field(description="Titre court commençant par un verbe d'action.")
    summary: Text = Field(description="Résumé en une phrase.")
    actors: list[Slug] = Field(min_length=1, description="Acteurs auxquels elle s'adresse.")
    highlight: bool = Field(False, description="Proposition phare, à montrer en premier.")
    body: Text = Field(description="Corps en Markdown : Constat, Proposition, Mise en œuvre.")
    exergue: Optional[Text] = Field(None, description="Une phrase entière de son texte, citée en exergue quand "
                                    "sa dernière page garde un blanc ; sans elle, la chaîne en choisit une.")


def proposal_schema(scales: dict[str, "ScaleSchema"]) -> type[ProposalSchema]:
    """The proposal schema of a publication: the fixed fields plus one level field per scale."""
    fields = {key: (Slug, Field(description=f"Niveau sur l'échelle « {scale.label} » (identifiant de niveau)."))
              for key, scale in scales.items()}
    return create_model("ProposalSchema", __base__=ProposalSchema, **fields)


class ProposalsSchema(Schema):
    """``content/propositions.yaml``: its sections. Each item is checked on its own schema,
    so that one broken proposal does not hide the problems of the others."""

    scales: dict[Slug, Any] = Field(min_length=1, description=(
        "Les échelles sur lesquelles chaque proposition est évaluée (schéma : ScaleSchema), "
        "par identifiant : cost, ease…"))
    actors: list[Any] = Field(min_length=1, description="Les destinataires (schéma : ActorSchema).")
    axes: list[Any] = Field(min_length=1, description="Les parties (schéma : AxisSchema).")
    proposals: list[Any] = Field(min_length=1, description="Les propositions (schéma : ProposalSchema).")


class FrontMatterSchema(Schema):
    """YAML front matter of a chapter file."""

    title: Text = Field(description="Titre du chapitre.")
    short_title: str = Field("", description="Titre court pour les titres courants.")
    role: Literal["front", "body", "back"] = Field(
        "body", description="Place dans le livre : front (liminaire), body (corps), back (annexes).")
    type: str = Field("", description="Nature sémantique facultative (foreword, introduction, glossary, colophon…).")


class ReleaseSchema(Schema):
    """Front matter of the press release (``presse/communique.md``): its parts around the body."""

    title: Text = Field(description=(
        "Titre du communiqué, avec un chiffre de la publication (ex. « [=propositions] propositions pour … »)."))
    standfirst: str = Field("", description=(
        "Chapô : deux ou trois phrases qui disent l'essentiel, imprimées à part sous le titre (Markdown d'une "
        "ligne ; chiffres [=…] et renvois [@id] permis)."))
    key_messages: list[Text] = Field(default_factory=list, max_length=5, description=(
        "Messages clés : de trois à cinq phrases, chacune nommant au moins une proposition par un renvoi "
        "[@id] (imprimé avec son numéro et sa page dans le livre)."))
    about: str = Field("", description=(
        "« À propos » : qui publie ce communiqué, en un paragraphe (Markdown ; chiffres [=…] permis)."))


# --- sources.yaml -------------------------------------------------------------

#: Where a reference was read: a web address (http or https; it is a record, readers never follow it).
Address = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s\"'<>\\]+$")]


class SourceEntry(Schema):
    """One entry of ``content/sources.yaml``: a legal text, a code article or a fact the content relies on."""

    cite: Text = Field(description=(
        "La référence exactement comme le texte l'écrit : « 2021-875 » (loi, décret… n° 2021-875), "
        "« L. 2125-1-2 » (article de code), « 2022/2464 » (acte européen), « Constitution », ou un nom "
        "court pour un fait (« fondation-rup-2017 »)."))
    kind: Literal["constitution", "loi", "ordonnance", "décret", "arrêté", "circulaire", "directive", "règlement",
                  "code", "fait"] = Field(description="La nature du texte, ou « fait » pour un fait sur une institution.")
    code: str = Field("", description="Pour un article de code : le nom du code, en minuscules.")
    title: Text = Field(description="L'intitulé officiel du texte (ou le fait, en une ligne).")
    articles: list[str] = Field(default_factory=list, description="Les articles sur lesquels le texte s'appuie.")
    date: Optional[datetime.date] = Field(None, description="La date du texte (AAAA-MM-JJ).")
    source: Address = Field(description="L'adresse où la référence a été lue.")
    checked: datetime.date = Field(description="Le jour où elle a été vérifiée (AAAA-MM-JJ).")
    how: Literal["officiel", "secondaire"] = Field(description=(
        "« officiel » : lu sur le texte officiel ou une copie fidèle ; « secondaire » : lu dans une source "
        "qui le rapporte."))
    relied_on: Text = Field(description="Ce que le livre en tire, en une ou deux phrases.")
    note: str = Field("", description="Comment la vérification a été faite, et ce qui reste incertain.")


class SourcesSchema(Schema):
    """``content/sources.yaml``: every legal text and institutional fact the content relies on."""

    references: list[SourceEntry] = Field(description="Une entrée par référence.")


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
    folded: bool = False   # a YAML value whose lines were joined: positions are found by searching


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
    figure: str            # prefix of its figures: [=<figure>.<level>]
    levels: tuple[Level, ...]
    pictogram: str = "dots"  # how the meta box draws a level (see ScaleSchema.pictogram)

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
    levels: dict[str, Level]   # by scale key, in the order of the scales
    highlight: bool
    body: Markdown
    exergue: str = ""          # the sentence of its text its editors chose for an exergue (empty: chosen by the layout)

    @property
    def anchor(self) -> str:
        """Its HTML id."""
        return anchors.proposal(self.id)


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

    @property
    def anchor(self) -> str:
        """Its HTML id."""
        return anchors.axis(self.id)


@dataclass(frozen=True)
class Chapter:
    """A Markdown chapter."""

    id: str
    title: str
    short_title: str
    role: str
    type: str
    body: Markdown

    @property
    def anchor(self) -> str:
        """Its HTML id."""
        return anchors.chapter(self.id)


@dataclass(frozen=True)
class Release:
    """The parts of the press release around its body (its front matter), each with its place."""

    headline: Markdown                    # plain text, figures [=…] expanded when printed
    standfirst: Optional[Markdown] = None
    key_messages: tuple[Markdown, ...] = ()
    about: Optional[Markdown] = None


@dataclass(frozen=True)
class Generated:
    """A section the pipeline writes from the data (see :mod:`atelier.sections`)."""

    section: Section

    @property
    def id(self) -> str:
        """Its name in ``contents``."""
        return self.section.id

    @property
    def role(self) -> str:
        """Front, body or back matter."""
        return self.section.role

    @property
    def anchor(self) -> str:
        """Its HTML id."""
        return self.section.anchor


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
    sources: dict[str, Markdown] = field(default_factory=dict)  # book.yaml fields that may hold figures
    press: dict[str, Chapter] = field(default_factory=dict)     # the press kit's texts: release, faq, about
    release: Optional[Release] = None                            # the release's parts around its body
    places: dict[str, Source] = field(default_factory=dict)      # where some book.yaml fields are written
    references: Optional[tuple[SourceEntry, ...]] = None         # content/sources.yaml, when it exists
    proposals: tuple[Proposal, ...] = field(init=False)

    def __post_init__(self):
        # Computed once: later stages look proposals up many times, and the book is frozen.
        object.__setattr__(self, "proposals", tuple(p for axis in self.axes for p in axis.proposals))

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """The Markdown chapters in book order."""
        return tuple(item for item in self.contents if isinstance(item, Chapter))
