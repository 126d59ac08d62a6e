"""What may reach an output: allow-lists of elements and attributes, one rule for every resource.

The rule, applied to the final HTML of every output, is: every resource
(``src``, ``href``, CSS ``url()`` and ``@import``) either points inside the
trees the build may read (after resolving ``..``, symlinks and absolute
paths), or is a ``data:`` image, or is a link meant for a reader
(``https://`` or ``mailto:`` in an ``<a>``). Anything else is refused.
Element and attribute names are allowed by list, never forbidden by list,
so a construct nobody thought of is refused by default.

Image files are opened here too: SVG is parsed without entities, DTDs or
network, and refused if it carries scripts, event handlers, foreign content
or references outside itself; raster images must decode.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlparse

import lxml.etree
import tinycss2

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
OPS = "http://www.idpf.org/2007/ops"

HTML_ELEMENTS = frozenset("""
    html head body title meta link style
    section nav header footer main article aside div p span a em strong b i u s small sub sup
    abbr cite q dfn code pre kbd samp var mark br hr wbr h1 h2 h3 h4 h5 h6
    ul ol li dl dt dd blockquote figure figcaption img
    table caption thead tbody tfoot tr th td col colgroup
    time del ins bdi bdo ruby rt rp data
""".split())
#: Elements that belong in <head> and nowhere else (a <style> in the text could restyle the book).
HEAD_ONLY = frozenset({"title", "meta", "link", "style"})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title", "role", "hidden", "style",
                               f"{{{XML}}}lang", f"{{{OPS}}}type"})
ELEMENT_ATTRIBUTES = {
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    # The presentational attributes a mail reader (Outlook for Windows) reads where it ignores CSS.
    "table": {"width", "cellpadding", "cellspacing", "border"},
    "td": {"colspan", "rowspan", "headers", "scope", "align", "valign", "width"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "meta": {"charset", "name", "content", "property"},   # property: Open Graph (the press page)
    "link": {"rel", "href", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "style": {"type"},
}
SVG_ELEMENTS = frozenset("""
    svg g defs symbol use title desc metadata path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker style
    filter feGaussianBlur feOffset feBlend feColorMatrix feFlood feComposite feMerge feMergeNode
""".split())
#: Editors' drawing programs add inert bookkeeping in these namespaces.
INERT_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
})
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)(;base64)?,", re.I)
READER_SCHEMES = ("https", "mailto")


@dataclass(frozen=True)
class Refusal:
    """Why a value may not reach an output, in an editor's words."""

    code: str
    message: str


def element_refusal(name: str, in_head: bool) -> Optional[Refusal]:
    """Whether an HTML element may appear (``name`` without namespace)."""
    if name not in HTML_ELEMENTS:
        return Refusal("HTML-INTERDIT", f"l'élément <{name}> n'est pas permis dans une publication "
                       "(seuls le texte, les titres, les listes, les tableaux, les liens et les images le sont).")
    if name in HEAD_ONLY and not in_head:
        return Refusal("HTML-INTERDIT", f"l'élément <{name}> n'est pas permis dans le texte.")
    return None


def attribute_refusal(element: str, attribute: str) -> Optional[Refusal]:
    """Whether ``attribute`` may appear on ``element``."""
    if attribute in GLOBAL_ATTRIBUTES or attribute in ELEMENT_ATTRIBUTES.get(element, ()):
        return None
    if attribute.startswith(("aria-", "data-")) and not attribute.startswith("data-on"):
        return None
    if attribute.lower().startswith("on"):
        return Refusal("HTML-INTERDIT", f"l'attribut d'événement « {attribute} » est interdit : "
                       "une publication n'exécute pas de programme.")
    return Refusal("HTML-INTERDIT", f"l'attribut « {attribute} » n'est pas permis sur <{element}>.")


