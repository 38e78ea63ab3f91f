"""A bounded LRU cache for functions of one string, skipping long strings.

Names, readings and birth dates repeat across department extracts, so the
key functions cache their results; a pasted megabyte of text must not stay
in that cache, so strings longer than ``max_len`` are computed uncached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

__all__ = ["clear_caches", "short_text_cache"]

T = TypeVar("T")
_CLEARERS: list[Callable[[], None]] = []


def short_text_cache(
    maxsize: int, max_len: int = 256
) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Cache a ``str -> T`` function for inputs of at most ``max_len`` characters."""

    def decorate(fn: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(fn)
        _CLEARERS.append(cached.cache_clear)

        @wraps(fn)
        def wrapper(text: str) -> T:
            if len(text) > max_len:
                return fn(text)
            return cached(text)

        return wrapper

    return decorate


def clear_caches() -> None:
    """Empty the caches of every key function and parser.

    Returns:
        None.

    Example:
        >>> clear_caches()
    """
    for clear in _CLEARERS:
        clear()
