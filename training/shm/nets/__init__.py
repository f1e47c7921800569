from .tnet import TNet
from .mnet import MNet
from .shm import SHMNet, fuse, CLASSES

__all__ = ['TNet', 'MNet', 'SHMNet', 'fuse', 'CLASSES']
