"""The selection torch's CPU topk makes, and the order its sort (not stable) makes, step by step
as the C++ standard library (libstdc++) makes them: ``std::nth_element`` (introselect),
``std::partial_sort`` (a heap) and ``std::sort`` (introsort, finished by insertion sort). The
standard leaves open the order these leave equal values in; that order decides which of several
equal values topk returns, and where sort puts each, and so where their gradients go. Written
here from the algorithms, on a list and a ``comp(x, y)`` that says whether x goes before y.
"""


def sort_order(values, descending):
    """The positions torch's sort (not stable) orders ``values`` by: ``std::sort`` with NaN
    counting as the largest."""
    return sorted_positions(len(values), _comparison(values, descending))


def sorted_positions(n, comp):
    """The order ``std::sort`` leaves positions 0 to n - 1 in, comp(x, y) saying whether the
    value at position x goes before the one at y."""
    seq = list(range(n))
    _sort(seq, 0, n, comp)
    return seq


def _comparison(values, largest):
    """comp(x, y) for positions x and y of ``values``: whether x goes before y, the larger
    first if ``largest``, NaN counting as the largest (torch's comparators)."""
    nan = [v != v for v in values]
    if largest:
        return lambda x, y: nan[x] and not nan[y] or values[x] > values[y]
    return lambda x, y: not nan[x] and nan[y] or values[x] < values[y]


def topk_order(values, k, largest, ordered):
    """The positions torch's topk picks from ``values`` (a sequence of floats or ints): the
    ``k`` largest (or smallest), NaN counting as the largest, in order when ``ordered``."""
    comp = _comparison(values, largest)
    seq = list(range(len(values)))
    if k == 0:
        return []
    if k * 64 <= len(seq):  # (torch's choice: a heap for a few out of many)
        _heap_select(seq, 0, k, len(seq), comp)
        _sort_heap(seq, 0, k, comp)
    else:
        _introselect(seq, 0, k - 1, len(seq), 2 * _lg(len(seq)), comp)
        if ordered:
            _sort(seq, 0, k - 1, comp)  # (the k-th is in place already)
    return seq[:k]


def nth_element(values, nth):
    """The value ``std::nth_element`` (with ``<``) puts at position ``nth`` of ``values``, as
    torch's median without a dim takes it (of -0.0 and 0.0, which)."""
    seq = list(values)
    _introselect(seq, 0, nth, len(seq), 2 * _lg(len(seq)), lambda x, y: x < y)
    return seq[nth]


def _lg(n):
    return n.bit_length() - 1


def _introselect(seq, first, nth, last, depth, comp):
    while last - first > 3:
        if depth == 0:
            _heap_select(seq, first, nth + 1, last, comp)
            seq[first], seq[nth] = seq[nth], seq[first]
            return
        depth -= 1
        cut = _partition_around_pivot(seq, first, last, comp)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(seq, first, last, comp)


def _sort(seq, first, last, comp):
    if first == last:
        return
    _introsort(seq, first, last, 2 * _lg(last - first), comp)
    if last - first > 16:
        _insertion_sort(seq, first, first + 16, comp)
        for i in range(first + 16, last):
            _linear_insert(seq, i, comp)
    else:
        _insertion_sort(seq, first, last, comp)


def _introsort(seq, first, last, depth, comp):
    while last - first > 16:
        if depth == 0:
            _heap_select(seq, first, last, last, comp)
            _sort_heap(seq, first, last, comp)
            return
        depth -= 1
        cut = _partition_around_pivot(seq, first, last, comp)
        _introsort(seq, cut, last, depth, comp)
        last = cut


def _partition_around_pivot(seq, first, last, comp):
    """Move the median of the second, middle and last elements to the front, then part the
    rest around it; where the second part starts."""
    a, b, c = first + 1, first + (last - first) // 2, last - 1
    if comp(seq[a], seq[b]):
        median = b if comp(seq[b], seq[c]) else c if comp(seq[a], seq[c]) else a
    else:
        median = a if comp(seq[a], seq[c]) else c if comp(seq[b], seq[c]) else b
    seq[first], seq[median] = seq[median], seq[first]
    pivot, low, high = seq[first], first + 1, last
    while True:
        while comp(seq[low], pivot):
            low += 1
        high -= 1
        while comp(pivot, seq[high]):
            high -= 1
        if low >= high:
            return low
        seq[low], seq[high] = seq[high], seq[low]
        low += 1


def _insertion_sort(seq, first, last, comp):
    for i in range(first + 1, last):
        if comp(seq[i], seq[first]):
            seq[first:i + 1] = [seq[i]] + seq[first:i]
        else:
            _linear_insert(seq, i, comp)


def _linear_insert(seq, i, comp):
    value = seq[i]
    while comp(value, seq[i - 1]):
        seq[i] = seq[i - 1]
        i -= 1
    seq[i] = value


def _heap_select(seq, first, middle, last, comp):
    """The heap of the first elements, each later one that goes before its top swapped in."""
    _make_heap(seq, first, middle, comp)
    for i in range(middle, last):
        if comp(seq[i], seq[first]):
            _pop_heap(seq, first, middle, i, comp)


def _sort_heap(seq, first, last, comp):
    while last - first > 1:
        last -= 1
        _pop_heap(seq, first, last, last, comp)


def _make_heap(seq, first, last, comp):
    size = last - first
    for parent in range((size - 2) // 2, -1, -1):
        _adjust_heap(seq, first, parent, size, seq[first + parent], comp)


def _pop_heap(seq, first, last, result, comp):
    value = seq[result]
    seq[result] = seq[first]
    _adjust_heap(seq, first, 0, last - first, value, comp)


def _adjust_heap(seq, first, hole, size, value, comp):
    """Sink the hole at ``hole`` to a leaf along the larger children, then let ``value`` rise
    from there to where it belongs."""
    top, child = hole, hole
    while child < (size - 1) // 2:
        child = 2 * (child + 1)
        if comp(seq[first + child], seq[first + child - 1]):
            child -= 1
        seq[first + hole] = seq[first + child]
        hole = child
    if size % 2 == 0 and child == (size - 2) // 2:
        child = 2 * (child + 1)
        seq[first + hole] = seq[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and comp(seq[first + parent], value):
        seq[first + hole] = seq[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    seq[first + hole] = value
