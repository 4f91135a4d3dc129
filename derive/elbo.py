"""Topic ``elbo``: not derived yet."""


def derivations():
    return []
