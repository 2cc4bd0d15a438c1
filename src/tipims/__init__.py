"""TIPIMS: the Trafficking in Persons Information Management System."""

__version__ = "0.1.0"
