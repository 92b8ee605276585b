"""Numeric core of the momentum lectures: problems, update rules, trajectories and theory. NumPy only."""
from .export import export, trajectory_rows
from .optimizers import EQUATIONS, RULES, equations
from .problems import Quadratic, Regression, make_regression
from .theory import (convergence_factor, critical_beta, damping, iteration_matrix, optimal_parameters,
                     stable_lr_limit)
from .trajectory import LECTURES, Trajectory, run, run_parabola, run_regression
from .validation import VARIANTS, ParameterError, check, check_all

__all__ = [
    "EQUATIONS", "LECTURES", "RULES", "VARIANTS", "ParameterError", "Quadratic", "Regression", "Trajectory", "check",
    "check_all", "convergence_factor", "equations", "critical_beta", "damping", "export", "iteration_matrix",
    "make_regression", "optimal_parameters", "run", "run_parabola", "run_regression", "stable_lr_limit",
    "trajectory_rows",
]
