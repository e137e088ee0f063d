"""Law as data: dated legal parameters with their citations."""

from asylumengine.law.parameters import DatedValue, Parameter, ParameterError, ParameterSet, law_parameters

__all__ = ["DatedValue", "Parameter", "ParameterError", "ParameterSet", "law_parameters"]
