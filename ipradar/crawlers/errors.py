"""Errors and warnings raised while interpreting a source's payloads (strict interpretation)."""


class ParseError(ValueError):
    """A page or payload could not be understood; the message names what was wrong."""


class FormatWarning(UserWarning):
    """The payload had something unknown (a field, a categorical value); kept, but reported as a health warning."""
