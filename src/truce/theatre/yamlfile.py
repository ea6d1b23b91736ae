"""Reading a pack's YAML files with the line of every node, so errors can name the line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from truce.core.errors import TheatreError


def where(path: Path, line: int | None) -> str:
    """`path:line`, or the path alone when the line is unknown."""
    return f"{path}:{line}" if line is not None else str(path)


def describe(error: dict[str, Any]) -> str:
    """One pydantic error as `dotted.location: message`."""
    loc = ".".join(str(part) for part in error["loc"])
    return f"{loc}: {error['msg']}" if loc else str(error["msg"])


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, whose impossible dates (2025-13-45) are marked errors with their
    line rather than a bare ValueError."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date {node.value!r}: {error}", node.start_mark
            ) from error


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class YamlLines:
    """A YAML file's value plus the line of every node, by path (keys and list indexes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[tuple[Any, ...], int] = {}
        try:
            loader = _Loader(path.read_text(encoding="utf-8"))
            try:
                node = loader.get_single_node()
                if node is not None:
                    self._index(node, ())
                self.value: Any = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as error:
            line = error.problem_mark.line + 1 if error.problem_mark else None
            raise TheatreError(f"{where(path, line)}: invalid YAML: {error.problem}") from error
        except (OSError, UnicodeDecodeError) as error:
            raise TheatreError(f"{path}: cannot read: {error}") from error

    def _index(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise TheatreError(f"{where(self.path, line)}: duplicate key {key!r}")
                seen.add(key)
                self._index(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*path, i))

    def line_of(self, loc: Iterable[Any]) -> int | None:
        """The line of the deepest known node on an error's path."""
        parts = tuple(loc)
        for n in range(len(parts), -1, -1):
            if parts[:n] in self.lines:
                return self.lines[parts[:n]]
        return None