def link_refusal(href: str, siblings: frozenset[str]) -> Optional[Refusal]:
    """Whether the ``href`` of an ``<a>`` is a link a reader may follow (``siblings``: the output's files)."""
    squeezed = re.sub(r"[\x00-\x20]+", "", href)
    if squeezed.startswith("#") or squeezed.split("#", 1)[0] in siblings:
        return None
    scheme = urlparse(squeezed).scheme.lower()
    if scheme in READER_SCHEMES:
        return None
    if scheme == "http":
        return Refusal("LIEN-INTERDIT", f"le lien « {href} » n'est pas sécurisé ; écrivez https://.")
    if scheme:
        return Refusal("LIEN-INTERDIT", f"le lien « {href} » ({scheme}:) n'est pas permis ; "
                       "seuls les liens https://, mailto: et les renvois internes le sont.")
    return Refusal("LIEN-INTERDIT", f"le lien « {href} » pointe vers un fichier ; liez une adresse https:// "
                   "ou citez une proposition avec [@identifiant].")


def local_file(url: str, base: Path, roots: list[Path]) -> tuple[Optional[Path], Optional[Refusal]]:
    """The file ``url`` names (relative to ``base``) if it lies inside ``roots``, else why not."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            return None, Refusal("RESSOURCE-REFUSEE", f"« {url} » désigne une autre machine.")
        candidate = Path(unquote(parsed.path))
    elif parsed.scheme or url.startswith("//"):
        return None, Refusal("RESSOURCE-REFUSEE", f"la ressource « {url} » est sur Internet ; placez le "
                             "fichier dans le dossier de contenu (images/).")
    else:
        candidate = base / unquote(parsed.path)
    try:
        path = candidate.resolve()
    except (OSError, RuntimeError):
        return None, Refusal("RESSOURCE-REFUSEE", f"le chemin « {url} » ne peut pas être suivi.")
    if not any(path.is_relative_to(root.resolve()) for root in roots):
        return None, Refusal("CHEMIN-INTERDIT", f"« {url} » sort du dossier de contenu ; seuls les fichiers "
                             "du dossier de contenu peuvent être publiés.")
    if not path.is_file():
        return None, Refusal("IMAGE-MANQUANTE", f"le fichier « {url} » est introuvable "
                             "(chemin relatif au dossier de contenu).")
    return path, None


def data_image_refusal(url: str) -> Optional[Refusal]:
    """A ``data:`` URI may only hold an image, and an SVG one must be safe."""
    match = DATA_IMAGE.match(url)
    if not match:
        return Refusal("RESSOURCE-REFUSEE", "une adresse data: ne peut contenir qu'une image "
                       "(PNG, JPEG, GIF, WebP ou SVG).")
    if match.group(1).lower() != "svg+xml":
        return None
    payload = url[match.end():]
    try:
        data = base64.b64decode(payload, validate=False) if match.group(2) else unquote(payload).encode()
    except (binascii.Error, ValueError):
        return Refusal("IMAGE-ABIMEE", "l'image data: ne peut pas être décodée.")
    return svg_refusal(data)


#: CSS functions whose string arguments are words, never addresses (a counter's or a font's name,
#: a separator). A string inside any other function (``url()``, ``image-set()``, ``src()``,
#: ``image()``, ``cross-fade()``, ``-webkit-image-set()``, one not invented yet…) is an address.
CSS_TEXT_FUNCTIONS = frozenset({
    "attr", "counter", "counters", "local", "format", "string", "leader", "target-counter",
    "target-counters", "target-text", "content", "tech", "lang", "not", "is", "where", "has",
})
#: Anything that reads as an address outside an address's place (``content: "https://…"``) counts too.
ADDRESS_LIKE = re.compile(r"^\s*(//|\\\\|[a-z][a-z0-9+.-]*:)", re.I)


@dataclass(frozen=True)
class StyleAddresses:
    """Every address a piece of CSS holds, or why it cannot be read."""

    addresses: tuple[str, ...]
    refusal: Optional[Refusal] = None


def stylesheet_addresses(css: str) -> StyleAddresses:
    """Every address of a stylesheet (``<style>``): ``url()``, any function's strings, ``@import``."""
    return _addresses(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def declarations_addresses(css: str) -> StyleAddresses:
    """Every address of a ``style="…"`` attribute."""
    return _addresses(tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True))


