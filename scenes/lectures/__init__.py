"""The lectures, one module each, named as their --scene."""
