"""Numeric core of the momentum lectures: problems, update rules, trajectories, theory, lessons. NumPy only
(and SymPy, imported when a function a teacher typed is read: gdcore.expression)."""

from . import claims
from .compare import Comparison, compare
from .export import export, export_lecture, planned, trajectory_rows
from .landscape import Landscape, landscape
from .lesson import Lesson, Outcome, Verdict, lesson
from .noisy import Noise, NoiseComparison, noisy, noisy_compare
from .optimizers import DISPLACEMENT_TEX, DISPLACEMENT_TEXT, EQUATIONS, RULES, displacement, equations
from .problems import LECTURES, Formula, Problem, Quadratic, Regression, make_regression
from .subject import Subject
from .theory import Damping
from .trajectory import Trajectory, run
from .typed import TypedFunction
from .validation import HYPERPARAMETERS, MAX_RUNS, VARIANTS, Hyperparameter, ParameterError, check, check_all

__all__ = [
    "Comparison",
    "Landscape",
    "claims",
    "MAX_RUNS",
    "compare",
    "export_lecture",
    "landscape",
    "DISPLACEMENT_TEX",
    "DISPLACEMENT_TEXT",
    "Damping",
    "EQUATIONS",
    "Formula",
    "HYPERPARAMETERS",
    "Hyperparameter",
    "LECTURES",
    "Lesson",
    "Noise",
    "NoiseComparison",
    "Outcome",
    "ParameterError",
    "Problem",
    "Quadratic",
    "RULES",
    "Regression",
    "Subject",
    "Trajectory",
    "TypedFunction",
    "VARIANTS",
    "Verdict",
    "check",
    "check_all",
    "displacement",
    "equations",
    "export",
    "lesson",
    "noisy",
    "noisy_compare",
    "planned",
    "make_regression",
    "run",
    "trajectory_rows",
]