def value_addresses(value: str) -> StyleAddresses:
    """Every address of one CSS value, such as an SVG presentation attribute (``fill="url(…)"``)."""
    return _addresses(tinycss2.parse_component_value_list(value, skip_comments=True))


def _addresses(nodes) -> StyleAddresses:
    found: list[str] = []
    unreadable = _collect(nodes, found, in_address=False)
    if unreadable:
        return StyleAddresses(tuple(found), Refusal(
            "STYLE-ILLISIBLE", "ce style ne peut pas être lu (CSS mal écrit) ; corrigez-le ou retirez-le : "
            "un style que la chaîne ne comprend pas pourrait appeler une ressource sans qu'elle le voie."))
    return StyleAddresses(tuple(found))


def _collect(nodes, found: list[str], in_address: bool) -> str:
    """Add every address of ``nodes`` to ``found``; return what could not be parsed, if anything."""
    for node in nodes or ():
        kind = getattr(node, "type", "")
        if kind == "error":
            return node.message
        if kind == "url":
            found.append(node.value)
        elif kind == "string" and (in_address or ADDRESS_LIKE.match(node.value)):
            found.append(node.value)
        elif kind == "function":
            problem = _collect(node.arguments, found, node.lower_name not in CSS_TEXT_FUNCTIONS)
            if problem:
                return problem
            continue
        elif kind == "at-rule":
            # @import, @namespace, @font-face…: every string of the prelude is an address.
            problem = _collect(node.prelude, found, True) or _collect(_content(node), found, False)
            if problem:
                return problem
            continue
        for children in (getattr(node, "prelude", None), _content(node), getattr(node, "value", None)):
            if isinstance(children, list):
                problem = _collect(children, found, in_address if kind.endswith("block") else False)
                if problem:
                    return problem
    return ""


def _content(node) -> list:
    """The component values of a rule's or a block's body (a declaration's value is read apart)."""
    content = getattr(node, "content", None)
    if not isinstance(content, list):
        return []
    if getattr(node, "type", "") in ("qualified-rule", "at-rule"):
        return tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
    return content


def css_urls(css: str) -> list[str]:
    """Every address of a stylesheet the pipeline ships itself (its own CSS, already trusted to parse)."""
    return list(stylesheet_addresses(css).addresses)


