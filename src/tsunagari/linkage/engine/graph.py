"""Connected components over integer node ids (clusters and households)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

IntArray = np.ndarray[Any, np.dtype[np.int64]]


def components(n_nodes: int, left: IntArray, right: IntArray) -> IntArray:
    """Label each node 0..n-1 with its connected component.

    Args:
        n_nodes: number of nodes.
        left: edge start nodes.
        right: edge end nodes (same length as ``left``).

    Returns:
        An array of component labels, numbered in order of first appearance.

    Example:
        >>> components(4, np.array([0]), np.array([2])).tolist()
        [0, 1, 0, 2]
    """
    if n_nodes == 0:
        return np.zeros(0, dtype=np.int64)
    data = np.ones(len(left), dtype=np.int8)
    graph = coo_matrix((data, (left, right)), shape=(n_nodes, n_nodes)).tocsr()
    _, labels = connected_components(graph, directed=False)
    # Renumber by first appearance so ids follow input order.
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    result: IntArray = rank[labels].astype(np.int64)
    return result


def edges_within_groups(keys: np.ndarray[Any, Any]) -> tuple[IntArray, IntArray]:
    """Star edges joining all positions that share a non-null key.

    Args:
        keys: one key per node; None/NaN/<NA> means "no key".

    Returns:
        (left, right) arrays linking each node to the first node with its key.

    Example:
        >>> edges_within_groups(np.array(["a", None, "a"], dtype=object))
        (array([0]), array([2]))
    """
    import pandas as pd

    series = pd.Series(keys)
    valid = series.notna().to_numpy()
    idx = np.flatnonzero(valid)
    if len(idx) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    codes, _ = pd.factorize(series[valid])
    first = pd.Series(idx).groupby(codes).transform("min").to_numpy()
    keep = first != idx
    return first[keep].astype(np.int64), idx[keep].astype(np.int64)


def constrained_components(
    n_nodes: int,
    left: IntArray,
    right: IntArray,
    order: np.ndarray[Any, Any],
    group: IntArray,
    key: IntArray,
    forced: np.ndarray[Any, np.dtype[np.bool_]] | None = None,
    apart: tuple[IntArray, IntArray] | None = None,
) -> IntArray:
    """Connected components that never join two different keys of one group.

    Edges are taken strongest first (``order`` sorts them); an edge that
    would put two nodes of the same ``group`` with different ``key`` into
    one component is skipped. Used so that a chain through a third record
    cannot merge two registry records with different resident numbers.

    People's decisions come on top: ``forced`` edges (a reviewer said "same
    person") are joined whatever the groups say, and no edge may join two
    nodes of an ``apart`` pair (a reviewer said "different people"), directly
    or through a chain. A forced edge between an apart pair is skipped.

    Args:
        n_nodes: number of nodes.
        left: edge start nodes.
        right: edge end nodes.
        order: edge positions, strongest edge first.
        group: per node, the group code (e.g. source), -1 for "no constraint".
        key: per node, the key inside the group (e.g. resident number code).
        forced: per edge, True where the group rule does not apply.
        apart: (left, right) node pairs that must end in different components.

    Returns:
        Component labels numbered in order of first appearance.

    Example:
        >>> constrained_components(
        ...     3, np.array([0, 1]), np.array([2, 2]), np.array([0, 1]),
        ...     np.array([0, 0, -1]), np.array([5, 6, -1]),
        ... ).tolist()
        [0, 1, 0]
    """
    if n_nodes == 0:
        return np.zeros(0, dtype=np.int64)
    forced_mask = forced if forced is not None else np.zeros(len(left), dtype=bool)
    # Plain components first: only a component holding two keys of one group,
    # or both ends of an apart pair, needs the careful strongest-first joins.
    plain = components(n_nodes, left, right)
    constrained = group >= 0
    frame = pd.DataFrame({"c": plain[constrained], "g": group[constrained], "k": key[constrained]})
    keys_per_group = frame.groupby(["c", "g"], sort=False)["k"].nunique()
    troubled = set(keys_per_group[keys_per_group > 1].index.get_level_values(0).tolist())
    if apart is not None and len(apart[0]):
        together = plain[apart[0]] == plain[apart[1]]
        troubled.update(plain[apart[0]][together].tolist())
    if not troubled:
        return plain
    in_trouble = np.isin(plain, np.fromiter(troubled, dtype=np.int64))
    nodes = np.flatnonzero(in_trouble)
    local = np.full(n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes), dtype=np.int64)
    ordered = np.asarray(order, dtype=np.int64)
    inside = in_trouble[left[ordered]]
    edges = ordered[inside]
    apart_local = None
    if apart is not None and len(apart[0]):
        keep = in_trouble[apart[0]] & in_trouble[apart[1]]
        apart_local = (local[apart[0][keep]], local[apart[1][keep]])
    roots_local = _union_find(
        len(nodes),
        local[left[edges]],
        local[right[edges]],
        forced_mask[edges],
        group[nodes],
        key[nodes],
        apart_local,
    )
    # Every node joins its root: the untroubled components as they were, the
    # troubled ones as the careful joins left them.
    roots = np.arange(n_nodes, dtype=np.int64)
    first_of = pd.Series(np.arange(n_nodes)).groupby(plain).transform("min").to_numpy()
    roots[~in_trouble] = first_of[~in_trouble]
    roots[nodes] = nodes[roots_local]
    return components(n_nodes, roots, np.arange(n_nodes, dtype=np.int64))


def _union_find(
    n_nodes: int,
    left: IntArray,
    right: IntArray,
    forced: np.ndarray[Any, np.dtype[np.bool_]],
    group: IntArray,
    key: IntArray,
    apart: tuple[IntArray, IntArray] | None,
) -> IntArray:
    """Strongest-first joins under the group rule and the apart pairs.

    Edges come in the order to take them; returns each node's root.
    """
    parent = list(range(n_nodes))
    groups = group.tolist()
    keys = key.tolist()
    seen: dict[int, dict[int, int]] = {
        i: {groups[i]: keys[i]} for i in range(n_nodes) if groups[i] >= 0
    }

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    # Per root, the nodes its component must never be joined with.
    enemies: dict[int, set[int]] = {}
    if apart is not None:
        for x, y in zip(apart[0].tolist(), apart[1].tolist(), strict=True):
            if x != y:
                enemies.setdefault(x, set()).add(y)
                enemies.setdefault(y, set()).add(x)

    def kept_apart(a: int, b: int) -> bool:
        ea, eb = enemies.get(a), enemies.get(b)
        if not ea and not eb:
            return False
        small, other = (ea, b) if ea and (not eb or len(ea) <= len(eb)) else (eb, a)
        return any(find(x) == other for x in small or ())

    lefts, rights = left.tolist(), right.tolist()
    forced_edges = forced.tolist()
    for e in range(len(lefts)):
        a, b = find(lefts[e]), find(rights[e])
        if a == b or kept_apart(a, b):
            continue
        da, db = seen.get(a), seen.get(b)
        if da and db:
            small, big = (da, db) if len(da) < len(db) else (db, da)
            if not forced_edges[e] and any(big.get(g, k) != k for g, k in small.items()):
                continue
            # A forced join keeps the larger side's key where both have one.
            merged = {**small, **big}
        else:
            merged = da or db or {}
        parent[b] = a
        seen.pop(b, None)
        if merged:
            seen[a] = merged
        eb_set = enemies.pop(b, None)
        if eb_set:
            enemies.setdefault(a, set()).update(eb_set)
    return np.array([find(i) for i in range(n_nodes)], dtype=np.int64)
