"""jsgj: track how 苏政办发〔2024〕37号 is carried out."""

__version__ = "0.1.0"
