"""Errors of the search index, with messages fit to show a citizen or an operator (Vietnamese)."""

from __future__ import annotations


class SearchError(Exception):
    """Base of the errors raised on bad input to the search index."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidQuery(SearchError):
    """The query cannot be searched (empty, only whitespace or punctuation)."""


class UnknownFilter(InvalidQuery):
    """A filter value (level, field, agency) that the catalogue does not know."""

    def __init__(self, name: str, value: str, known: list[str]) -> None:
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        super().__init__(f"Không có {name} “{value}” trong danh mục thủ tục. Các giá trị hợp lệ: {shown}.")
        self.name = name
        self.value = value
        self.known = known