def image_refusal(path: Path) -> Optional[Refusal]:
    """Whether the image file at ``path`` is safe and readable."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".svg":
        return svg_refusal(data)
    if suffix not in RASTER_FORMATS:
        return Refusal("IMAGE-FORMAT", f"le format « {suffix or path.name} » n'est pas pris en charge ; "
                       "utilisez PNG, JPEG, GIF, WebP ou SVG.")
    return _raster_refusal(data, RASTER_FORMATS[suffix])


def _raster_refusal(data: bytes, expected: str) -> Optional[Refusal]:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() misses truncated pixel data
    except Exception as error:  # Pillow raises many kinds for damaged files
        return Refusal("IMAGE-ABIMEE", f"l'image est abîmée ou n'est pas une image ({type(error).__name__}) ; "
                       "exportez-la de nouveau.")
    if found != expected:
        return Refusal("IMAGE-ABIMEE", f"le fichier contient une image {found} mais son nom dit {expected}.")
    return None


def svg_refusal(data: bytes) -> Optional[Refusal]:
    """Whether SVG ``data`` is inert: no entity, script, handler, foreign content or outside reference."""
    if re.search(rb"<!ENTITY", data, re.I):
        return Refusal("SVG-ACTIF", "cette image SVG déclare des entités XML ; elles sont refusées.")
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                  dtd_validation=False, huge_tree=False, remove_comments=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        return Refusal("IMAGE-ABIMEE", f"cette image SVG est mal formée ({error.msg}).")
    if root.getroottree().docinfo.internalDTD is not None:
        return Refusal("SVG-ACTIF", "cette image SVG contient une déclaration DOCTYPE interne ; elle est refusée.")
    for node in root.iter():
        problem = svg_element_refusal(node)
        if problem:
            return problem
    for node in root.itersiblings(preceding=True):
        if isinstance(node, lxml.etree._ProcessingInstruction):
            return Refusal("SVG-ACTIF", "cette image SVG appelle une feuille de style externe.")
    return None


def svg_element_refusal(node) -> Optional[Refusal]:
    """Whether one node of an SVG tree (a file's or an inline one) is inert."""
    if isinstance(node, lxml.etree._ProcessingInstruction):
        return Refusal("SVG-ACTIF", "cette image SVG contient une instruction de traitement ; elle est refusée.")
    if not isinstance(node.tag, str):
        return None
    qname = lxml.etree.QName(node)
    if qname.namespace in INERT_NAMESPACES or (_inside_metadata(node) and qname.namespace not in (SVG, XHTML)):
        return None
    if qname.namespace != SVG or qname.localname not in SVG_ELEMENTS:
        return Refusal("SVG-ACTIF", f"cette image SVG contient l'élément <{qname.localname}>, refusé "
                       "(scripts, contenus étrangers et animations ne sont pas permis).")
    for name, value in node.attrib.items():
        attribute = lxml.etree.QName(name)
        if attribute.namespace in INERT_NAMESPACES:
            continue
        problem = _svg_attribute_refusal(attribute, value)
        if problem:
            return problem
    if qname.localname == "style":
        return _svg_style_refusal(stylesheet_addresses(node.text or ""), "sa feuille de style")
    return None


#: An address in any SVG attribute, whatever the attribute: a scheme, a network path, a file.
SVG_ADDRESS = re.compile(r"(?i)(^\s*//|\\\\|\b(?:[a-z][a-z0-9+.-]*://|file:|data:|javascript:))")


def _svg_attribute_refusal(attribute, value: str) -> Optional[Refusal]:
    """One attribute of an SVG element: no handler, and no address but a fragment of the image itself."""
    local = attribute.localname
    if local.lower().startswith("on"):
        return Refusal("SVG-ACTIF", f"cette image SVG contient l'attribut d'événement « {local} ».")
    if local == "base" and attribute.namespace == XML:
        return Refusal("SVG-ACTIF", "cette image SVG change son adresse de base (xml:base) ; c'est refusé.")
    if local == "href":
        if not value.strip().startswith("#"):
            return Refusal("SVG-ACTIF", f"cette image SVG renvoie à « {value} », hors d'elle-même.")
        return None
    if SVG_ADDRESS.search(value):
        return Refusal("SVG-ACTIF", f"cette image SVG contient une adresse dans l'attribut « {local} » : "
                       "une image ne peut renvoyer qu'à elle-même.")
    if local == "style":
        return _svg_style_refusal(declarations_addresses(value), "un style")
    found = value_addresses(value)
    if found.refusal and "(" in value:
        # A value that does not parse could hide a function the reader's app would understand.
        return Refusal("SVG-ACTIF", f"cette image SVG a un attribut « {local} » illisible ; corrigez-le.")
    return _svg_style_refusal(found, f"l'attribut « {local} »")


def _svg_style_refusal(found: StyleAddresses, where: str) -> Optional[Refusal]:
    if found.refusal:
        return Refusal("SVG-ACTIF", f"cette image SVG a un style illisible dans {where} ; corrigez-le.")
    outside = [address for address in found.addresses if not address.strip().startswith("#")]
    if outside:
        return Refusal("SVG-ACTIF", f"cette image SVG appelle « {outside[0]} » dans {where} : "
                       "une image ne peut renvoyer qu'à elle-même.")
    return None


def _inside_metadata(node) -> bool:
    parent = node.getparent()
    while parent is not None:
        if lxml.etree.QName(parent).localname == "metadata":
            return True
        parent = parent.getparent()
    return False
