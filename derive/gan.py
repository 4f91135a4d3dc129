"""Topic ``gan``: not derived yet."""


def derivations():
    return []
