"""The pages built from the sidecars: the class page and the explorer."""
