"""Typed errors: each names the file it is about, so a user can fix their dataset or checkpoint."""


class TrainerError(Exception):
    """A problem with the user's input that the trainer reports plainly and exits on."""


class DatasetError(TrainerError):
    pass


class CheckpointError(TrainerError):
    pass
