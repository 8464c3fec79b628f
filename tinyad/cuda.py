"""torch.cuda as seen from a CPU-only engine: there is no GPU."""


def is_available():
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Nothing to seed: there is no GPU (torch code calls it next to torch.manual_seed)."""


manual_seed_all = manual_seed
