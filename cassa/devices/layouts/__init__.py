"""The layouts Cassa ships: one YAML file per kind of printed document."""
