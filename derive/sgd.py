"""Topic ``sgd``: not derived yet."""


def derivations():
    return []
