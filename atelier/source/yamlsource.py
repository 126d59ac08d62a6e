"""YAML reading that remembers where every value came from.

PyYAML's composer gives nodes with marks; we build plain Python values from
them ourselves so that each value's position can be looked up by its path
(a tuple of keys and indexes), and so that a key written twice is reported
instead of silently overwriting the first one.

Editors never need YAML's anchors and aliases (``&nom`` / ``*nom``), and an
alias can make a few lines expand into gigabytes, so they are refused; so is
nesting deeper than any content file needs. The C parser (libyaml) is used
when PyYAML has it: same positions, several times faster.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Position:
    """Where a value starts (1-based) and, for block text, where its first line starts."""

    line: int
    column: int
    text_line: int  # first line of the text itself (after a "|" or ">" indicator)
    text_column: int


@dataclass
class SourceMap:
    """Positions of values and keys of one YAML document, by path."""

    path: Path
    values: dict[tuple, Position] = field(default_factory=dict)
    keys: dict[tuple, Position] = field(default_factory=dict)

    def at(self, location: tuple) -> Position:
        """The position of the value at ``location``, or of its closest known parent."""
        location = tuple(location)
        while location:
            if location in self.values:
                return self.values[location]
            location = location[:-1]
        return self.values.get((), Position(1, 1, 1, 1))

    def key_at(self, location: tuple) -> Position:
        """The position of the key naming ``location`` (falls back to the value)."""
        return self.keys.get(tuple(location)) or self.at(location)


class YamlSyntaxError(Exception):
    """Malformed YAML, with the position PyYAML found."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


#: Deeper than any book's data; deeper nesting is a mistake or an attack.
MAX_DEPTH = 40

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlValueError(Exception):
    """A value that YAML cannot be read as (an impossible date, an alias, too deep), with its position."""

    def __init__(self, line: int, column: int, code: str, message: str):
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


class DuplicateKey(Exception):
    """A mapping repeats a key."""

    def __init__(self, key: str, position: Position):
        super().__init__(key)
        self.key, self.position = key, position


def read_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, SourceMap]:
    """Parse ``text`` and return its value with a :class:`SourceMap`.

    ``first_line`` shifts line numbers, for YAML front matter that starts
    below the top of a Markdown file.
    """
    lines = text.splitlines()
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        # The context (an unclosed bracket, a key being read) is where the editor must look.
        mark = error.context_mark or error.problem_mark
        line = (mark.line + first_line) if mark else first_line
        column = (mark.column + 1) if mark else 1
        raise YamlSyntaxError(line, column, _explain(error)) from error
    except yaml.YAMLError as error:  # reader errors carry no mark of the MarkedYAMLError kind
        raise YamlSyntaxError(first_line, 1, f"YAML illisible : {error}.") from error
    source = SourceMap(path)
    if root is None:
        return None, source
    builder = _Builder(source, lines, first_line - 1)
    return builder.build(root, ()), source


def _explain(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    hints = {
        "mapping values are not allowed here": "un « : » inattendu ; mettez le texte entre guillemets droits",
        "could not find expected ':'": "il manque « : » après un nom de champ, ou une ligne est mal indentée",
        "found character '\\t' that cannot start any token": "une tabulation est utilisée ; indentez avec des espaces",
        "expected ',' or ']'": "un crochet « [ » ouvert ici n'est pas refermé par « ] »",
        "expected ',' or '}'": "une accolade « { » ouverte ici n'est pas refermée par « } »",
        "found unexpected end of stream": "des guillemets ouverts ici ne sont pas refermés",
        "expected <block end>, but found": "l'indentation de cette ligne ne correspond pas à celle des lignes voisines",
    }
    for needle, hint in hints.items():
        if needle in problem:
            return f"YAML mal formé : {hint}."
    return f"YAML mal formé : {problem or error}."


def _position(node: yaml.Node, lines: list[str], shift: int) -> Position:
    line, column = node.start_mark.line, node.start_mark.column
    text_line, text_column = line, column
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        text_line = line + 1
        text_column = _indent_of_block(lines, text_line)
    return Position(line + 1 + shift, column + 1, text_line + 1 + shift, text_column + 1)


def _indent_of_block(lines: list[str], index: int) -> int:
    for candidate in lines[index:]:
        if candidate.strip():
            return len(candidate) - len(candidate.lstrip(" "))
    return 0


class _Builder:
    """Turns composed nodes into plain values, recording positions and refusing aliases."""

    def __init__(self, source: SourceMap, lines: list[str], shift: int):
        self.source, self.lines, self.shift = source, lines, shift
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()

    def build(self, node, location: tuple):
        """The value of ``node`` found at ``location``."""
        position = _position(node, self.lines, self.shift)
        self.source.values[location] = position
        self._refuse_alias(node, position)
        if len(location) > MAX_DEPTH:
            raise YamlValueError(position.line, position.column, "YAML-PROFONDEUR",
                                 f"les valeurs sont imbriquées sur plus de {MAX_DEPTH} niveaux ; "
                                 "vérifiez les crochets et l'indentation.")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, location + (index,)) for index, item in enumerate(node.value)]
        return self._scalar(node, position)

    def _refuse_alias(self, node, position: Position) -> None:
        """The composer hands an alias back as the very node it names: seeing a node twice is an alias."""
        if id(node) in self.seen:
            raise YamlValueError(position.line, position.column, "YAML-ALIAS",
                                 "les ancres et alias YAML (&nom, *nom) ne sont pas permis ici ; "
                                 "recopiez la valeur à chaque endroit.")
        self.seen.add(id(node))

    def _scalar(self, node, position: Position):
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            raise YamlValueError(position.line, position.column, "VALEUR-ILLISIBLE",
                                 f"« {node.value} » ne peut pas être lu : une date doit exister "
                                 "(AAAA-MM-JJ) ; sinon, mettez la valeur entre guillemets.") from None

    def _mapping(self, node, location: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key_position = _position(key_node, self.lines, self.shift)
            self._refuse_alias(key_node, key_position)
            key = self._scalar(key_node, key_position) if isinstance(key_node, yaml.ScalarNode) else key_node
            if not (key is None or isinstance(key, (str, int, float, bool))):
                raise YamlValueError(key_position.line, key_position.column, "YAML-FORME",
                                     "un nom de champ doit être un simple mot.")
            if key in result:
                raise DuplicateKey(str(key), key_position)
            self.source.keys[location + (key,)] = key_position
            result[key] = self.build(value_node, location + (key,))
        return result
