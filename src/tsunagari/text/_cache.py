"""A bounded cache for functions of one string, skipping long strings.

Names, readings and birth dates repeat across department extracts, so the
key functions cache their results. A plain dict with first-in-first-out
eviction of a quarter of its entries is used rather than
``functools.lru_cache``: lru_cache keeps a linked list of GC-tracked nodes,
and at a few hundred thousand entries the garbage collector's passes over
them cost more than the keys themselves. A pasted megabyte of text must
not stay in the cache, so strings longer than ``max_len`` are computed
uncached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from itertools import islice
from typing import TypeVar

__all__ = ["clear_caches", "short_text_cache"]

T = TypeVar("T")
_CLEARERS: list[Callable[[], None]] = []


def short_text_cache(
    maxsize: int, max_len: int = 256
) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Cache a ``str -> T`` function for inputs of at most ``max_len`` characters."""

    def decorate(fn: Callable[[str], T]) -> Callable[[str], T]:
        cache: dict[str, T] = {}
        _CLEARERS.append(cache.clear)
        evict = max(1, maxsize // 4)

        @wraps(fn)
        def wrapper(text: str) -> T:
            try:
                return cache[text]
            except KeyError:
                pass
            value = fn(text)
            if len(text) <= max_len:
                if len(cache) >= maxsize:
                    for old in list(islice(cache, evict)):
                        del cache[old]
                cache[text] = value
            return value

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
