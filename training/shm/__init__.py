"""SHM trainer: T-Net, M-Net and their fusion (Chen et al. 2018), trained on the studio's dataset export."""
